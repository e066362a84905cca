package org.saeatlas.compute.graphs;

import org.saeatlas.errors.AtlasException;

/** Helpers for a partition given as one label per node ({@code -1} = in no group). */
public final class Partitions {

    private Partitions() {
    }

    /** Members of each group {@code 0 .. groups-1}, increasing; O(n). */
    public static int[][] members(int[] labels, int groups) {
        int[] size = new int[groups];
        for (int v = 0; v < labels.length; v++) {
            if (labels[v] >= groups) {
                throw new AtlasException("partition: node " + v + " has label " + labels[v] + ", expected < " + groups);
            }
            if (labels[v] >= 0) {
                size[labels[v]]++;
            }
        }
        int[][] out = new int[groups][];
        for (int c = 0; c < groups; c++) {
            out[c] = new int[size[c]];
            size[c] = 0;
        }
        for (int v = 0; v < labels.length; v++) {
            if (labels[v] >= 0) {
                out[labels[v]][size[labels[v]]++] = v;
            }
        }
        return out;
    }

    /** One more than the largest label. */
    public static int groups(int[] labels) {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return max + 1;
    }
}
