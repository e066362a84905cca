package org.saeatlas.compute.stats;

import org.saeatlas.compute.SparseActivations;

/**
 * Each feature's mean and (population) standard deviation over all tokens of sparse activations, the zeros included:
 * one pass over the non-zeros. {@code n} is the token count (at least 1), the divisor of both.
 */
public record ColumnMoments(int n, double[] mean, double[] sd) {

    public static ColumnMoments of(SparseActivations x) {
        int p = x.featureCount();
        double[] sum = new double[p];
        double[] sq = new double[p];
        for (int e = 0; e < x.nnz(); e++) {
            double v = x.values()[e];
            sum[x.features()[e]] += v;
            sq[x.features()[e]] += v * v;
        }
        double[] mean = new double[p];
        double[] sd = new double[p];
        int n = Math.max(1, x.tokens());
        for (int f = 0; f < p; f++) {
            mean[f] = sum[f] / n;
            sd[f] = Math.sqrt(Math.max(0, sq[f] / n - mean[f] * mean[f]));
        }
        return new ColumnMoments(n, mean, sd);
    }
}
