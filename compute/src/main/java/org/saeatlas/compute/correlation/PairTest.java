package org.saeatlas.compute.correlation;

/**
 * The p-value of one pair from its co-firing count c and sum of products, kept when it could be rejected
 * ({@code p <= q}). Cheap rejections come first: for the hypergeometric test a count at or below its mean
 * {@code K_i K_j / n}; for Fisher z, {@code |r| < tanh(z_q / sqrt(n-3))}, which is the same as {@code p > q}. A NaN
 * sum of products (count-only scan) leaves |r| NaN, to be filled for the discoveries only.
 */
class PairTest {
    final TrialMoments moments;
    final ScreenParameters sp;
    final Hypergeometric hyper;
    final double rCut;
    final double logQ;

    /** Whether the test needs the sum of products (Fisher z) or only the co-firing count (hypergeometric). */
    boolean needsSums() {
        return hyper == null;
    }

    PairTest(TrialMoments moments, ScreenParameters sp) {
        this.moments = moments;
        this.sp = sp;
        int n = moments.tokens();
        this.hyper = sp.method() == PreScreen.HYPERGEOMETRIC ? new Hypergeometric(n) : null;
        this.rCut = Math.tanh(FisherZ.criticalZ(sp.q()) / Math.sqrt(Math.max(1, n - 3)));
        this.logQ = Math.log(sp.q());
    }

    final void test(int i, int j, int c, double sumProd, PairScreen.Kept kept) {
        int n = moments.tokens();
        int[] count = moments.count();
        if (c < sp.minCoFire() || hyper != null && (long) c * n <= (long) count[i] * count[j]) {
            return;
        }
        double r = Double.isNaN(sumProd) ? Double.NaN : moments.pearson(i, j, sumProd);
        if (hyper == null && Math.abs(r) < rCut) {
            return;
        }
        double pv = hyper != null ? hyper.upperTail(c, count[i], count[j], n, sp.q(), logQ)
                : FisherZ.twoSidedP(FisherZ.z(r, n));
        if (pv <= sp.q()) {
            kept.add(i, j, pv, (float) Math.abs(r));
        }
    }
}
