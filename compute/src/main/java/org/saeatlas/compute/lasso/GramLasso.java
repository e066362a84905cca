package org.saeatlas.compute.lasso;

/**
 * LASSO in covariance (Gram) form for standardised variables: minimise
 * {@code 1/2 (1 - 2 b'rho + b'Rb) + lambda |b|_1}, where R (c x c, unit diagonal) is the correlation matrix of the
 * candidates and rho their correlations with the response. Coordinate descent (Friedman, Hastie &amp; Tibshirani, J.
 * Stat. Softw. 2010, "covariance updates"): with the gradient {@code g = rho - R b} kept current,
 * {@code b_j <- S(g_j + b_j, lambda)} and a change d updates {@code g -= d R_j}. Along a decreasing path each lambda
 * starts from the previous solution (warm start) and only the sequential strong set
 * {@code {j : b_j != 0 or |g_j| >= 2 lambda_k - lambda_(k-1)}} (Tibshirani et al., JRSS B 2012) is swept; after
 * convergence the KKT conditions {@code |g_j| <= lambda} are checked on the rest and violators added. Cost per sweep
 * O(|strong set| + changes * c); memory O(c^2). The token dimension never appears.
 */
public final class GramLasso {
    static final double TOLERANCE = 1e-9;
    private static final int MAX_SWEEPS = 10_000;

    private final int c;
    private final double[] gram;
    private final double[] beta;
    private final double[] grad;
    private final boolean[] strong;

    /** @param gram row-major c x c correlation matrix (unit diagonal), @param rho correlations with the response */
    public GramLasso(double[] gram, double[] rho) {
        this.c = rho.length;
        this.gram = gram;
        this.beta = new double[c];
        this.grad = rho.clone();
        this.strong = new boolean[c];
    }

    /** lambda_max = max |rho_j|: the smallest lambda at which b = 0. */
    public static double lambdaMax(double[] rho) {
        double m = 0;
        for (double r : rho) {
            m = Math.max(m, Math.abs(r));
        }
        return m;
    }

    /** Solves at {@code lambda}, warm-started from the current solution; previous is the last lambda solved. */
    public void solve(double lambda, double previous) {
        double strongCut = 2 * lambda - previous;
        for (int j = 0; j < c; j++) {
            strong[j] = beta[j] != 0 || Math.abs(grad[j]) >= strongCut;
        }
        do {
            sweepUntilConverged(lambda);
        } while (addViolators(lambda));
    }

    public double[] beta() {
        return beta.clone();
    }

    /** The gradient rho - R b at the current solution. */
    public double[] gradient() {
        return grad.clone();
    }

    /** Residual sum of squares per unit variance of the response: 1 - 2 b'rho + b'Rb = 1 - b'rho - b'g. */
    public double rss(double[] rho) {
        double s = 1;
        for (int j = 0; j < c; j++) {
            s -= beta[j] * (rho[j] + grad[j]);
        }
        return s;
    }

    private void sweepUntilConverged(double lambda) {
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double maxChange = 0;
            for (int j = 0; j < c; j++) {
                if (strong[j]) {
                    maxChange = Math.max(maxChange, update(j, lambda));
                }
            }
            if (maxChange < TOLERANCE) {
                return;
            }
        }
    }

    private double update(int j, double lambda) {
        double z = grad[j] + beta[j];
        double next = z > lambda ? z - lambda : z < -lambda ? z + lambda : 0.0;
        double d = next - beta[j];
        if (d == 0) {
            return 0;
        }
        beta[j] = next;
        int row = j * c;
        for (int l = 0; l < c; l++) {
            grad[l] -= d * gram[row + l];
        }
        return Math.abs(d);
    }

    private boolean addViolators(double lambda) {
        boolean any = false;
        for (int j = 0; j < c; j++) {
            if (!strong[j] && Math.abs(grad[j]) > lambda + TOLERANCE) {
                strong[j] = true;
                any = true;
            }
        }
        return any;
    }
}
