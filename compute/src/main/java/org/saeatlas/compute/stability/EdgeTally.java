package org.saeatlas.compute.stability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.saeatlas.compute.resampling.TrialOccurrences;

/**
 * Counts edges across trials. Every (edge, trial) occurrence becomes one composite key {@code edgeKey << 12 | trial},
 * sorted once, so equal edges are adjacent and their trials come in trial order (sums are therefore taken in a fixed
 * order: identical results at any thread count). Cost O(N log N) for N occurrences.
 */
final class EdgeTally {
    private static final int TRIAL_BITS = TrialOccurrences.TRIAL_BITS;

    private EdgeTally() {
    }

    /** Distinct edge keys (increasing) and how many trials contain each. */
    static TrialOccurrences.Counts count(List<TrialEdges> trials) {
        return TrialOccurrences.count(trials.stream().map(TrialEdges::keys).toList());
    }

    /** The observed edges with their weight statistics; stable flags are set later from r*. */
    static List<StableEdge> summarise(List<TrialEdges> trials, TrialOccurrences.Counts nulls, int p) {
        long[] occ = occurrences(trials);
        List<StableEdge> edges = new ArrayList<>();
        double[] w = new double[trials.size()];
        int k = 0;
        while (k < occ.length) {
            long key = occ[k] >>> TRIAL_BITS;
            int m = 0;
            for (; k < occ.length && occ[k] >>> TRIAL_BITS == key; k++) {
                TrialEdges t = trials.get((int) (occ[k] & ((1 << TRIAL_BITS) - 1)));
                w[m++] = t.weights()[Arrays.binarySearch(t.keys(), key)];
            }
            edges.add(edge(key, p, Arrays.copyOf(w, m), nulls.countOf(key)));
        }
        return edges;
    }

    private static StableEdge edge(long key, int p, double[] w, int nullReplicates) {
        double sum = 0;
        int positive = 0;
        int negative = 0;
        for (double v : w) {
            sum += v;
            positive += v > 0 ? 1 : 0;
            negative += v < 0 ? 1 : 0;
        }
        double[] sorted = w.clone();
        Arrays.sort(sorted);
        int m = sorted.length;
        double median = m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
        return new StableEdge((int) (key / p), (int) (key % p), m, nullReplicates, sum / m, median,
                Math.max(positive, negative) / (double) m, false);
    }

    private static long[] occurrences(List<TrialEdges> trials) {
        return TrialOccurrences.of(trials.stream().map(TrialEdges::keys).toList());
    }
}
