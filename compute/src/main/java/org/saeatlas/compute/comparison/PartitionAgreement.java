package org.saeatlas.compute.comparison;

import java.util.HashMap;
import java.util.Map;
import org.saeatlas.errors.AtlasException;

/**
 * Agreement of two partitions of the same items, given as one label per item (negative = not in the comparison):
 * <ul>
 *   <li>ARI, the adjusted Rand index (Hubert &amp; Arabie 1985, "Comparing partitions", J. Classification 2):
 *       {@code (sum_ij C(n_ij,2) - E) / (((sum_i C(a_i,2) + sum_j C(b_j,2)) / 2) - E)} with
 *       {@code E = sum_i C(a_i,2) sum_j C(b_j,2) / C(n,2)} over the contingency table n_ij and its margins a_i, b_j;
 *       1 for identical partitions, about 0 for independent ones, can be negative.</li>
 *   <li>NMI, normalised mutual information with the arithmetic-mean normalisation {@code I(X;Y) / ((H(X) + H(Y)) / 2)}
 *       (Strehl &amp; Ghosh 2002 use the geometric mean; scikit-learn's default is this arithmetic one), in [0, 1];
 *       the log base cancels.</li>
 * </ul>
 * Degenerate cases follow scikit-learn: when the ARI denominator is 0 (both partitions all one group, or both all
 * singletons) ARI = 1; when both entropies are 0, NMI = 1. O(items) with a hash map for the table.
 */
public final class PartitionAgreement {

    /** @param items items compared (both labels non-negative) */
    public record Agreement(int items, double ari, double nmi) { }

    private PartitionAgreement() {
    }

    public static Agreement of(int[] x, int[] y) {
        if (x.length != y.length) {
            throw new AtlasException("partition agreement: " + x.length + " labels against " + y.length
                    + "; label the same items in both");
        }
        Map<Long, Integer> table = new HashMap<>();
        Map<Integer, Integer> a = new HashMap<>();
        Map<Integer, Integer> b = new HashMap<>();
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] < 0 || y[i] < 0) {
                continue;
            }
            n++;
            table.merge((long) x[i] << 32 | y[i], 1, Integer::sum);
            a.merge(x[i], 1, Integer::sum);
            b.merge(y[i], 1, Integer::sum);
        }
        if (n == 0) {
            return new Agreement(0, Double.NaN, Double.NaN);
        }
        return new Agreement(n, ari(table, a, b, n), nmi(table, a, b, n));
    }

    /**
     * Communities of two graphs compared through a matching: item i is A's node i with label {@code labelsA[i]},
     * paired with B's node {@code bOfA[i]} and its label; unmatched nodes are left out.
     */
    public static Agreement underMatching(int[] labelsA, int[] labelsB, int[] bOfA) {
        if (bOfA.length != labelsA.length) {
            throw new AtlasException("partition agreement: a matching for " + bOfA.length + " nodes but "
                    + labelsA.length + " labels of graph A");
        }
        int[] y = new int[labelsA.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = bOfA[i] < 0 ? -1 : labelsB[bOfA[i]];
        }
        return of(labelsA, y);
    }

    private static double pairs(long c) {
        return c * (c - 1) / 2.0;
    }

    private static double ari(Map<Long, Integer> table, Map<Integer, Integer> a, Map<Integer, Integer> b, int n) {
        double index = 0;
        for (int c : table.values()) {
            index += pairs(c);
        }
        double sa = 0;
        for (int c : a.values()) {
            sa += pairs(c);
        }
        double sb = 0;
        for (int c : b.values()) {
            sb += pairs(c);
        }
        double expected = n < 2 ? 0 : sa * sb / pairs(n);
        double max = (sa + sb) / 2;
        if (max == expected) {
            return 1.0;
        }
        return (index - expected) / (max - expected);
    }

    private static double nmi(Map<Long, Integer> table, Map<Integer, Integer> a, Map<Integer, Integer> b, int n) {
        double ha = entropy(a, n);
        double hb = entropy(b, n);
        if (ha == 0 && hb == 0) {
            return 1.0;
        }
        double mi = 0;
        for (Map.Entry<Long, Integer> e : table.entrySet()) {
            int i = (int) (e.getKey() >>> 32);
            int j = (int) (long) e.getKey();
            double pij = e.getValue() / (double) n;
            mi += pij * Math.log(pij * n * n / ((double) a.get(i) * b.get(j)));
        }
        return Math.max(0, Math.min(1, mi / ((ha + hb) / 2)));
    }

    private static double entropy(Map<Integer, Integer> counts, int n) {
        double h = 0;
        for (int c : counts.values()) {
            double p = c / (double) n;
            h -= p * Math.log(p);
        }
        return h;
    }
}
