package org.saeatlas.compute.lasso;

/**
 * Unpenalised least squares on a support S in Gram form: solve {@code R_SS b = rho_S} by Cholesky; the residual sum
 * of squares per unit response variance is {@code 1 - b' rho_S}. A pivot below 1e-10 (collinear candidates) marks
 * the support unusable. Cost O(|S|^3 / 6).
 */
final class Refit {
    private Refit() {
    }

    /** Coefficients on {@code support} (indices into rho), or null when R_SS is numerically singular. */
    static double[] solve(double[] gram, int c, double[] rho, int[] support) {
        int s = support.length;
        double[] l = new double[s * s];
        for (int a = 0; a < s; a++) {
            for (int b = 0; b <= a; b++) {
                double v = gram[support[a] * c + support[b]];
                for (int k = 0; k < b; k++) {
                    v -= l[a * s + k] * l[b * s + k];
                }
                if (a == b) {
                    if (v < 1e-10) {
                        return null;
                    }
                    l[a * s + a] = Math.sqrt(v);
                } else {
                    l[a * s + b] = v / l[b * s + b];
                }
            }
        }
        double[] y = new double[s];
        for (int a = 0; a < s; a++) {
            double v = rho[support[a]];
            for (int k = 0; k < a; k++) {
                v -= l[a * s + k] * y[k];
            }
            y[a] = v / l[a * s + a];
        }
        double[] x = new double[s];
        for (int a = s - 1; a >= 0; a--) {
            double v = y[a];
            for (int k = a + 1; k < s; k++) {
                v -= l[k * s + a] * x[k];
            }
            x[a] = v / l[a * s + a];
        }
        return x;
    }

    static double rss(double[] rho, int[] support, double[] coef) {
        double s = 1;
        for (int a = 0; a < support.length; a++) {
            s -= coef[a] * rho[support[a]];
        }
        return s;
    }
}
