package org.saeatlas.compute.correlation;

/**
 * Fisher's z-transform of a Pearson correlation and its two-sided normal p-value (Fisher 1915; the published
 * pre-screen): {@code z = atanh(r) * sqrt(n - 3)}, {@code p = erfc(|z| / sqrt 2)}. The complementary error function
 * uses the Chebyshev-fitted form {@code erfc(x) ~ t exp(-x^2 + P(t))}, {@code t = 1/(1 + x/2)}, whose relative error is
 * below 1.2e-7 for every x >= 0 (Press et al., Numerical Recipes, 2nd ed., section 6.2), so tiny p-values keep their
 * relative accuracy. Cost O(1).
 */
public final class FisherZ {
    private static final double[] ERFC_POLY = {
        -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
        0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277};

    private FisherZ() {
    }

    /** z statistic of correlation r over n observations (r clipped away from +-1 so z stays finite). */
    public static double z(double r, int n) {
        double c = Math.max(-1 + 1e-15, Math.min(1 - 1e-15, r));
        double atanh = 0.5 * Math.log((1 + c) / (1 - c));
        return atanh * Math.sqrt(Math.max(1, n - 3));
    }

    /** Two-sided p-value of a standard normal statistic z. */
    public static double twoSidedP(double z) {
        return erfc(Math.abs(z) / Math.sqrt(2));
    }

    /** The |z| whose two-sided p-value is {@code p}, by bisection (used once per run for a cheap cut-off). */
    public static double criticalZ(double p) {
        double lo = 0;
        double hi = 40;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + hi);
            if (twoSidedP(mid) > p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public static double erfc(double x) {
        double ax = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * ax);
        double poly = 0;
        for (int k = ERFC_POLY.length - 1; k >= 0; k--) {
            poly = poly * t + ERFC_POLY[k];
        }
        double v = t * Math.exp(-ax * ax + poly);
        return x >= 0 ? v : 2.0 - v;
    }
}
