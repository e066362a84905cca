package org.saeatlas.compute.graphs;

import java.util.Arrays;

/**
 * Connected components by breadth-first search, O(n + m). Components are numbered by size, largest first, ties by
 * their smallest node, so the numbering depends only on the graph.
 *
 * @param componentOf component of each node
 * @param sizes       nodes per component, non-increasing
 */
public record ConnectedComponents(int[] componentOf, int[] sizes) {

    public int count() {
        return sizes.length;
    }

    /** The nodes of component c, increasing. */
    public int[] members(int c) {
        int[] out = new int[sizes[c]];
        int m = 0;
        for (int v = 0; v < componentOf.length; v++) {
            if (componentOf[v] == c) {
                out[m++] = v;
            }
        }
        return out;
    }

    /** All components' members at once, O(n). */
    public int[][] allMembers() {
        return Partitions.members(componentOf, count());
    }

    public static ConnectedComponents of(WeightedGraph g) {
        int n = g.nodes();
        int[] label = new int[n];
        Arrays.fill(label, -1);
        int[] queue = new int[n];
        int[] size = new int[n];
        int count = 0;
        for (int s = 0; s < n; s++) {
            if (label[s] >= 0) {
                continue;
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = s;
            label[s] = count;
            while (head < tail) {
                int x = queue[head++];
                for (int k = g.offsets()[x]; k < g.offsets()[x + 1]; k++) {
                    int y = g.targets()[k];
                    if (label[y] < 0) {
                        label[y] = count;
                        queue[tail++] = y;
                    }
                }
            }
            size[count++] = tail;
        }
        // discovery order is by smallest node; a stable sort by size keeps that as the tie-break
        Integer[] order = new Integer[count];
        for (int c = 0; c < count; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(size[b], size[a]));
        int[] rename = new int[count];
        int[] sizes = new int[count];
        for (int r = 0; r < count; r++) {
            rename[order[r]] = r;
            sizes[r] = size[order[r]];
        }
        for (int v = 0; v < n; v++) {
            label[v] = rename[label[v]];
        }
        return new ConnectedComponents(label, sizes);
    }
}
