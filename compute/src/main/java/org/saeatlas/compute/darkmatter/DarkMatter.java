package org.saeatlas.compute.darkmatter;

import java.util.concurrent.ForkJoinPool;

/**
 * How much of an SAE's error ("dark matter", Engels et al. 2024) is a linear function of its input: fits the ridge
 * least-squares maps {@code x -> e} and {@code x -> ||e||^2} on the training tokens of {@link ErrorMoments} and
 * scores them on the held-out tokens, all from the sufficient statistics.
 *
 * <p>Method. Training side, centred: {@code C_xx = sum x~x~^T - n mx mx^T}, {@code C_xe}, {@code c_xy} likewise;
 * {@code A = C_xx + lambda I} with {@code lambda = ridge * tr(C_xx) / d}; by the engine's {@link RidgeSolver}
 * {@code W = A^-1 C_xe} (d right-hand sides), {@code b = me - W^T mx}, {@code w = A^-1 c_xy}, {@code b_y = my -
 * w . mx}. Held-out side: the residual sum of squares of {@code e - (W^T x + b)} expands into the held-out sums,
 * <pre>RSS = sum||e||^2 - 2 tr(W^T S_xe) - 2 b.s_e + tr(W^T S_xx W) + 2 b.(W^T s_x) + n ||b||^2</pre>
 * and likewise for y. Then {@code errorLinearR2 = 1 - RSS / (sum||e||^2 - ||s_e||^2 / n)}, {@code nonlinearFvu =
 * RSS / (tr S_xx - ||s_x||^2 / n)} (since {@code x - x_hat - e_hat = e - e_hat}) and {@code errorNormProbeR2 = 1 -
 * RSS_y / TSS_y}.
 *
 * <p>Cost: O(d^3) once, in {@link ErrorMoments}'s {@link RidgeSolver}: in Java {@code d^3/6} for the factorisation,
 * {@code d^3} for the solves, {@code d^3} for the held-out trace (2.2 x 12 G multiply-adds at d = 2,304), in place in
 * the training sums (no further d x d memory); on DJL a float64 inverse and two matmuls (about {@code 3 d^3}, 10x
 * less CPU at d = 2,304, three {@code d x d} native matrices at a time); the rest is {@code O(d^2)}.
 */
public final class DarkMatter {

    private DarkMatter() {
    }

    /** Fits and scores; consumes {@code m} (its sums are overwritten). */
    public static DarkMatterResult fit(ErrorMoments m) {
        m.consume();
        DarkMatterParameters p = m.parameters();
        int d = m.dIn();
        ErrorMoments.Side tr = m.train;
        ErrorMoments.Side ho = m.heldOut;
        double nan = Double.NaN;
        if (tr.n < 2 || ho.n < 2) {
            return new DarkMatterResult(nan, nan, nan, nan, tr.n, ho.n, p.heldOutShare(), p.ridge(), p.seed(), d);
        }
        ForkJoinPool pool = m.pool();
        double n = tr.n;
        double[] mx = new double[d];
        double[] me = new double[d];
        for (int c = 0; c < d; c++) {
            mx[c] = tr.sx[c] / n;
            me[c] = tr.se[c] / n;
        }
        double my = tr.sy / n;
        double[] a = tr.sxx;
        double trace = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                a[i * d + j] -= n * mx[i] * mx[j];
            }
            trace += a[i * d + i];
        }
        // held-out totals first: they decide whether the statistics exist at all
        double hn = ho.n;
        double tssE = ho.ee - dot(ho.se, ho.se) / hn;
        double hTrace = 0;
        for (int i = 0; i < d; i++) {
            hTrace += ho.sxx[i * d + i];
        }
        double tssX = hTrace - dot(ho.sx, ho.sx) / hn;
        double tssY = ho.syy - ho.sy * ho.sy / hn;
        double heldOutFvu = tssX > 0 ? ho.ee / tssX : nan;
        if (!(trace > 0)) {
            return new DarkMatterResult(nan, nan, nan, heldOutFvu, tr.n, ho.n, p.heldOutShare(), p.ridge(), p.seed(),
                    d);
        }
        double lambda = p.ridge() * trace / d;
        for (int i = 0; i < d; i++) {
            a[i * d + i] += lambda;
        }
        double[] w = tr.sxe;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                w[i * d + j] -= n * mx[i] * me[j];
            }
        }
        double[] wy = new double[d];
        for (int i = 0; i < d; i++) {
            wy[i] = tr.sxy[i] - n * mx[i] * my;
        }
        Dense.symmetrize(ho.sxx, d);
        double quad = m.solver().solve(pool, a, w, wy, ho.sxx, d);
        double[] b = new double[d];
        for (int j = 0; j < d; j++) {
            b[j] = me[j];
        }
        for (int i = 0; i < d; i++) {
            double f = mx[i];
            int o = i * d;
            for (int j = 0; j < d; j++) {
                b[j] -= w[o + j] * f;
            }
        }
        double by = my - dot(wy, mx);

        double cross = dot(w, ho.sxe);
        double[] wtsx = new double[d];
        for (int i = 0; i < d; i++) {
            double f = ho.sx[i];
            int o = i * d;
            for (int j = 0; j < d; j++) {
                wtsx[j] += w[o + j] * f;
            }
        }
        double rss = ho.ee - 2 * cross - 2 * dot(b, ho.se) + quad + 2 * dot(b, wtsx) + hn * dot(b, b);
        rss = Math.max(0, rss);

        double[] sw = new double[d];
        for (int i = 0; i < d; i++) {
            int o = i * d;
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += ho.sxx[o + k] * wy[k];
            }
            sw[i] = s;
        }
        double rssY = ho.syy - 2 * dot(wy, ho.sxy) - 2 * by * ho.sy + dot(wy, sw) + 2 * by * dot(wy, ho.sx)
                + hn * by * by;
        rssY = Math.max(0, rssY);

        double linearR2 = tssE > 0 ? 1 - rss / tssE : nan;
        double probeR2 = tssY > 0 ? 1 - rssY / tssY : nan;
        double nonlinear = tssX > 0 ? rss / tssX : nan;
        return new DarkMatterResult(linearR2, probeR2, nonlinear, heldOutFvu, tr.n, ho.n, p.heldOutShare(),
                p.ridge(), p.seed(), d);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
