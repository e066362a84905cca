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
    private static final long LANE_MASK = 0xFFFFL;
    /** Every bit of every lane but the lowest: a lane is non-zero under this mask iff its count is >= 2. */
    private static final long ONES_FROM_TWO = 0xFFFE_FFFE_FFFE_FFFEL;

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
            for (int i = b * span; i < Math.min(p, (b + 1) * span); i++) {
                row(x, cols, i, lanes, w, acc, tests, count, kept, hist);
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
                            long[] acc, Tests tests, int[] count, PairScreen.Kept[] kept, int[][] hist) {
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
        long floor = tests.minCoFire >= 2 ? ONES_FROM_TWO : -1L;
        for (int j = i + 1; j <= top; j++) {
            for (int q = 0; q < w; q++) {
                long word = acc[j * w + q];
                if (word == 0) {
                    continue;
                }
                acc[j * w + q] = 0;
                // lanes with a count >= 2 (when the co-firing floor is >= 2, lanes of 0 or 1 are never tested)
                long live = word & floor;
                while (live != 0) {
                    int l = Long.numberOfTrailingZeros(live) / LANE_BITS;
                    live &= ~(LANE_MASK << (LANE_BITS * l));
                    int c = (int) (word >>> (LANE_BITS * l)) & MAX_TRIAL_TOKENS;
                    int t = q * 4 + l;
                    tests.test(t, i, j, c, count[i * g + t], count[j * g + t], kept[t], hist[t]);
                }
            }
        }
    }

    /** Per-trial constants of the hypergeometric test, laid out for the batch (as {@link PairTest} computes them). */
    private static final class Tests {
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
        }

        void init(int t, int tokens, int[] count, double fixedCut, ScreenParameters sp) {
            n[t] = tokens;
            int firing = 0;
            for (int f = 0; f < p; f++) {
                int k = count[f * trials + t];
                firing += k > 0 ? 1 : 0;
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
        }

        /** {@link PairTest#testCount} for trial t, with the same arithmetic. */
        void test(int t, int i, int j, int c, int k1, int k2, PairScreen.Kept kept, int[] hist) {
            int nt = n[t];
            // pmf(c) first (every index is in range since c <= min(k1, k2) and nt - k1 - k2 + c >= 0): it is above
            // the level that matters for nearly every pair, a predictable exit, whereas "c above its mean" is a
            // coin toss for independent pairs, a mispredicted branch every other time when tested first
            double logFirst = lf[k1] - lf[c] - lf[k1 - c] + (lf[nt - k1] - lf[k2 - c] - lf[nt - k1 - k2 + c])
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
