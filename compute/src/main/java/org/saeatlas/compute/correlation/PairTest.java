package org.saeatlas.compute.correlation;

/**
 * The p-value of one pair from its co-firing count c and sum of products, kept when it could be rejected
 * ({@code p <= cutoff}, at most q). Cheap rejections come first: for the hypergeometric test a count at or below its
 * mean {@code K_i K_j / n}, then a first tail term {@code pmf(c) > cutoff} (the tail is at least its first term); for
 * Fisher z, {@code |r| < tanh(z_q / sqrt(n-3))}, which is the same as {@code p > q}. A NaN sum of products
 * (count-only scan) leaves |r| NaN, to be filled for the discoveries only.
 *
 * <p>A count-only scan may also record, per pair with {@code pmf(c) <= q}, the bin of {@code pmf(c)} on a log scale
 * ({@link #bin}): since {@code p >= pmf(c)}, that histogram bounds the number of p-values below any level from above,
 * which lets {@link PairScan} certify that a cut-off below q loses no Benjamini-Hochberg discovery.
 */
class PairTest {
    /** Bins per factor of 2 in the pmf histogram. */
    static final int BINS_PER_OCTAVE = 4;
    static final double LOG_STEP = Math.log(2) / BINS_PER_OCTAVE;

    final TrialMoments moments;
    final ScreenParameters sp;
    final Hypergeometric hyper;
    final double rCut;
    final double logQ;
    final double cutoff;
    final double logCutoff;
    private final double[] logFact;
    private final double[] logChooseN;

    /** Whether the test needs the sum of products (Fisher z) or only the co-firing count (hypergeometric). */
    boolean needsSums() {
        return hyper == null;
    }

    PairTest(TrialMoments moments, ScreenParameters sp) {
        this(moments, sp, sp.q());
    }

    /** A test that keeps p-values at most {@code cutoff} (in [0, q]). */
    PairTest(TrialMoments moments, ScreenParameters sp, double cutoff) {
        this.moments = moments;
        this.sp = sp;
        int n = moments.tokens();
        this.hyper = sp.method() == PreScreen.HYPERGEOMETRIC ? new Hypergeometric(n) : null;
        this.rCut = Math.tanh(FisherZ.criticalZ(sp.q()) / Math.sqrt(Math.max(1, n - 3)));
        this.logQ = Math.log(sp.q());
        this.cutoff = cutoff;
        this.logCutoff = Math.log(cutoff);
        this.logFact = hyper == null ? null : hyper.logFactorials();
        this.logChooseN = hyper == null ? null : logChooseN(moments, logFact);
    }

    /** {@code log C(n, K_f)} per feature, as {@link Hypergeometric} computes it. */
    private static double[] logChooseN(TrialMoments m, double[] lf) {
        int n = m.tokens();
        double[] out = new double[m.featureCount()];
        for (int f = 0; f < out.length; f++) {
            int k = m.count()[f];
            out[f] = lf[n] - lf[k] - lf[n - k];
        }
        return out;
    }

    final void test(int i, int j, int c, double sumProd, PairScreen.Kept kept) {
        if (hyper != null) {
            testCount(i, j, c, kept, null);
            return;
        }
        int n = moments.tokens();
        if (c < sp.minCoFire()) {
            return;
        }
        double r = Double.isNaN(sumProd) ? Double.NaN : moments.pearson(i, j, sumProd);
        if (Math.abs(r) < rCut) {
            return;
        }
        double pv = FisherZ.twoSidedP(FisherZ.z(r, n));
        if (pv <= cutoff) {
            kept.add(i, j, pv, (float) Math.abs(r));
        }
    }

    /**
     * The hypergeometric test of a pair from its count alone; with {@code hist} not null, every pair with
     * {@code pmf(c) <= q} also adds one to the bin of its pmf.
     */
    final void testCount(int i, int j, int c, PairScreen.Kept kept, int[] hist) {
        int n = moments.tokens();
        int k1 = moments.count()[i];
        int k2 = moments.count()[j];
        if (c < sp.minCoFire() || (long) c * n <= (long) k1 * k2) {
            return;
        }
        double[] lf = logFact;
        double logFirst = lf[k1] - lf[c] - lf[k1 - c] + (lf[n - k1] - lf[k2 - c] - lf[n - k1 - k2 + c])
                - logChooseN[j];
        if (hist != null && logFirst <= logQ) {
            hist[bin(logFirst)]++;
        }
        if (logFirst > logCutoff) {
            return;
        }
        double pv = hyper.tailFrom(logFirst, c, k1, k2, n, cutoff);
        if (pv <= cutoff) {
            kept.add(i, j, pv, Float.NaN);
        }
    }

    /**
     * The histogram bin of a first term {@code pmf = exp(logFirst) <= q}: bin 0 holds {@code pmf <= cutoff}, bin b >= 1
     * holds {@code pmf} in {@code (cutoff 2^((b-1)/4), cutoff 2^(b/4)]} (rounding may move a value one bin down, which
     * only makes the bound more conservative).
     */
    final int bin(double logFirst) {
        return bin(logFirst, logCutoff);
    }

    /** {@link #bin(double)} for a given log cut-off; a cast and a compare instead of Math.ceil (same result). */
    static int bin(double logFirst, double logCutoff) {
        if (logFirst <= logCutoff) {
            return 0;
        }
        double v = (logFirst - logCutoff) / LOG_STEP - 1e-9;
        int b = (int) v;
        return b < v ? b + 1 : Math.max(1, b);
    }

    /** Number of histogram bins needed to cover (cutoff, q]. */
    int binCount() {
        return 2 + (int) Math.ceil((logQ - logCutoff) / LOG_STEP);
    }
}
