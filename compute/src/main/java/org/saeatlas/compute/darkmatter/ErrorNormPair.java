package org.saeatlas.compute.darkmatter;

import org.saeatlas.errors.AtlasException;

/**
 * How well one SAE's per-token error norms predict another's over the same tokens (Engels et al. 2024: larger SAEs
 * mostly fail on the same contexts as smaller ones). Predicts {@code b_t} from {@code a_t}:
 * <ul>
 *   <li>through the origin, as published: {@code b ~ c a}, {@code c = sum ab / sum a^2};</li>
 *   <li>with an intercept: {@code b ~ slope a + intercept}, ordinary least squares (R^2 = squared Pearson r).</li>
 * </ul>
 * Both R^2 are {@code 1 - RSS / sum (b - mean b)^2} over all tokens (NaN when b has no variance). Double sums in
 * token order.
 *
 * @param tokens          tokens compared
 * @param originSlope     c of the fit through the origin
 * @param originR2        its R^2
 * @param slope           slope of the fit with intercept
 * @param intercept       its intercept
 * @param r2              its R^2
 */
public record ErrorNormPair(long tokens, double originSlope, double originR2, double slope, double intercept,
        double r2) {

    /** Fits {@code b} from {@code a}; both over the same tokens in the same order. */
    public static ErrorNormPair fit(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AtlasException("error norm comparison: the two SAEs' error norms cover " + a.length + " and "
                    + b.length + " tokens; they must be the same tokens");
        }
        int n = a.length;
        if (n < 2) {
            throw new AtlasException("error norm comparison: needs at least 2 tokens, found " + n);
        }
        double sa = 0, sb = 0;
        for (int t = 0; t < n; t++) {
            if (!Float.isFinite(a[t]) || !Float.isFinite(b[t])) {
                throw new AtlasException("error norm comparison: token " + t + " has a non-finite error norm ("
                        + a[t] + ", " + b[t] + ")");
            }
            sa += a[t];
            sb += b[t];
        }
        double ma = sa / n;
        double mb = sb / n;
        double saa = 0, sab = 0, sbb = 0, caa = 0, cab = 0, cbb = 0;
        for (int t = 0; t < n; t++) {
            double x = a[t];
            double y = b[t];
            saa += x * x;
            sab += x * y;
            sbb += y * y;
            caa += (x - ma) * (x - ma);
            cab += (x - ma) * (y - mb);
            cbb += (y - mb) * (y - mb);
        }
        double c = saa > 0 ? sab / saa : Double.NaN;
        double rssOrigin = saa > 0 ? Math.max(0, sbb - sab * sab / saa) : Double.NaN;
        double slope = caa > 0 ? cab / caa : Double.NaN;
        double intercept = caa > 0 ? mb - slope * ma : Double.NaN;
        double rss = caa > 0 ? Math.max(0, cbb - cab * cab / caa) : Double.NaN;
        double r2Origin = cbb > 0 ? 1 - rssOrigin / cbb : Double.NaN;
        double r2 = cbb > 0 ? 1 - rss / cbb : Double.NaN;
        return new ErrorNormPair(n, c, r2Origin, slope, intercept, r2);
    }
}
