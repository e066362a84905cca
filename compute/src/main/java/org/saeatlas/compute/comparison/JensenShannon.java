package org.saeatlas.compute.comparison;

import org.saeatlas.errors.AtlasException;

/**
 * Jensen-Shannon divergence of two discrete distributions given as histograms of counts (normalised here; a shorter
 * histogram is padded with zeros): {@code JSD(P, Q) = H(M) - (H(P) + H(Q)) / 2 = (KL(P||M) + KL(Q||M)) / 2} with
 * {@code M = (P + Q) / 2} (Lin 1991, "Divergence measures based on the Shannon entropy", IEEE Trans. Inf. Theory 37).
 * Logarithms are base 2, so the value lies in [0, 1]: 0 for equal distributions, 1 for disjoint supports. This is the
 * divergence itself, not its square root (the Jensen-Shannon distance, which SciPy's {@code jensenshannon} returns).
 * Terms with zero probability contribute 0. O(length).
 */
public final class JensenShannon {

    private static final double LN2 = Math.log(2);

    private JensenShannon() {
    }

    public static double divergence(long[] p, long[] q) {
        double[] a = new double[p.length];
        double[] b = new double[q.length];
        for (int i = 0; i < p.length; i++) {
            a[i] = p[i];
        }
        for (int i = 0; i < q.length; i++) {
            b[i] = q[i];
        }
        return divergence(a, b);
    }

    /** As {@link #divergence(long[], long[])} for non-negative weights with positive sums. */
    public static double divergence(double[] p, double[] q) {
        double sp = total(p, "first");
        double sq = total(q, "second");
        int n = Math.max(p.length, q.length);
        double jsd = 0;
        for (int i = 0; i < n; i++) {
            double x = i < p.length ? p[i] / sp : 0;
            double y = i < q.length ? q[i] / sq : 0;
            double m = (x + y) / 2;
            jsd += term(x, m) + term(y, m);
        }
        return Math.max(0, Math.min(1, jsd / 2 / LN2));
    }

    private static double term(double x, double m) {
        return x > 0 ? x * Math.log(x / m) : 0;
    }

    private static double total(double[] p, String which) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0) || Double.isInfinite(p[i])) {
                throw new AtlasException("Jensen-Shannon: the " + which + " histogram has " + p[i] + " at " + i
                        + " (expected finite non-negative counts)");
            }
            s += p[i];
        }
        if (!(s > 0)) {
            throw new AtlasException("Jensen-Shannon: the " + which
                    + " histogram is empty (expected a positive total)");
        }
        return s;
    }
}
