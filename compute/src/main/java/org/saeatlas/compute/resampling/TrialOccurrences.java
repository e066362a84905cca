package org.saeatlas.compute.resampling;

import java.util.Arrays;
import java.util.List;

/**
 * The keys (edges, connections) each trial found, as one sorted array of occurrences {@code key << TRIAL_BITS |
 * trial}: a key's occurrences are adjacent and in trial order, so replicate counts and per-trial values are read in
 * one pass; {@link #count} gives each key's replicate count. Shared by the dependence edges and the connections
 * between layers.
 */
public final class TrialOccurrences {
    /** Low bits of an occurrence that hold its trial: up to 4,096 trials. */
    public static final int TRIAL_BITS = 12;

    private TrialOccurrences() {
    }

    public static long[] of(List<long[]> keysPerTrial) {
        int total = 0;
        for (long[] keys : keysPerTrial) {
            total += keys.length;
        }
        long[] occ = new long[total];
        int at = 0;
        for (int t = 0; t < keysPerTrial.size(); t++) {
            for (long key : keysPerTrial.get(t)) {
                occ[at++] = key << TRIAL_BITS | t;
            }
        }
        Arrays.sort(occ);
        return occ;
    }

    /** Distinct keys (increasing) and how many trials found each. */
    public record Counts(long[] keys, int[] counts) {

        /** The number of trials that found {@code key}; 0 for a key none found. */
        public int countOf(long key) {
            int at = Arrays.binarySearch(keys, key);
            return at >= 0 ? counts[at] : 0;
        }
    }

    /** The replicate count of every key found by some trial. */
    public static Counts count(List<long[]> keysPerTrial) {
        long[] occ = of(keysPerTrial);
        long[] keys = new long[occ.length];
        int[] counts = new int[occ.length];
        int d = -1;
        for (long o : occ) {
            long key = o >>> TRIAL_BITS;
            if (d < 0 || keys[d] != key) {
                keys[++d] = key;
            }
            counts[d]++;
        }
        return new Counts(Arrays.copyOf(keys, d + 1), Arrays.copyOf(counts, d + 1));
    }
}
