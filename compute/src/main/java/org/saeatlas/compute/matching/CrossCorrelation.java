package org.saeatlas.compute.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.stats.ColumnMoments;
import org.saeatlas.compute.coactivation.CoOccurrence;

/**
 * Exact Pearson correlation between the features of two SAEs run over the same tokens, for every pair that co-fires
 * on at least {@code minCoFiring} tokens: {@code r = (S_ab/n - mu_a mu_b) / (sd_a sd_b)} with population moments over
 * all n tokens (zeros included) and {@code S_ab} the sum of {@code x_a x_b} over the tokens where both fire. A pair
 * that never co-fires has {@code r <= 0} and can never be a match, so nothing else is computed.
 *
 * <p>Method: Gustavson's row-by-row sparse product {@code X_A^T X_B}: feature a walks its tokens and accumulates the
 * B features active on them into a dense scratch row. Cost O(sum over tokens of a_t b_t) for a_t, b_t active features
 * per token, plus O(pB) scratch per worker. Pairs with {@code r >= minR} are kept, then pruned to each feature's top-k
 * on either side (a pair stays when either end keeps it). Deterministic at any thread count.
 */
public final class CrossCorrelation {

    private CrossCorrelation() {
    }

    public static CandidateSet candidates(SparseActivations xa, SparseActivations xb, int minCoFiring, double minR,
            int k, int threads, Progress progress) {
        if (xa.tokens() != xb.tokens()) {
            throw new AtlasException("activation correlation: SAE A has " + xa.tokens() + " tokens but SAE B has "
                    + xb.tokens() + "; both must be run over the same token sample");
        }
        ColumnMoments ma = ColumnMoments.of(xa);
        ColumnMoments mb = ColumnMoments.of(xb);
        SparseActivations.Columns cols = xa.columns();
        int pA = xa.featureCount();
        Row[] rows = new Row[pA];
        int blocks = Math.max(1, Math.min(pA, 64 * threads));
        AtomicLong done = new AtomicLong();
        CoOccurrence.runWith(threads, () -> IntStream.range(0, blocks).parallel().forEach(blk -> {
            int[] count = new int[xb.featureCount()];
            double[] sum = new double[xb.featureCount()];
            int[] touched = new int[xb.featureCount()];
            for (int a = blk; a < pA; a += blocks) {
                rows[a] = row(a, xb, cols, ma, mb, minCoFiring, minR, count, sum, touched);
            }
            progress.update("activation correlation", done.incrementAndGet(), blocks);
        }));
        List<int[]> pairs = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (int a = 0; a < pA; a++) {
            for (int x = 0; x < rows[a].b.length; x++) {
                pairs.add(new int[] {a, rows[a].b[x]});
                scores.add(rows[a].r[x]);
            }
        }
        return topKEachSide(pA, xb.featureCount(), pairs, scores, k);
    }

    private record Row(int[] b, double[] r) { }

    private static Row row(int a, SparseActivations xb, SparseActivations.Columns cols, ColumnMoments ma, ColumnMoments mb,
            int minCoFiring, double minR, int[] count, double[] sum, int[] touched) {
        int nt = 0;
        for (int e = cols.colPtr()[a]; e < cols.colPtr()[a + 1]; e++) {
            int t = cols.tokens()[e];
            double va = cols.values()[e];
            for (int q = xb.rowPtr()[t]; q < xb.rowPtr()[t + 1]; q++) {
                int b = xb.features()[q];
                if (count[b]++ == 0) {
                    touched[nt++] = b;
                }
                sum[b] += va * xb.values()[q];
            }
        }
        Arrays.sort(touched, 0, nt);
        int[] keepB = new int[nt];
        double[] keepR = new double[nt];
        int m = 0;
        for (int x = 0; x < nt; x++) {
            int b = touched[x];
            if (count[b] >= minCoFiring && ma.sd()[a] > 0 && mb.sd()[b] > 0) {
                double r = (sum[b] / ma.n() - ma.mean()[a] * mb.mean()[b]) / (ma.sd()[a] * mb.sd()[b]);
                r = Math.max(-1, Math.min(1, r));
                if (r >= minR) {
                    keepB[m] = b;
                    keepR[m++] = r;
                }
            }
            count[b] = 0;
            sum[b] = 0;
        }
        return new Row(Arrays.copyOf(keepB, m), Arrays.copyOf(keepR, m));
    }

    private static CandidateSet topKEachSide(int pA, int pB, List<int[]> pairs, List<Double> scores, int k) {
        int n = pairs.size();
        boolean[] keep = new boolean[n];
        markTopK(pA, n, e -> pairs.get(e)[0], e -> pairs.get(e)[1], scores, k, keep);
        markTopK(pB, n, e -> pairs.get(e)[1], e -> pairs.get(e)[0], scores, k, keep);
        int m = 0;
        for (boolean kept : keep) {
            m += kept ? 1 : 0;
        }
        int[] a = new int[m];
        int[] b = new int[m];
        double[] s = new double[m];
        m = 0;
        for (int e = 0; e < n; e++) {
            if (keep[e]) {
                a[m] = pairs.get(e)[0];
                b[m] = pairs.get(e)[1];
                s[m++] = scores.get(e);
            }
        }
        return CandidateSet.of(pA, pB, a, b, s);
    }

    private static void markTopK(int p, int n, java.util.function.IntUnaryOperator owner,
            java.util.function.IntUnaryOperator other, List<Double> scores, int k, boolean[] keep) {
        List<List<Integer>> byOwner = new ArrayList<>(p);
        for (int f = 0; f < p; f++) {
            byOwner.add(new ArrayList<>());
        }
        for (int e = 0; e < n; e++) {
            byOwner.get(owner.applyAsInt(e)).add(e);
        }
        for (List<Integer> list : byOwner) {
            list.sort((x, y) -> CandidateSet.better(scores.get(x), other.applyAsInt(x), scores.get(y),
                    other.applyAsInt(y)) ? -1 : x.equals(y) ? 0 : 1);
            for (int r = 0; r < Math.min(k, list.size()); r++) {
                keep[list.get(r)] = true;
            }
        }
    }
}
