package org.saeatlas.compute.stats;

import org.saeatlas.compute.SparseActivations;

/**
 * Per-feature statistics of sparse activations: firing rate (share of tokens where the feature is non-zero), mean
 * activation over the tokens where it fires, maximum activation, and an activation-density histogram over
 * log-spaced bins (counts of firing tokens per bin, the view the co-occurrence study clusters activations by).
 * Cost O(nnz + p * bins).
 *
 * @param histogramEdges the {@code bins + 1} bin edges shared by all features (log-spaced between the smallest and
 *                       largest non-zero activation of the SAE)
 * @param histogram      {@code histogram[f][b]}: firing tokens of feature f with activation in bin b
 */
public record FeatureStatistics(int tokens, int[] count, double[] firingRate, double[] meanActive, double[] max,
                                double[] histogramEdges, int[][] histogram) {

    public static FeatureStatistics of(SparseActivations x, int bins) {
        int p = x.featureCount();
        int[] count = new int[p];
        double[] sum = new double[p];
        double[] max = new double[p];
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int k = 0; k < x.nnz(); k++) {
            int f = x.features()[k];
            double v = Math.abs(x.values()[k]);
            count[f]++;
            sum[f] += x.values()[k];
            max[f] = Math.max(max[f], x.values()[k]);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double[] edges = new double[bins + 1];
        if (x.nnz() == 0) {
            lo = 1;
            hi = 1;
        }
        double logLo = Math.log(lo);
        double logHi = hi > lo ? Math.log(hi) : logLo + 1;
        for (int b = 0; b <= bins; b++) {
            edges[b] = Math.exp(logLo + (logHi - logLo) * b / bins);
        }
        int[][] hist = new int[p][bins];
        for (int k = 0; k < x.nnz(); k++) {
            double v = Math.abs(x.values()[k]);
            int b = (int) Math.floor((Math.log(v) - logLo) / (logHi - logLo) * bins);
            hist[x.features()[k]][Math.max(0, Math.min(bins - 1, b))]++;
        }
        double[] rate = new double[p];
        double[] mean = new double[p];
        for (int f = 0; f < p; f++) {
            rate[f] = x.tokens() == 0 ? 0 : count[f] / (double) x.tokens();
            mean[f] = count[f] == 0 ? 0 : sum[f] / count[f];
        }
        return new FeatureStatistics(x.tokens(), count, rate, mean, max, edges, hist);
    }
}
