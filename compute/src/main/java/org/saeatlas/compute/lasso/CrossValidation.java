package org.saeatlas.compute.lasso;

import org.saeatlas.compute.correlation.TrialMoments;

/**
 * K-fold cross-validation of one nodewise LASSO path, in Gram form. The path is the full-data one,
 * {@code lambda_k = lambda_max ratio^(k/(L-1))}, k = 0..L-1 (k = 0 is the empty model). For each fold f the
 * variables (response i and its candidates) are standardised with the training tokens' means and standard deviations,
 * {@code mu_a = s_a^(-f) / n^(-f)}, and the training correlations
 * {@code r_ab = (S_ab^(-f) / n^(-f) - mu_a mu_b) / (sd_a sd_b)} feed {@link GramLasso} along the same lambdas (warm
 * starts). The held-out error of coefficients b is {@code w' C_f w} with {@code w = (1/sd_i, -b_j/sd_j)} and the
 * held-out centred cross-products {@code C_f(a,b) = S_ab^f - mu_a s_b^f - mu_b s_a^f + n_f mu_a mu_b}: the squared
 * error of the standardised response summed over the fold's tokens, without touching a token. With {@code refit} the
 * coefficients are the least-squares refit on the training support (as the criterion scores them). The lambda with
 * the least error summed over folds wins (ties: the larger lambda); the returned selection is the full-data fit at
 * that lambda. Cost O(K (L k (k + sweeps) + c^2 K)) per node for c candidates; a fold whose training response is
 * constant is skipped.
 */
final class CrossValidation {
    private CrossValidation() {
    }

    static NodewiseLasso.Selection select(TrialMoments co, FoldMoments fm, int i, int[] cand, LassoParameters lp) {
        double[] rho = NodewiseLasso.correlations(co, i, cand);
        double lambdaMax = GramLasso.lambdaMax(rho);
        if (lambdaMax == 0) {
            return NodewiseLasso.Selection.EMPTY;
        }
        double[] lambdas = NodewiseLasso.lambdas(lambdaMax, lp);
        int best = argmin(errors(fm, i, cand, lambdas, lp.refit()));
        if (best == 0) {
            return NodewiseLasso.Selection.EMPTY;
        }
        double[] gram = NodewiseLasso.gram(co, cand);
        GramLasso solver = new GramLasso(gram, rho);
        for (int k = 1; k <= best; k++) {
            solver.solve(lambdas[k], lambdas[k - 1]);
        }
        double[] beta = solver.beta();
        int[] support = NodewiseLasso.support(beta);
        if (support.length == 0) {
            return NodewiseLasso.Selection.EMPTY;
        }
        double[] coef = lp.refit() ? Refit.solve(gram, cand.length, rho, support) : null;
        return new NodewiseLasso.Selection(support, coef != null ? coef : NodewiseLasso.gather(beta, support));
    }

    /** The first index of the least value. */
    static int argmin(double[] err) {
        int best = 0;
        for (int k = 1; k < err.length; k++) {
            if (err[k] < err[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Held-out squared error of the standardised response per lambda, summed over folds. */
    static double[] errors(FoldMoments fm, int i, int[] cand, double[] lambdas, boolean refit) {
        int c = cand.length;
        int[] vars = new int[c + 1];
        vars[0] = i;
        System.arraycopy(cand, 0, vars, 1, c);
        double[] err = new double[lambdas.length];
        for (int f = 0; f < fm.folds(); f++) {
            addFold(fm, f, vars, lambdas, refit, err);
        }
        return err;
    }

    private static void addFold(FoldMoments fm, int f, int[] vars, double[] lambdas, boolean refit, double[] err) {
        int m = vars.length;
        int c = m - 1;
        int total = 0;
        for (int n : fm.tokens()) {
            total += n;
        }
        int nTr = total - fm.tokens()[f];
        double[] mu = new double[m];
        double[] inv = new double[m];
        for (int a = 0; a < m; a++) {
            double s = 0;
            double sq = 0;
            for (int g = 0; g < fm.folds(); g++) {
                if (g != f) {
                    s += fm.sum()[g][vars[a]];
                    sq += fm.sumSq()[g][vars[a]];
                }
            }
            mu[a] = s / nTr;
            double var = Math.max(0.0, sq / nTr - mu[a] * mu[a]);
            inv[a] = var > 0 ? 1 / Math.sqrt(var) : 0;
        }
        if (inv[0] == 0) {
            return;
        }
        double[] r = new double[m * m];
        double[] held = new double[m * m];
        for (int a = 0; a < m; a++) {
            for (int b = a; b < m; b++) {
                double[] sums = pairSums(fm, vars[a], vars[b], f);
                double corr = a == b ? 1.0
                        : Math.max(-1.0, Math.min(1.0, (sums[0] / nTr - mu[a] * mu[b]) * inv[a] * inv[b]));
                double hc = sums[1] - mu[a] * fm.sum()[f][vars[b]] - mu[b] * fm.sum()[f][vars[a]]
                        + fm.tokens()[f] * mu[a] * mu[b];
                r[a * m + b] = corr;
                r[b * m + a] = corr;
                held[a * m + b] = hc;
                held[b * m + a] = hc;
            }
        }
        double[] rho = new double[c];
        double[] gram = new double[c * c];
        for (int a = 0; a < c; a++) {
            rho[a] = r[a + 1];
            for (int b = 0; b < c; b++) {
                gram[a * c + b] = r[(a + 1) * m + b + 1];
            }
        }
        err[0] += inv[0] * inv[0] * held[0];
        GramLasso solver = new GramLasso(gram, rho);
        for (int k = 1; k < lambdas.length; k++) {
            solver.solve(lambdas[k], lambdas[k - 1]);
            double[] beta = solver.beta();
            int[] support = NodewiseLasso.support(beta);
            double[] coef = refit && support.length > 0 ? Refit.solve(gram, c, rho, support) : null;
            if (coef == null) {
                coef = NodewiseLasso.gather(beta, support);
            }
            err[k] += heldOutError(held, m, inv, support, coef);
        }
    }

    /** Training (index 0) and held-out (index 1) sums of products of two variables (sums of squares when equal). */
    private static double[] pairSums(FoldMoments fm, int u, int v, int f) {
        double train = 0;
        double[][] source = fm.sumSq();
        int at = u == v ? u : fm.indexOf(u, v);
        if (u != v) {
            source = fm.pairSums();
        }
        if (at < 0) {
            return new double[2];
        }
        for (int g = 0; g < fm.folds(); g++) {
            if (g != f) {
                train += source[g][at];
            }
        }
        return new double[] {train, source[f][at]};
    }

    /** w' C w over the response (variable 0) and the support (variables support[a] + 1). */
    private static double heldOutError(double[] held, int m, double[] inv, int[] support, double[] coef) {
        int s = support.length;
        int[] idx = new int[s + 1];
        double[] w = new double[s + 1];
        w[0] = inv[0];
        for (int a = 0; a < s; a++) {
            idx[a + 1] = support[a] + 1;
            w[a + 1] = -coef[a] * inv[support[a] + 1];
        }
        double e = 0;
        for (int a = 0; a <= s; a++) {
            for (int b = 0; b <= s; b++) {
                e += w[a] * w[b] * held[idx[a] * m + idx[b]];
            }
        }
        return e;
    }
}
