package org.saeatlas.compute.matching;

import java.util.Arrays;

/**
 * Mutual nearest neighbours on a candidate set: (a, b) is kept when b is a's best candidate, a is b's best candidate
 * and the score is at least {@code minScore} (best = highest score, ties to the smaller index). The conservative
 * matching used in SAE universality and seed-comparison work (e.g. Paulo &amp; Belrose 2025, "Sparse autoencoders
 * trained on the same data learn different features"): one-to-one by construction, symmetric under swapping the
 * SAEs, and a subset of no particular optimum. Cost O(E) over the E candidate pairs.
 */
public final class MutualNearest {

    /** The pairs: {@code partnerOfA[i]} (or -1), {@code partnerOfB[j]} (or -1) and each pair's score. */
    public record Result(int[] partnerOfA, int[] partnerOfB, double[] scoreOfA, int matched) { }

    private MutualNearest() {
    }

    public static Result solve(CandidateSet c, double minScore) {
        int[] bestOfA = new int[c.left()];
        int[] bestOfB = new int[c.right()];
        double[] sA = new double[c.left()];
        double[] sB = new double[c.right()];
        Arrays.fill(bestOfA, -1);
        Arrays.fill(bestOfB, -1);
        for (int n = 0; n < c.size(); n++) {
            int a = c.a()[n];
            int b = c.b()[n];
            double s = c.score()[n];
            if (bestOfA[a] < 0 || CandidateSet.better(s, b, sA[a], bestOfA[a])) {
                bestOfA[a] = b;
                sA[a] = s;
            }
            if (bestOfB[b] < 0 || CandidateSet.better(s, a, sB[b], bestOfB[b])) {
                bestOfB[b] = a;
                sB[b] = s;
            }
        }
        int[] partnerOfA = new int[c.left()];
        int[] partnerOfB = new int[c.right()];
        double[] scoreOfA = new double[c.left()];
        Arrays.fill(partnerOfA, -1);
        Arrays.fill(partnerOfB, -1);
        int matched = 0;
        for (int a = 0; a < c.left(); a++) {
            int b = bestOfA[a];
            if (b >= 0 && bestOfB[b] == a && sA[a] >= minScore) {
                partnerOfA[a] = b;
                partnerOfB[b] = a;
                scoreOfA[a] = sA[a];
                matched++;
            }
        }
        return new Result(partnerOfA, partnerOfB, scoreOfA, matched);
    }
}
