package org.saeatlas.compute.correlation;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.coactivation.CoOccurrence;
import org.saeatlas.compute.fdr.BenjaminiHochberg;

/**
 * The pre-screen fused with the sparse X^T X, never holding all pairs: the fast path of {@link PairScreen}, with the
 * same result.
 *
 * <p>Pass 1 builds row i of X^T X (pairs j &gt; i) in a dense scratch by Gustavson's row-by-row product (feature i
 * walks its tokens, each token's row from the end down to i) and tests each touched pair at once ({@link PairTest});
 * only pairs with {@code p <= q} are kept. The hypergeometric test needs only co-firing counts, so its pass 1 never
 * reads a value, counts into a dense scratch swept from i+1, and computes exact tails only below a cut-off that a
 * histogram of first tail terms certifies for BH (or below a fixed cut); {@link TrialBatch} does this pass for many
 * trials at once and hands each trial its result ({@link Prepass}); |r| (for the top-k ranking) is then computed for the BH discoveries alone by merging their sorted
 * token lists. Benjamini-Hochberg and top-k then give the candidates. Pass 2 computes the
 * sums of products of exactly the pairs the nodewise regressions need ({i, j} and {j, l} for j, l candidates of i):
 * per low index u, by merging sorted token lists when u has few such partners, otherwise by one Gustavson row of u
 * restricted to them. Cost: O(sum over tokens of a_t^2 / 2) for pass 1, O(needed pairs * firing count) at most for
 * pass 2; memory O(p) scratch per worker plus the kept and needed pairs. Contiguous feature blocks, concatenated in
 * order, keep the result identical at any thread count.
 */
public final class PairScan {
    private static final int MERGE_LIMIT = 16;
    /** BH discoveries per firing feature the bounded pass first allows for (the second pass covers any excess). */
    static final double GUESS_PER_FEATURE = 4;

    private PairScan() {
    }

    /** A trial's screen and the moments its regressions need. */
    public record Scan(ScreenResult screen, TrialMoments moments) { }

    /**
     * Pass 1 of a trial done elsewhere ({@link TrialBatch}): the pairs with p-value at most {@code cutoff}, and the
     * cut-off its pmf histogram certified for Benjamini-Hochberg (equal to {@code cutoff} when certified, or when the
     * cut was fixed).
     */
    public record Prepass(PairScreen.Kept kept, double cutoff, double certified) { }

    /** The screen with its own Benjamini-Hochberg threshold at level q. */
    public static Scan scan(SparseActivations x, ScreenParameters sp, int threads) {
        return scan(x, sp, threads, Double.NaN);
    }

    /**
     * The screen with a given p-value cut instead of this trial's own Benjamini-Hochberg threshold: every pair with
     * {@code p <= fixedCut} (and the co-firing floor) passes, then top-k as usual. A matched null trial passes its
     * observed trial's realised BH threshold p* here, so it admits the chance pairs that threshold admits. NaN means
     * "run BH at q"; a negative cut passes nothing. The cut must be at most q (BH thresholds always are).
     */
    public static Scan scan(SparseActivations x, ScreenParameters sp, int threads, double fixedCut) {
        return scan(x, sp, threads, fixedCut, GUESS_PER_FEATURE);
    }

    /** As {@link #scan(SparseActivations, ScreenParameters, int, double)} with the bounded pass's first guess. */
    static Scan scan(SparseActivations x, ScreenParameters sp, int threads, double fixedCut, double guessPerFeature) {
        return scan(x, x.columns(), sp, threads, fixedCut, guessPerFeature, null);
    }

    /**
     * As {@link #scan(SparseActivations, ScreenParameters, int, double)} with pass 1 already done by
     * {@link TrialBatch} on the same rows and with the same cut ({@code pre} null: done here).
     */
    public static Scan scan(SparseActivations x, ScreenParameters sp, int threads, double fixedCut, Prepass pre) {
        return scan(x, x.columns(), sp, threads, fixedCut, GUESS_PER_FEATURE, pre);
    }

    /** As {@link #scan(SparseActivations, ScreenParameters, int, double, Prepass)} with x's columns given. */
    public static Scan scan(SparseActivations x, SparseActivations.Columns cols, ScreenParameters sp, int threads,
                            double fixedCut, Prepass pre) {
        return scan(x, cols, sp, threads, fixedCut, GUESS_PER_FEATURE, pre);
    }

    private static Scan scan(SparseActivations x, SparseActivations.Columns cols, ScreenParameters sp, int threads,
                             double fixedCut, double guessPerFeature, Prepass pre) {
        if (fixedCut > sp.q()) {
            throw new AtlasException("pre-screen: a fixed p-value cut must be <= q = " + sp.q()
                    + ", found " + fixedCut);
        }
        int p = x.featureCount();
        TrialMoments base = moments(x, cols);
        int firing = 0;
        for (int c : base.count()) {
            firing += c > 0 ? 1 : 0;
        }
        long tests = (long) firing * (firing - 1) / 2;
        if (tests == 0) {
            double none = Double.isNaN(fixedCut) ? -1 : fixedCut;
            return new Scan(new ScreenResult(PairScreen.emptyLists(p), firing, 0, 0, none), base);
        }
        PairScreen.Kept all;
        double cut;
        if (pre != null) {
            all = pre.certified() <= pre.cutoff() ? pre.kept()
                    : pass(x, cols, new PairTest(base, sp, pre.certified()), threads, null);
            cut = Double.isNaN(fixedCut) ? BenjaminiHochberg.threshold(all.pv, all.size, tests, sp.q()) : fixedCut;
        } else if (!Double.isNaN(fixedCut)) {
            all = pass(x, cols, new PairTest(base, sp, Math.max(0.0, fixedCut)), threads, null);
            cut = fixedCut;
        } else if (sp.method() != PreScreen.HYPERGEOMETRIC) {
            all = pass(x, cols, new PairTest(base, sp), threads, null);
            cut = BenjaminiHochberg.threshold(all.pv, all.size, tests, sp.q());
        } else {
            all = boundedPass(x, cols, base, sp, tests, firing, threads, guessPerFeature);
            cut = BenjaminiHochberg.threshold(all.pv, all.size, tests, sp.q());
        }
        fillCorrelations(all, cut, cols, base);
        int[][] candidates = PairScreen.candidates(p, all, cut, sp.topK());
        ScreenResult screen = new ScreenResult(candidates, firing, tests, all.countAtMost(cut), cut);
        long[] needed = neededPairs(candidates);
        double[] sums = sums(x, cols, needed, threads);
        return new Scan(screen, new TrialMoments(base.tokens(), base.count(), base.mean(), base.invSd(), needed, sums));
    }

    /**
     * The hypergeometric pass of a trial that runs its own Benjamini-Hochberg: exact p-values are computed only up to a
     * cut-off u well below q, and a histogram of the first tail terms pmf(c) (a lower bound of each p-value) certifies
     * that no p-value above u can be a BH discovery: with R(t) the number of p-values <= t, a p-value p(k) > u is
     * rejected by BH only if R(t) >= m t / q for some t in (u, q]; since R(t) <= #{pmf <= t}, it suffices that
     * #{pmf <= upper edge of a bin} < m (lower edge of that bin) / q for every bin above u. When a bin fails, the pass
     * is repeated once with u at the upper edge of the highest failing bin, which the same histogram certifies. The
     * kept p-values <= u are exact, so the BH threshold, the discoveries and the candidates equal those of a pass at
     * cut-off q. The first u is {@code q * min(1, d * firing / m)}, the BH cut if there were d discoveries per firing
     * feature ({@link #GUESS_PER_FEATURE} by default).
     */
    private static PairScreen.Kept boundedPass(SparseActivations x, SparseActivations.Columns cols, TrialMoments base,
                                               ScreenParameters sp, long tests, int firing, int threads,
                                               double perFeature) {
        double u = Math.min(sp.q(), sp.q() * perFeature * firing / (double) tests);
        if (u >= sp.q()) {
            return pass(x, cols, new PairTest(base, sp), threads, null);
        }
        PairTest tester = new PairTest(base, sp, u);
        int[] hist = new int[tester.binCount()];
        PairScreen.Kept kept = pass(x, cols, tester, threads, hist);
        double certified = certifiedCut(hist, u, sp.q(), tests);
        return certified <= u ? kept : pass(x, cols, new PairTest(base, sp, certified), threads, null);
    }

    /** The smallest cut-off >= u (at most q) that the pmf histogram certifies; u itself when it is certified. */
    static double certifiedCut(int[] hist, double u, double q, long tests) {
        long below = 0;
        double need = u;
        for (int b = 0; b < hist.length; b++) {
            below += hist[b];
            if (b == 0) {
                continue;
            }
            double lo = u * Math.pow(2, (b - 1) / (double) PairTest.BINS_PER_OCTAVE);
            if (lo >= q) {
                break;
            }
            if (below >= tests * lo / q * (1 - 1e-9)) {
                need = u * Math.pow(2, b / (double) PairTest.BINS_PER_OCTAVE);
            }
        }
        return Math.min(q, need);
    }

    /** Pass 1 over contiguous feature blocks; with {@code hist} not null, the blocks' pmf histograms are summed in. */
    private static PairScreen.Kept pass(SparseActivations x, SparseActivations.Columns cols, PairTest tester,
                                        int threads, int[] hist) {
        int p = x.featureCount();
        int blocks = Math.max(1, Math.min(p, 32 * Math.max(1, threads)));
        int span = (p + blocks - 1) / blocks;
        PairScreen.Kept[] parts = new PairScreen.Kept[blocks];
        int[][] hists = new int[blocks][];
        CoOccurrence.runWith(threads, () -> IntStream.range(0, blocks).parallel().forEach(b -> {
            PairScreen.Kept kept = new PairScreen.Kept();
            Scratch s = new Scratch(p, 0);
            int[] h = hist == null ? null : new int[hist.length];
            for (int i = b * span; i < Math.min(p, (b + 1) * span); i++) {
                row(x, cols, i, s, tester, kept, h);
            }
            parts[b] = kept;
            hists[b] = h;
        }));
        if (hist != null) {
            for (int[] h : hists) {
                for (int k = 0; k < hist.length; k++) {
                    hist[k] += h[k];
                }
            }
        }
        return PairScreen.Kept.concat(parts);
    }

    /** |r| of the discoveries a count-only scan left NaN, from sparse dot products of their columns. */
    private static void fillCorrelations(PairScreen.Kept all, double cut, SparseActivations.Columns cols,
                                         TrialMoments m) {
        float[] dense = new float[m.tokens()];
        int spread = -1;
        for (int k = 0; k < all.size; k++) {
            if (all.pv[k] <= cut && Float.isNaN(all.absR[k])) {
                if (all.i[k] != spread) {
                    clear(cols, spread, dense);
                    spread = all.i[k];
                    spread(cols, spread, dense);
                }
                all.absR[k] = (float) Math.abs(m.pearson(all.i[k], all.j[k], dot(cols, dense, all.j[k])));
            }
        }
    }

    /** Writes column u's values into {@code dense} (indexed by token), for {@link #dot(SparseActivations.Columns, float[], int)}. */
    static void spread(SparseActivations.Columns cols, int u, float[] dense) {
        for (int a = cols.colPtr()[u]; a < cols.colPtr()[u + 1]; a++) {
            dense[cols.tokens()[a]] = cols.values()[a];
        }
    }

    /** Undoes {@link #spread} (u = -1: nothing spread). */
    static void clear(SparseActivations.Columns cols, int u, float[] dense) {
        if (u < 0) {
            return;
        }
        for (int a = cols.colPtr()[u]; a < cols.colPtr()[u + 1]; a++) {
            dense[cols.tokens()[a]] = 0f;
        }
    }

    /**
     * Sparse dot product of the column spread in {@code dense} with column v: v's tokens in increasing order, each
     * adding {@code dense[t] * v_t}. A token u does not fire on adds a zero product, which leaves the sum unchanged
     * (it is never -0.0: it starts at +0.0 and products of non-zero floats are non-zero), so the result is bit for
     * bit that of merging the two token lists ({@link #dot(SparseActivations.Columns, int, int)}), without its
     * unpredictable branches.
     */
    static double dot(SparseActivations.Columns cols, float[] dense, int v) {
        int[] tok = cols.tokens();
        float[] val = cols.values();
        double s = 0;
        for (int b = cols.colPtr()[v]; b < cols.colPtr()[v + 1]; b++) {
            s += (double) dense[tok[b]] * val[b];
        }
        return s;
    }

    private static void row(SparseActivations x, SparseActivations.Columns cols, int i, Scratch s, PairTest tester,
                            PairScreen.Kept kept, int[] hist) {
        if (!tester.needsSums()) {
            countRow(x, cols, i, s, tester, kept, hist);
            return;
        }
        int nt = org.saeatlas.compute.coactivation.CoOccurrence.accumulateRow(x, cols, i, s.count, s.sum, s.touched);
        for (int q = 0; q < nt; q++) {
            int j = s.touched[q];
            tester.test(i, j, s.count[j], s.sum[j], kept);
            s.count[j] = 0;
            s.sum[j] = 0;
        }
    }

    /**
     * Row i of the co-firing counts only (no values touched): all the hypergeometric test needs. The counts go to a
     * dense scratch without bookkeeping of touched entries, which is then swept from i+1 to the highest feature seen.
     */
    private static void countRow(SparseActivations x, SparseActivations.Columns cols, int i, Scratch s,
                                 PairTest tester, PairScreen.Kept kept, int[] hist) {
        int[] rowPtr = x.rowPtr();
        int[] feats = x.features();
        int[] tokens = cols.tokens();
        int[] count = s.count;
        int top = i;
        for (int a = cols.colPtr()[i]; a < cols.colPtr()[i + 1]; a++) {
            int t = tokens[a];
            int end = rowPtr[t + 1] - 1;
            top = Math.max(top, feats[end]);
            for (int k = end; k >= rowPtr[t]; k--) {
                int j = feats[k];
                if (j <= i) {
                    break;
                }
                count[j]++;
            }
        }
        for (int j = i + 1; j <= top; j++) {
            int c = count[j];
            if (c != 0) {
                count[j] = 0;
                tester.testCount(i, j, c, kept, hist);
            }
        }
    }

    /** Keys u * p + v (u &lt; v) of every pair some regression needs, sorted and distinct. */
    static long[] neededPairs(int[][] candidates) {
        int p = candidates.length;
        long total = 0;
        for (int[] c : candidates) {
            total += c.length + (long) c.length * (c.length - 1) / 2;
        }
        long[] keys = new long[(int) total];
        int at = 0;
        for (int i = 0; i < p; i++) {
            int[] c = candidates[i];
            for (int a = 0; a < c.length; a++) {
                keys[at++] = (long) Math.min(i, c[a]) * p + Math.max(i, c[a]);
                for (int b = a + 1; b < c.length; b++) {
                    keys[at++] = (long) c[a] * p + c[b];
                }
            }
        }
        Arrays.sort(keys);
        int d = 0;
        for (int k = 0; k < keys.length; k++) {
            if (d == 0 || keys[k] != keys[d - 1]) {
                keys[d++] = keys[k];
            }
        }
        return Arrays.copyOf(keys, d);
    }

    /** Sums of products of the needed pairs, grouped by their low index u. */
    private static double[] sums(SparseActivations x, SparseActivations.Columns cols, long[] keys, int threads) {
        int p = x.featureCount();
        double[] sums = new double[keys.length];
        int[] groupStart = groupStarts(keys, p);
        int groups = groupStart.length - 1;
        int blocks = Math.max(1, Math.min(groups, 32 * Math.max(1, threads)));
        int span = Math.max(1, (groups + blocks - 1) / blocks);
        CoOccurrence.runWith(threads, () -> IntStream.range(0, blocks).parallel().forEach(b -> {
            Scratch s = new Scratch(p, x.tokens());
            for (int g = b * span; g < Math.min(groups, (b + 1) * span); g++) {
                group(x, cols, keys, groupStart[g], groupStart[g + 1], s, sums);
            }
        }));
        return sums;
    }

    private static int[] groupStarts(long[] keys, int p) {
        int[] starts = new int[keys.length + 1];
        int g = 0;
        for (int k = 0; k < keys.length; k++) {
            if (k == 0 || keys[k] / p != keys[k - 1] / p) {
                starts[g++] = k;
            }
        }
        starts[g++] = keys.length;
        return Arrays.copyOf(starts, g);
    }

    private static void group(SparseActivations x, SparseActivations.Columns cols, long[] keys, int from, int to,
                              Scratch s, double[] sums) {
        int p = x.featureCount();
        int u = (int) (keys[from] / p);
        if (to - from <= MERGE_LIMIT) {
            spread(cols, u, s.dense);
            for (int k = from; k < to; k++) {
                sums[k] = dot(cols, s.dense, (int) (keys[k] % p));
            }
            clear(cols, u, s.dense);
            return;
        }
        for (int k = from; k < to; k++) {
            s.count[(int) (keys[k] % p)] = 1;
        }
        int[] rowPtr = x.rowPtr();
        int[] feats = x.features();
        float[] vals = x.values();
        for (int a = cols.colPtr()[u]; a < cols.colPtr()[u + 1]; a++) {
            int t = cols.tokens()[a];
            double vu = cols.values()[a];
            for (int k = rowPtr[t + 1] - 1; k >= rowPtr[t] && feats[k] > u; k--) {
                if (s.count[feats[k]] != 0) {
                    s.sum[feats[k]] += vu * vals[k];
                }
            }
        }
        for (int k = from; k < to; k++) {
            int v = (int) (keys[k] % p);
            sums[k] = s.sum[v];
            s.sum[v] = 0;
            s.count[v] = 0;
        }
    }

    /** Sparse dot product of columns u and v by merging their sorted token lists (the reference of the dense path). */
    static double dot(SparseActivations.Columns cols, int u, int v) {
        int a = cols.colPtr()[u];
        int aEnd = cols.colPtr()[u + 1];
        int b = cols.colPtr()[v];
        int bEnd = cols.colPtr()[v + 1];
        int[] tok = cols.tokens();
        double s = 0;
        while (a < aEnd && b < bEnd) {
            if (tok[a] < tok[b]) {
                a++;
            } else if (tok[a] > tok[b]) {
                b++;
            } else {
                s += (double) cols.values()[a++] * cols.values()[b++];
            }
        }
        return s;
    }

    /** Firing counts, means and inverse standard deviations from the columns, in token order. */
    private static TrialMoments moments(SparseActivations x, SparseActivations.Columns cols) {
        int p = x.featureCount();
        int n = x.tokens();
        int[] count = new int[p];
        double[] mean = new double[p];
        double[] var = new double[p];
        for (int f = 0; f < p; f++) {
            double sum = 0;
            double sq = 0;
            for (int a = cols.colPtr()[f]; a < cols.colPtr()[f + 1]; a++) {
                double v = cols.values()[a];
                sum += v;
                sq += v * v;
            }
            count[f] = cols.count(f);
            mean[f] = sum / n;
            var[f] = Math.max(0.0, sq / n - mean[f] * mean[f]);
        }
        return new TrialMoments(n, count, mean, TrialMoments.inverseSd(var), new long[0], new double[0]);
    }

    private static final class Scratch {
        final int[] count;
        final double[] sum;
        final int[] touched;
        /** One column's values by token (zeros elsewhere), for sparse dot products. */
        final float[] dense;

        Scratch(int p, int tokens) {
            count = new int[p];
            sum = new double[p];
            touched = new int[p];
            dense = new float[tokens];
        }
    }
}
