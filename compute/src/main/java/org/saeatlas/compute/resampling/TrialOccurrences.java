package org.saeatlas.compute.resampling;

import java.util.Arrays;
import java.util.List;

/**
 * The keys (edges, connections) each trial found, as one sorted array of occurrences {@code key << TRIAL_BITS |
 * trial}: a key's occurrences are adjacent and in trial order, so replicate counts and per-trial values are read in
 * one pass. Shared by the dependence edges and the connections between layers.
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
}
