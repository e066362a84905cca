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
 *
 * <p>Coordinate descent converges slowly on correlated candidates (module members, near-duplicates: tens to
 * hundreds of sweeps per lambda to reach the 1e-9 tolerance). So once a sweep leaves the active set and its signs
 * unchanged, the solution those signs imply is computed directly: {@code b_S = R_SS^-1 (rho_S - lambda s_S)} by
 * Cholesky. It is the exact LASSO solution, and is taken, when its signs are s_S and every other strong coordinate
 * has {@code |g_j| < lambda} (the KKT conditions; the rest are checked as before); otherwise the sweeps go on (each
 * sign pattern is tried once). The accepted point is the fixed point the sweeps were converging to, so the supports
 * along the path are those of the plain iteration except when a coefficient is within the tolerance of a breakpoint.
 * Cost per try O(|S|^3 / 6 + c |S|).
 */
public final class GramLasso {
    static final double TOLERANCE = 1e-9;
    private static final int MAX_SWEEPS = 10_000;

    private final int c;
    private final double[] gram;
    private final double[] beta;
    private final double[] grad;
    private final boolean[] strong;
    private final double[] rho;
    private final boolean direct;
    private long sweeps;
    /** Whether an update in the current sweep moved a coordinate to or from zero or changed its sign. */
    private boolean patternChanged;

    /** @param gram row-major c x c correlation matrix (unit diagonal), @param rho correlations with the response */
    public GramLasso(double[] gram, double[] rho) {
        this(gram, rho, true);
    }

    /** With {@code direct} false, plain coordinate descent (no solve on a settled support): the reference in tests. */
    GramLasso(double[] gram, double[] rho, boolean direct) {
        this.direct = direct;
        this.c = rho.length;
        this.gram = gram;
        this.beta = new double[c];
        this.grad = rho.clone();
        this.strong = new boolean[c];
        this.rho = rho;
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

    /** Sweeps over the strong set so far (for tests of the cost). */
    long sweeps() {
        return sweeps;
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
        boolean tried = false;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            double maxChange = 0;
            patternChanged = false;
            sweeps++;
            for (int j = 0; j < c; j++) {
                if (strong[j]) {
                    maxChange = Math.max(maxChange, update(j, lambda));
                }
            }
            if (maxChange < TOLERANCE) {
                return;
            }
            if (patternChanged) {
                tried = false;
            } else if (direct && !tried) {
                tried = true;
                if (solveOnSupport(lambda)) {
                    return;
                }
            }
        }
    }

    /**
     * The LASSO solution with the current active set and signs, {@code b_S = R_SS^-1 (rho_S - lambda s_S)}; taken
     * (beta and the gradient set to it) when it keeps those signs and every other strong coordinate has
     * {@code |g_j| < lambda}. False when it fails either test or R_SS is numerically singular.
     */
    private boolean solveOnSupport(double lambda) {
        int s = 0;
        for (int j = 0; j < c; j++) {
            s += beta[j] != 0 ? 1 : 0;
        }
        if (s == 0) {
            return false;
        }
        int[] support = new int[s];
        double[] rhs = new double[c];
        int at = 0;
        for (int j = 0; j < c; j++) {
            if (beta[j] != 0) {
                support[at++] = j;
                rhs[j] = rho[j] - (beta[j] > 0 ? lambda : -lambda);
            }
        }
        double[] b = Refit.solve(gram, c, rhs, support);
        if (b == null) {
            return false;
        }
        for (int a = 0; a < s; a++) {
            if (b[a] == 0 || (b[a] > 0) != (beta[support[a]] > 0)) {
                return false;
            }
        }
        double[] g = rho.clone();
        for (int a = 0; a < s; a++) {
            int row = support[a] * c;
            for (int l = 0; l < c; l++) {
                g[l] -= b[a] * gram[row + l];
            }
        }
        for (int j = 0; j < c; j++) {
            if (strong[j] && beta[j] == 0 && !(Math.abs(g[j]) < lambda)) {
                return false;
            }
        }
        for (int a = 0; a < s; a++) {
            beta[support[a]] = b[a];
        }
        System.arraycopy(g, 0, grad, 0, c);
        return true;
    }

    private double update(int j, double lambda) {
        double z = grad[j] + beta[j];
        double next = z > lambda ? z - lambda : z < -lambda ? z + lambda : 0.0;
        double d = next - beta[j];
        if (d == 0) {
            return 0;
        }
        if (next == 0 || beta[j] == 0 || (next > 0) != (beta[j] > 0)) {
            patternChanged = true;
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
