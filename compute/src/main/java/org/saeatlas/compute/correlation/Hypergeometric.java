package org.saeatlas.compute.correlation;

/**
 * Exact one-sided test of co-firing on firing indicators (Fisher's exact test, upper tail). If features i and j fire
 * on K1 and K2 of n tokens and their firing is independent, the number C of tokens where both fire is
 * hypergeometric: {@code P(C = x) = C(K1,x) C(n-K1, K2-x) / C(n, K2)}. This is also exactly the distribution of C under
 * the feature-shuffle null, so the test is calibrated against the null the method uses, however rare the features.
 * The tail {@code P(C >= c)} is summed upward from {@code pmf(c)} with the ratio
 * {@code pmf(x+1)/pmf(x) = (K1-x)(K2-x) / ((x+1)(n-K1-K2+x+1))}; log-factorials come from a table. Cost O(1) for the
 * first term plus one multiply per further term; the sum stops once it exceeds the caller's cut-off.
 */
public final class Hypergeometric {
    private final double[] logFactorial;

    /** A table of log k! for k = 0..n. Cost O(n). */
    public Hypergeometric(int n) {
        logFactorial = new double[n + 1];
        for (int k = 2; k <= n; k++) {
            logFactorial[k] = logFactorial[k - 1] + Math.log(k);
        }
    }

    /**
     * {@code P(C >= c)} when that is at most {@code cutoff}; otherwise 1.0 (which leaves Benjamini-Hochberg at any
     * q <= cutoff unchanged, since such a pair can never be discovered). Values of c at or below the mean
     * {@code K1 K2 / n} return 1.0 at once: the hypergeometric median is within one of its mean, so their tail is
     * >= 1/2.
     */
    public double upperTail(int c, int k1, int k2, int n, double cutoff) {
        return upperTail(c, k1, k2, n, cutoff, Math.log(cutoff));
    }

    /**
     * As {@link #upperTail(int, int, int, int, double)} with {@code log(cutoff)} precomputed. Since the tail is at
     * least its first term, a pair with {@code log pmf(c) > log cutoff} is answered 1.0 without any exponential.
     */
    public double upperTail(int c, int k1, int k2, int n, double cutoff, double logCutoff) {
        int hi = Math.min(k1, k2);
        if (c > hi) {
            return 0.0;
        }
        if (c <= 0 || (double) c * n <= (double) k1 * k2) {
            return 1.0;
        }
        double logFirst = logChoose(k1, c) + logChoose(n - k1, k2 - c) - logChoose(n, k2);
        if (logFirst > logCutoff) {
            return 1.0;
        }
        return tailFrom(logFirst, c, k1, k2, n, cutoff);
    }

    /**
     * {@code P(C >= c)} given {@code logFirst = log P(C = c)}, when that is at most {@code cutoff}; otherwise 1.0. The
     * sum runs upward from pmf(c) until it exceeds the cut-off or a term no longer changes it. Requires
     * {@code 0 < c <= min(k1, k2)}.
     */
    public double tailFrom(double logFirst, int c, int k1, int k2, int n, double cutoff) {
        int hi = Math.min(k1, k2);
        double term = Math.exp(logFirst);
        double sum = term;
        for (int x = c; x < hi && sum <= cutoff; x++) {
            term *= (double) (k1 - x) * (k2 - x) / ((double) (x + 1) * (n - k1 - k2 + x + 1));
            sum += term;
            if (term <= sum * 1e-17) {
                break;
            }
        }
        return sum <= cutoff ? Math.min(1.0, sum) : 1.0;
    }

    /** log k! for 0 <= k <= n. */
    public double logFactorial(int k) {
        return logFactorial[k];
    }

    /** The table itself (read-only by contract), for callers that fold per-feature terms in advance. */
    double[] logFactorials() {
        return logFactorial;
    }

    private double logChoose(int a, int b) {
        return logFactorial[a] - logFactorial[b] - logFactorial[a - b];
    }
}
