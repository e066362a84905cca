package org.saeatlas.compute.coactivation;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;

/**
 * Exact first and second moments of sparse feature activations, from the non-zeros only: per feature the firing
 * count, sum and sum of squares; per pair of features that fire on a common token, the co-firing count and the sum
 * of products (the non-zero part of X^T X). Pairs that never co-fire are absent. From these, Pearson correlation of
 * any present pair is exact without densifying: {@code cov = S_ij/n - mu_i mu_j}, {@code r = cov / (sd_i sd_j)}.
 *
 * <p>Computed row by row of X^T X (Gustavson): feature i walks its tokens and accumulates every feature j &gt; i
 * active on them into a dense scratch row. Cost: O(sum over tokens of a_t^2 / 2) for a_t active features per token,
 * plus O(p) scratch per worker; memory O(pairs present). Deterministic: pairs come out sorted by (i, j) at any
 * thread count. {@link #of(SparseActivations, int, Progress, int, double)} keeps only the pairs a graph can use (a
 * minimum co-firing count and |r|), tested as each row is accumulated: memory O(pairs kept), which is what lets a
 * 131,072-feature SAE over a million tokens (about 8 x 10^8 co-firing pairs, nearly all once or twice by chance)
 * through in a few hundred MiB.
 *
 * @param tokens       number of tokens n
 * @param count        firing count per feature
 * @param sum          sum of activations per feature
 * @param sumSq        sum of squared activations per feature
 * @param pairPtr      pairs of feature i are {@code pairPtr[i] .. pairPtr[i+1]-1}
 * @param pairJ        partner j (&gt; i) of each pair, increasing within i
 * @param pairCount    tokens on which both fire
 * @param pairSumProd  sum over tokens of x_i * x_j
 * @param cofiring     pairs that fire together on at least one token, kept or not
 */
public record CoOccurrence(int tokens, int[] count, double[] sum, double[] sumSq,
                           long[] pairPtr, int[] pairJ, int[] pairCount, double[] pairSumProd, long cofiring) {

    public int featureCount() {
        return count.length;
    }

    public long pairs() {
        return pairJ.length;
    }

    public double mean(int i) {
        return sum[i] / tokens;
    }

    /** Population variance of feature i over the n tokens (zeros included). */
    public double variance(int i) {
        double m = mean(i);
        return Math.max(0.0, sumSq[i] / tokens - m * m);
    }

    /** Pearson correlation of the pair at position {@code k} (feature i is its row). 0 when a feature is constant. */
    public double pearson(int i, long k) {
        int j = pairJ[(int) k];
        return pearson(i, j, pairSumProd[(int) k]);
    }

    /** Pearson correlation of features i and j given their sum of products (0 for a pair that never co-fires). */
    public double pearson(int i, int j, double sumProd) {
        return pearson(tokens, sum, sumSq, i, j, sumProd);
    }

    private static double pearson(int tokens, double[] sum, double[] sumSq, int i, int j, double sumProd) {
        double mi = sum[i] / tokens;
        double mj = sum[j] / tokens;
        double vi = Math.max(0.0, sumSq[i] / tokens - mi * mi);
        double vj = Math.max(0.0, sumSq[j] / tokens - mj * mj);
        if (vi <= 0 || vj <= 0) {
            return 0.0;
        }
        double cov = sumProd / tokens - mi * mj;
        double r = cov / Math.sqrt(vi * vj);
        return Math.max(-1.0, Math.min(1.0, r));
    }

    /** Jaccard index of the firing sets of the pair at position k: |i and j| / |i or j|. */
    public double jaccard(int i, long k) {
        int j = pairJ[(int) k];
        int both = pairCount[(int) k];
        return both / (double) (count[i] + count[j] - both);
    }

    /** Computes the statistics with {@code threads} workers (1 = the calling thread), every co-firing pair kept. */
    public static CoOccurrence of(SparseActivations x, int threads, Progress progress) {
        return of(x, threads, progress, 1, 0.0);
    }

    /**
     * As {@link #of(SparseActivations, int, Progress)}, keeping only the pairs that co-fire on at least {@code
     * minCount} tokens with |Pearson r| at least {@code minAbsCorrelation} (the others are counted in {@link
     * #cofiring()} only). The kept pairs' statistics are exactly those of the full computation.
     */
    public static CoOccurrence of(SparseActivations x, int threads, Progress progress, int minCount,
                                  double minAbsCorrelation) {
        int p = x.featureCount();
        int n = x.tokens();
        int[] count = new int[p];
        double[] sum = new double[p];
        double[] sumSq = new double[p];
        for (int k = 0; k < x.nnz(); k++) {
            int f = x.features()[k];
            double v = x.values()[k];
            count[f]++;
            sum[f] += v;
            sumSq[f] += v * v;
        }
        SparseActivations.Columns cols = x.columns();
        Row[] rows = new Row[p];
        int blocks = Math.max(1, Math.min(p, 64 * Math.max(1, threads)));
        long[] done = new long[2];
        Filter filter = new Filter(n, sum, sumSq, minCount, minAbsCorrelation);
        Runnable work = () -> IntStream.range(0, blocks).parallel().forEach(b -> {
            Scratch s = new Scratch(p);
            long seen = 0;
            for (int i = b; i < p; i += blocks) {
                rows[i] = row(x, cols, i, s, filter);
                seen += s.seen;
            }
            synchronized (done) {
                done[0]++;
                done[1] += seen;
                progress.update("co-occurrence", done[0], blocks);
            }
        });
        runWith(threads, work);
        long[] ptr = new long[p + 1];
        for (int i = 0; i < p; i++) {
            ptr[i + 1] = ptr[i] + rows[i].j.length;
        }
        if (ptr[p] > Integer.MAX_VALUE - 8) {
            throw new org.saeatlas.errors.AtlasException("co-occurrence: " + ptr[p]
                    + " co-firing pairs exceed one array; split the token sample or the feature range");
        }
        int total = (int) ptr[p];
        int[] pj = new int[total];
        int[] pc = new int[total];
        double[] ps = new double[total];
        for (int i = 0; i < p; i++) {
            int at = (int) ptr[i];
            System.arraycopy(rows[i].j, 0, pj, at, rows[i].j.length);
            System.arraycopy(rows[i].c, 0, pc, at, rows[i].c.length);
            System.arraycopy(rows[i].s, 0, ps, at, rows[i].s.length);
            rows[i] = null;
        }
        return new CoOccurrence(n, count, sum, sumSq, ptr, pj, pc, ps, done[1]);
    }

    /** Runs {@code work} (which may use parallel streams) on a pool of exactly {@code threads} workers. */
    public static void runWith(int threads, Runnable work) {
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        try {
            pool.submit(work).join();
        } finally {
            pool.shutdown();
        }
    }

    private record Row(int[] j, int[] c, double[] s) { }

    /** Which accumulated pairs are kept: all when minCount is 1 and minAbsCorrelation 0. */
    private record Filter(int tokens, double[] sum, double[] sumSq, int minCount, double minAbsCorrelation) {
        boolean keep(int i, int j, int count, double sumProd) {
            return count >= minCount && (minAbsCorrelation <= 0
                    || Math.abs(pearson(tokens, sum, sumSq, i, j, sumProd)) >= minAbsCorrelation);
        }
    }

    private static final class Scratch {
        final int[] c;
        final double[] s;
        final int[] touched;
        long seen;

        Scratch(int p) {
            c = new int[p];
            s = new double[p];
            touched = new int[p];
        }
    }

    /**
     * The kernel of every co-firing computation: walks the tokens of feature {@code i} and, for every feature
     * {@code j > i} active on them, adds 1 to {@code count[j]} and {@code x_i x_j} to {@code sum[j]}. The distinct
     * {@code j} touched are listed in {@code touched[0 .. returned)} in the order first seen. The scratch arrays (length
     * p) must be zero where untouched; the caller resets the touched entries after use. Cost: the co-firing pairs.
     */
    public static int accumulateRow(SparseActivations x, SparseActivations.Columns cols, int i, int[] count,
                                    double[] sum, int[] touched) {
        int nt = 0;
        int[] rowPtr = x.rowPtr();
        int[] feats = x.features();
        float[] vals = x.values();
        for (int a = cols.colPtr()[i]; a < cols.colPtr()[i + 1]; a++) {
            int t = cols.tokens()[a];
            double vi = cols.values()[a];
            for (int k = rowPtr[t + 1] - 1; k >= rowPtr[t]; k--) {
                int j = feats[k];
                if (j <= i) {
                    break;
                }
                if (count[j] == 0) {
                    touched[nt++] = j;
                }
                count[j]++;
                sum[j] += vi * vals[k];
            }
        }
        return nt;
    }

    private static Row row(SparseActivations x, SparseActivations.Columns cols, int i, Scratch s, Filter filter) {
        int nt = accumulateRow(x, cols, i, s.c, s.s, s.touched);
        s.seen = nt;
        Arrays.sort(s.touched, 0, nt);
        int kept = 0;
        for (int k = 0; k < nt; k++) {
            int f = s.touched[k];
            if (filter.keep(i, f, s.c[f], s.s[f])) {
                s.touched[kept++] = f;
            } else {
                s.c[f] = 0;
                s.s[f] = 0;
            }
        }
        int[] j = Arrays.copyOf(s.touched, kept);
        int[] c = new int[kept];
        double[] sp = new double[kept];
        for (int k = 0; k < kept; k++) {
            int f = j[k];
            c[k] = s.c[f];
            sp[k] = s.s[f];
            s.c[f] = 0;
            s.s[f] = 0;
        }
        return new Row(j, c, sp);
    }
}
