package org.saeatlas.compute.correlation;

import java.util.Arrays;
import org.saeatlas.compute.coactivation.CoOccurrence;

/**
 * First moments of every feature in a trial and the sums of products of the pairs the nodewise regressions need:
 * enough to give the exact Pearson correlation {@code r = (S_uv/n - mu_u mu_v) / (sd_u sd_v)} of those pairs
 * (S_uv = 0 for a pair that never co-fires). Pair keys are {@code u * p + v} with u &lt; v, sorted.
 *
 * @param tokens n
 * @param count  firing count per feature
 * @param mean   mean activation per feature
 * @param invSd  1 / population standard deviation per feature (0 for a constant feature)
 * @param keys   pair keys, increasing
 * @param sums   sum of products of each pair
 */
public record TrialMoments(int tokens, int[] count, double[] mean, double[] invSd, long[] keys, double[] sums) {

    public int featureCount() {
        return count.length;
    }

    /** Pearson r of u != v; the pair must be one of {@link #keys} or never co-fire. */
    public double correlation(int u, int v) {
        long key = (long) Math.min(u, v) * count.length + Math.max(u, v);
        int at = Arrays.binarySearch(keys, key);
        return pearson(u, v, at >= 0 ? sums[at] : 0.0);
    }

    public double pearson(int u, int v, double sumProd) {
        double r = (sumProd / tokens - mean[u] * mean[v]) * invSd[u] * invSd[v];
        return Math.max(-1.0, Math.min(1.0, r));
    }

    /** Moments with every co-firing pair of a full X^T X (the naive reference path). */
    public static TrialMoments of(CoOccurrence co) {
        int p = co.featureCount();
        long[] keys = new long[(int) co.pairs()];
        for (int i = 0; i < p; i++) {
            for (long k = co.pairPtr()[i]; k < co.pairPtr()[i + 1]; k++) {
                keys[(int) k] = (long) i * p + co.pairJ()[(int) k];
            }
        }
        double[] mean = new double[p];
        double[] var = new double[p];
        for (int f = 0; f < p; f++) {
            mean[f] = co.mean(f);
            var[f] = co.variance(f);
        }
        return new TrialMoments(co.tokens(), co.count().clone(), mean, inverseSd(var), keys,
                co.pairSumProd().clone());
    }

    static double[] inverseSd(double[] variance) {
        double[] inv = new double[variance.length];
        for (int f = 0; f < inv.length; f++) {
            inv[f] = variance[f] > 0 ? 1 / Math.sqrt(variance[f]) : 0;
        }
        return inv;
    }
}
