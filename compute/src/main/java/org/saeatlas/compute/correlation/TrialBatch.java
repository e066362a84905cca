package org.saeatlas.compute.correlation;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.coactivation.CoOccurrence;

/**
 * Pass 1 of the hypergeometric pre-screen ({@link PairScan}) for many trials at once, when every trial is a set of
 * rows of one matrix (token resamples of the data, or of one global null copy). Instead of walking each trial's
 * co-firing pairs separately (every token about R f times for subsample fraction f), each token's pairs are walked
 * once and its trial membership is added to the pair's per-trial counters in one step: 32 trials share eight 64-bit
 * words of 16-bit lanes, and a token adds its precomputed membership words (a 1 in the lane of every trial that drew
 * it). Per trial the counts, the p-values, the kept pairs and the pmf histogram are exactly those of
 * {@link PairScan}'s own pass (the same arithmetic on the same integers), so results do not change.
 *
 * <p>Cost: O(n a^2 / 2 * ceil(G/4)) word additions for n tokens, a active features per token and G trials per
 * group (vs O(f n a^2 / 2 * G) increments trial by trial), plus the per-trial tests of the pairs that co-fire;
 * memory per worker p ceil(G/4) longs, plus n ceil(G/4) longs of membership words. Applies to trials of fewer than
 * 65,536 tokens (the lane width).
 */
public final class TrialBatch {
    /** Trials counted together. */
    static final int GROUP = 32;
    private static final int LANE_BITS = 16;
    private static final int MAX_TRIAL_TOKENS = (1 << LANE_BITS) - 1;

    private TrialBatch() {
    }

    /** Whether the batch pass applies: the hypergeometric test and trials of fewer than 65,536 tokens. */
    public static boolean applies(ScreenParameters sp, int[][] rows) {
        if (sp.method() != PreScreen.HYPERGEOMETRIC) {
            return false;
        }
        for (int[] r : rows) {
            if (r.length > MAX_TRIAL_TOKENS) {
                return false;
            }
        }
        return true;
    }

    /**
     * Pass 1 of every trial {@code x.selectRows(rows[t])}; {@code cuts[t]} is the trial's fixed p-value cut, or NaN for
     * its own Benjamini-Hochberg threshold (exact p-values below a histogram-certified cut-off, as in
     * {@link PairScan}). The result for trial t is to be passed to {@link PairScan#scan} with the same cut.
     */
    public static PairScan.Prepass[] pass(SparseActivations x, int[][] rows, double[] cuts, ScreenParameters sp,
                                          int threads) {
        return pass(x, rows, cuts, sp, threads, Progress.NONE, "pair pass");
    }

    /** As {@link #pass(SparseActivations, int[][], double[], ScreenParameters, int)}, reporting feature blocks done. */
    public static PairScan.Prepass[] pass(SparseActivations x, int[][] rows, double[] cuts, ScreenParameters sp,
                                          int threads, Progress progress, String stage) {
        return pass(x, x.columns(), rows, cuts, sp, threads, progress, stage);
    }

    /** As {@link #pass(SparseActivations, int[][], double[], ScreenParameters, int, Progress, String)} with x's columns. */
    public static PairScan.Prepass[] pass(SparseActivations x, SparseActivations.Columns cols, int[][] rows,
                                          double[] cuts, ScreenParameters sp, int threads, Progress progress,
                                          String stage) {
        PairScan.Prepass[] out = new PairScan.Prepass[rows.length];
        int groups = (rows.length + GROUP - 1) / GROUP;
        int blocks = blocks(x.featureCount(), threads);
        AtomicLong done = new AtomicLong();
        Runnable tick = () -> {
            synchronized (progress) {
                progress.update(stage, done.incrementAndGet(), (long) groups * blocks);
            }
        };
        for (int g0 = 0; g0 < rows.length; g0 += GROUP) {
            group(x, cols, rows, cuts, sp, threads, g0, Math.min(rows.length, g0 + GROUP), out, tick);
        }
        return out;
    }

    private static int blocks(int p, int threads) {
        return Math.max(1, Math.min(p, 32 * Math.max(1, threads)));
    }

    private static void group(SparseActivations x, SparseActivations.Columns cols, int[][] rows, double[] cuts, ScreenParameters sp, int threads,
                              int g0, int g1, PairScan.Prepass[] out, Runnable tick) {
        int p = x.featureCount();
        int g = g1 - g0;
        int w = (g + 3) / 4;
        long[] lanes = new long[x.tokens() * w];
        int[] count = new int[p * g];
        int nMax = 2;
        for (int t = 0; t < g; t++) {
            long bit = 1L << (LANE_BITS * (t % 4));
            for (int tok : rows[g0 + t]) {
                lanes[tok * w + t / 4] |= bit;
                for (int k = x.rowPtr()[tok]; k < x.rowPtr()[tok + 1]; k++) {
                    count[x.features()[k] * g + t]++;
                }
            }
            nMax = Math.max(nMax, rows[g0 + t].length);
        }
        Tests tests = new Tests(g, p, nMax, sp);
        for (int t = 0; t < g; t++) {
            tests.init(t, rows[g0 + t].length, count, cuts[g0 + t], sp);
        }
        int blocks = blocks(p, threads);
        int span = (p + blocks - 1) / blocks;
        PairScreen.Kept[][] parts = new PairScreen.Kept[g][blocks];
        int[][][] hists = new int[g][blocks][];
        CoOccurrence.runWith(threads, () -> IntStream.range(0, blocks).parallel().forEach(b -> {
            PairScreen.Kept[] kept = new PairScreen.Kept[g];
            int[][] hist = new int[g][];
            for (int t = 0; t < g; t++) {
                kept[t] = new PairScreen.Kept();
                // trials without a histogram get an empty one that the test never touches (level -infinity): no
                // null check in the hot loop, whose profile would otherwise flip between passes and recompile it
                hist[t] = new int[Math.max(1, tests.histLength[t])];
            }
            long[] acc = new long[p * w];
            double[] rowLf = new double[2 * g];
            int[] rowLeast = new int[g];
            for (int i = b * span; i < Math.min(p, (b + 1) * span); i++) {
                row(x, cols, i, lanes, w, acc, tests, count, kept, hist, rowLf, rowLeast);
            }
            for (int t = 0; t < g; t++) {
                parts[t][b] = kept[t];
                hists[t][b] = hist[t];
            }
            tick.run();
        }));
        for (int t = 0; t < g; t++) {
            PairScreen.Kept kept = PairScreen.Kept.concat(parts[t]);
            double certified = tests.cutoff[t];
            if (tests.histLength[t] > 0) {
                int[] sum = new int[tests.histLength[t]];
                for (int[] h : hists[t]) {
                    for (int k = 0; k < sum.length; k++) {
                        sum[k] += h[k];
                    }
                }
                certified = PairScan.certifiedCut(sum, tests.cutoff[t], sp.q(), tests.tests[t]);
            }
            out[g0 + t] = new PairScan.Prepass(kept, tests.cutoff[t], certified);
        }
    }

    private static void row(SparseActivations x, SparseActivations.Columns cols, int i, long[] lanes, int w,
                            long[] acc, Tests tests, int[] count, PairScreen.Kept[] kept, int[][] hist,
                            double[] rowLf, int[] rowLeast) {
        int[] rowPtr = x.rowPtr();
        int[] feats = x.features();
        int[] tokens = cols.tokens();
        int top = i;
        for (int a = cols.colPtr()[i]; a < cols.colPtr()[i + 1]; a++) {
            int tok = tokens[a];
            int lane = tok * w;
            int end = rowPtr[tok + 1] - 1;
            top = Math.max(top, feats[end]);
            if (w == 8) {
                long l0 = lanes[lane];
                long l1 = lanes[lane + 1];
                long l2 = lanes[lane + 2];
                long l3 = lanes[lane + 3];
                long l4 = lanes[lane + 4];
                long l5 = lanes[lane + 5];
                long l6 = lanes[lane + 6];
                long l7 = lanes[lane + 7];
                for (int k = end; k >= rowPtr[tok]; k--) {
                    int j = feats[k];
                    if (j <= i) {
                        break;
                    }
                    int at = j << 3;
                    acc[at] += l0;
                    acc[at + 1] += l1;
                    acc[at + 2] += l2;
                    acc[at + 3] += l3;
                    acc[at + 4] += l4;
                    acc[at + 5] += l5;
                    acc[at + 6] += l6;
                    acc[at + 7] += l7;
                }
                continue;
            }
            for (int k = end; k >= rowPtr[tok]; k--) {
                int j = feats[k];
                if (j <= i) {
                    break;
                }
                for (int q = 0; q < w; q++) {
                    acc[j * w + q] += lanes[lane + q];
                }
            }
        }
        int g = tests.trials;
        tests.rowTerms(i, count, rowLf);
        int[] least = tests.least;
        byte[] bucket = tests.bucket;
        int buckets = tests.buckets;
        for (int t = 0; t < g; t++) {
            rowLeast[t] = (t * buckets + bucket[i * g + t]) * buckets;
        }
        for (int j = i + 1; j <= top; j++) {
            for (int q = 0; q < w; q++) {
                long word = acc[j * w + q];
                if (word == 0) {
                    continue;
                }
                acc[j * w + q] = 0;
                // every lane of the word in turn (no search for the non-zero ones): a lane below the least count
                // that can pass for the two features' count buckets (and the co-firing floor) is one comparison,
                // since the full test would neither keep nor bin the pair (Tests.leastCount)
                int lanesHere = Math.min(4, g - q * 4);
                for (int l = 0; l < lanesHere; l++) {
                    int c = (int) (word >>> (LANE_BITS * l)) & MAX_TRIAL_TOKENS;
                    int t = q * 4 + l;
                    if (c < least[rowLeast[t] + bucket[j * g + t]]) {
                        continue;
                    }
                    tests.test(t, i, j, c, count[i * g + t], count[j * g + t], rowLf[t], rowLf[g + t], kept[t],
                            hist[t]);
                }
            }
        }
    }

    /**
     * Per-trial constants of the hypergeometric test, laid out for the batch (as {@link PairTest} computes them), and
     * per trial a table of the least co-firing count that can pass the test for features whose firing counts fall in
     * two given count buckets ({@link #leastCount}), so most pairs are answered by one comparison.
     */
    static final class Tests {
        /** Margin (in log pmf) for the table: far above the rounding of log-factorial sums for n < 65,536. */
        static final double MARGIN = 1e-3;
        /** Counts below this have a bucket each; above, buckets grow by about {@link #GROWTH}. */
        private static final int EXACT = 16;
        private static final double GROWTH = 1.1;
        final int trials;
        final int p;
        final int[] n;
        final long[] tests;
        final double[] cutoff;
        final double[] logCutoff;
        final int[] histLength;
        /** log q when the trial keeps a pmf histogram, else -infinity (nothing is binned). */
        final double[] histLevel;
        /** The larger of histLevel and logCutoff: a pair whose log pmf(c) is above it is neither binned nor kept. */
        final double[] gate;
        final double[] logChooseN;
        final double[] lf;
        final Hypergeometric hyper;
        final int minCoFire;
        final double logQ;
        /** Count bucket of every count 0..nMax (at most 127 buckets below 65,536), and each bucket's least count. */
        final int[] bucketOf;
        final int[] edge;
        final int buckets;
        /** Bucket of feature f's count in trial t at [f * trials + t]. */
        final byte[] bucket;
        /** At [(t * buckets + b1) * buckets + b2], the least co-firing count that can pass (0 where not computed). */
        final int[] least;

        Tests(int trials, int p, int nMax, ScreenParameters sp) {
            this.trials = trials;
            this.p = p;
            n = new int[trials];
            tests = new long[trials];
            cutoff = new double[trials];
            logCutoff = new double[trials];
            histLength = new int[trials];
            histLevel = new double[trials];
            gate = new double[trials];
            logChooseN = new double[p * trials];
            hyper = new Hypergeometric(nMax);
            lf = hyper.logFactorials();
            minCoFire = sp.minCoFire();
            logQ = Math.log(sp.q());
            edge = edges(nMax);
            buckets = edge.length;
            bucketOf = new int[nMax + 1];
            for (int b = 0; b < buckets; b++) {
                int end = b + 1 < buckets ? edge[b + 1] : nMax + 1;
                for (int k = edge[b]; k < end; k++) {
                    bucketOf[k] = b;
                }
            }
            bucket = new byte[p * trials];
            least = new int[trials * buckets * buckets];
        }

        /** Least counts of the buckets: 0..EXACT-1 each alone, then growing by GROWTH, up to nMax. */
        static int[] edges(int nMax) {
            int[] e = new int[8];
            int b = 0;
            for (int k = 0; k <= nMax; k = Math.max(k + 1, k < EXACT ? k + 1 : (int) (k * GROWTH))) {
                if (b == e.length) {
                    e = java.util.Arrays.copyOf(e, 2 * b);
                }
                e[b++] = k;
            }
            return java.util.Arrays.copyOf(e, b);
        }

        /**
         * A co-firing count L such that every pair of features with counts {@code k1 >= a1}, {@code k2 >= a2} and a
         * co-firing count {@code c < L} (on n tokens) fails the test at log level {@code gate}: its
         * {@code log pmf(c)} as {@link #test} computes it is above the gate, or c is at or below the mean
         * {@code k1 k2 / n}. Proof: for c above the mean of (k1, k2) the pmf is non-increasing in c (c is at or above
         * the mode) and, walking from (a1, a2) to (k1, k2) one count at a time, non-decreasing in each count (the
         * ratio {@code pmf(c; k1, k2+1) / pmf(c; k1, k2)} is >= 1 iff {@code c (n+1) >= k1 (k2+1)}, and where that
         * fails c is below the mean of (k1, k2)). So {@code log pmf(c; k1, k2) >= log pmf(L-1; a1, a2)}, which is
         * checked to exceed the gate by {@link #MARGIN}; both computed values are within far less than the margin of
         * the same exact value. L is the least such count found by bisection (the pmf decreases in c past the mean).
         */
        static int leastCount(int a1, int a2, int n, double gate, double[] lf) {
            int s = (int) ((long) a1 * a2 / n) + 1;
            int hi = Math.min(a1, a2);
            if (s > hi || !(logPmf(s, a1, a2, n, lf) > gate + MARGIN)) {
                return s;
            }
            int lo = s;
            int up = hi + 1;
            while (up - lo > 1) {
                int mid = (lo + up) >>> 1;
                if (logPmf(mid, a1, a2, n, lf) > gate + MARGIN) {
                    lo = mid;
                } else {
                    up = mid;
                }
            }
            return lo + 1;
        }

        private static double logPmf(int c, int k1, int k2, int n, double[] lf) {
            return lf[k1] - lf[c] - lf[k1 - c] + (lf[n - k1] - lf[k2 - c] - lf[n - k1 - k2 + c])
                    - (lf[n] - lf[k2] - lf[n - k2]);
        }

        void init(int t, int tokens, int[] count, double fixedCut, ScreenParameters sp) {
            n[t] = tokens;
            int firing = 0;
            int top = 0;
            for (int f = 0; f < p; f++) {
                int k = count[f * trials + t];
                firing += k > 0 ? 1 : 0;
                top = Math.max(top, bucketOf[k]);
                bucket[f * trials + t] = (byte) bucketOf[k];
                logChooseN[f * trials + t] = lf[tokens] - lf[k] - lf[tokens - k];
            }
            tests[t] = (long) firing * (firing - 1) / 2;
            double u = tests[t] == 0 ? sp.q()
                    : Math.min(sp.q(), sp.q() * PairScan.GUESS_PER_FEATURE * firing / (double) tests[t]);
            cutoff[t] = Double.isNaN(fixedCut) ? u : Math.max(0.0, fixedCut);
            logCutoff[t] = Math.log(cutoff[t]);
            histLength[t] = Double.isNaN(fixedCut) && u < sp.q()
                    ? 2 + (int) Math.ceil((logQ - logCutoff[t]) / PairTest.LOG_STEP) : 0;
            histLevel[t] = histLength[t] > 0 ? logQ : Double.NEGATIVE_INFINITY;
            gate[t] = Math.max(histLevel[t], logCutoff[t]);
            for (int b1 = 0; b1 <= top; b1++) {
                for (int b2 = b1; b2 <= top; b2++) {
                    int l = Math.max(minCoFire, leastCount(edge[b1], edge[b2], tokens, gate[t], lf));
                    least[(t * buckets + b1) * buckets + b2] = l;
                    least[(t * buckets + b2) * buckets + b1] = l;
                }
            }
        }

        /**
         * Row i's terms of pmf(c) that do not depend on the partner j, per trial t: {@code out[t] = log K_i!} and
         * {@code out[g + t] = log (n_t - K_i)!} (the same table entries {@link #test} would read for every pair of the
         * row, read once into a small array instead of once per pair from the whole table).
         */
        void rowTerms(int i, int[] count, double[] out) {
            for (int t = 0; t < trials; t++) {
                int k1 = count[i * trials + t];
                out[t] = lf[k1];
                out[trials + t] = lf[n[t] - k1];
            }
        }

        /**
         * {@link PairTest#testCount} for trial t, with the same arithmetic; {@code lfK1} and {@code lfNK1} are
         * {@code log k1!} and {@code log (n_t - k1)!} from {@link #rowTerms}.
         */
        void test(int t, int i, int j, int c, int k1, int k2, double lfK1, double lfNK1, PairScreen.Kept kept,
                  int[] hist) {
            int nt = n[t];
            // pmf(c) first (every index is in range since c <= min(k1, k2) and nt - k1 - k2 + c >= 0): it is above
            // the level that matters for nearly every pair, a predictable exit, whereas "c above its mean" is a
            // coin toss for independent pairs, a mispredicted branch every other time when tested first
            double logFirst = lfK1 - lf[c] - lf[k1 - c] + (lfNK1 - lf[k2 - c] - lf[nt - k1 - k2 + c])
                    - logChooseN[j * trials + t];
            if (logFirst > gate[t] || c < minCoFire || (long) c * nt <= (long) k1 * k2) {
                return;
            }
            // binned when logFirst <= histLevel (the sign bit of the difference is 0), without a branch: the null
            // pass never bins, the observed pass always does, and a branch profiled in one would recompile in the
            // other (a trial without a histogram only passes the gate with logFirst <= logCutoff: bin 0, adding 0)
            hist[PairTest.bin(logFirst, logCutoff[t])] +=
                    (int) (Double.doubleToRawLongBits(histLevel[t] - logFirst) >>> 63) ^ 1;
            if (logFirst > logCutoff[t]) {
                return;
            }
            double pv = hyper.tailFrom(logFirst, c, k1, k2, nt, cutoff[t]);
            if (pv <= cutoff[t]) {
                kept.add(i, j, pv, Float.NaN);
            }
        }
    }
}
