package org.saeatlas.compute.lasso;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.coactivation.CoOccurrence;

/**
 * Per-fold sparse sums of one trial, enough to give every fold's training correlations and held-out errors in Gram
 * form: per fold f, its token count n_f, per feature the sum and sum of squares of its values on the fold, and per
 * needed pair (the keys of {@link org.saeatlas.compute.correlation.TrialMoments}) the sum of products on the fold.
 * Training sums are the sums over the other folds. Cost O(nnz + P * firing count) by merging sorted token lists of
 * the P needed pairs; memory O(K (p + P)).
 *
 * @param fold      the fold of each token
 * @param tokens    n_f per fold
 * @param sum       [fold][feature] sum of values
 * @param sumSq     [fold][feature] sum of squared values
 * @param keys      pair keys u * p + v (u &lt; v), increasing
 * @param pairSums  [fold][key index] sum of products
 */
public record FoldMoments(int[] fold, int[] tokens, double[][] sum, double[][] sumSq, long[] keys,
                          double[][] pairSums) {

    public int folds() {
        return tokens.length;
    }

    /** The fold sums of {@code x} for the given folds ({@code fold[t]} in [0, k)) and pair keys. */
    public static FoldMoments of(SparseActivations x, long[] keys, int[] fold, int k, int threads) {
        if (fold.length != x.tokens()) {
            throw new AtlasException("cross-validation: " + fold.length + " fold labels for " + x.tokens()
                    + " tokens; expected one per token");
        }
        int p = x.featureCount();
        int[] n = new int[k];
        for (int f : fold) {
            n[f]++;
        }
        double[][] sum = new double[k][p];
        double[][] sq = new double[k][p];
        for (int t = 0; t < x.tokens(); t++) {
            int f = fold[t];
            for (int a = x.rowPtr()[t]; a < x.rowPtr()[t + 1]; a++) {
                double v = x.values()[a];
                sum[f][x.features()[a]] += v;
                sq[f][x.features()[a]] += v * v;
            }
        }
        SparseActivations.Columns cols = x.columns();
        double[][] pairs = new double[k][keys.length];
        CoOccurrence.runWith(threads, () -> IntStream.range(0, keys.length).parallel().forEach(q ->
                dot(cols, (int) (keys[q] / p), (int) (keys[q] % p), fold, pairs, q)));
        return new FoldMoments(fold, n, sum, sq, keys.clone(), pairs);
    }

    /** Index of pair {u, v} among the keys, or -1 when the pair never co-fires. */
    int indexOf(int u, int v) {
        int p = sum[0].length;
        int at = Arrays.binarySearch(keys, (long) Math.min(u, v) * p + Math.max(u, v));
        return at >= 0 ? at : -1;
    }

    private static void dot(SparseActivations.Columns cols, int u, int v, int[] fold, double[][] out, int q) {
        int a = cols.colPtr()[u];
        int aEnd = cols.colPtr()[u + 1];
        int b = cols.colPtr()[v];
        int bEnd = cols.colPtr()[v + 1];
        int[] tok = cols.tokens();
        while (a < aEnd && b < bEnd) {
            if (tok[a] < tok[b]) {
                a++;
            } else if (tok[a] > tok[b]) {
                b++;
            } else {
                out[fold[tok[a]]][q] += (double) cols.values()[a++] * cols.values()[b++];
            }
        }
    }
}
