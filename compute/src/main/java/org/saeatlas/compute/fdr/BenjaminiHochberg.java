package org.saeatlas.compute.fdr;

import java.util.Arrays;

/**
 * Benjamini-Hochberg step-up (Benjamini &amp; Hochberg, JRSS B 1995): with m tests and sorted p-values
 * p(1) <= ... <= p(m), reject the k* smallest where {@code k* = max{k : p(k) <= k q / m}}. Only the p-values that could
 * be rejected need be passed (all others are taken as 1), with m the full number of tests. Cost O(s log s) for s
 * p-values passed.
 */
public final class BenjaminiHochberg {
    private BenjaminiHochberg() {
    }

    /** The rejection threshold: reject every p <= the returned value; -1 when nothing is rejected. */
    public static double threshold(double[] pValues, int count, long tests, double q) {
        double[] sorted = Arrays.copyOf(pValues, count);
        Arrays.sort(sorted);
        double cut = -1;
        for (int k = 0; k < count; k++) {
            if (sorted[k] <= (k + 1) * q / tests) {
                cut = sorted[k];
            }
        }
        return cut;
    }

    /** BH-adjusted p-values {@code min over k >= rank of p(k) m / k}, capped at 1, in the input order. */
    public static double[] adjust(double[] pValues) {
        int m = pValues.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(pValues[a], pValues[b]));
        double[] adjusted = new double[m];
        double running = 1.0;
        for (int k = m - 1; k >= 0; k--) {
            double p = pValues[order[k]];
            running = Math.min(running, p * m / (k + 1));
            adjusted[order[k]] = Math.max(p, running); // p * m / m can round below p
        }
        return adjusted;
    }
}
