package org.saeatlas.compute.lasso;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.saeatlas.compute.coactivation.CoOccurrence;
import org.saeatlas.compute.correlation.TrialMoments;

/**
 * Nodewise LASSO (Meinshausen &amp; Buehlmann, Ann. Stat. 2006): regress each feature, standardised, on its
 * standardised pre-screen candidates and keep the candidates with non-zero coefficients as its neighbours.
 *
 * <p>Everything is in Gram form: the correlations among {i} and its c candidates come from exact sparse sums
 * ({@link TrialMoments}: {@code r = (S_ij/n - mu_i mu_j)/(sd_i sd_j)}, S_ij = 0 for pairs that never co-fire), so a
 * node costs O(c^2 log P) to assemble (binary search among the P needed pairs) plus the path, never touching the
 * tokens again. The
 * path is geometric, {@code lambda_k = lambda_max * ratio^(k/(L-1))}, solved by {@link GramLasso} with warm starts and
 * strong rules. Each distinct support S on the path is scored by
 * {@code n log(RSS_S/n) + |S| (log n + 2 gamma log c)} (BIC for gamma = 0, EBIC otherwise), with RSS from the
 * penalised fit or, with {@code refit}, from the unpenalised least-squares refit on S (relaxed LASSO, Meinshausen,
 * CSDA 2007). The minimum wins; ties go to the sparser (earlier) model. Nodes run in parallel, each writing only its
 * own slot, so the result is the same at any thread count.
 */
public final class NodewiseLasso {
    private NodewiseLasso() {
    }

    /** One node's selected neighbours (local candidate indices, increasing) and their coefficients. */
    public record Selection(int[] support, double[] coef) {
        static final Selection EMPTY = new Selection(new int[0], new double[0]);
    }

    /** Per feature, the selected neighbours (global indices, increasing) and their standardised coefficients. */
    public record Fit(int[][] selected, float[][] coef) {
        public long directedEdges() {
            long s = 0;
            for (int[] row : selected) {
                s += row.length;
            }
            return s;
        }
    }

    public static Fit fit(TrialMoments co, int[][] candidates, LassoParameters lp, int threads) {
        return fit(co, candidates, lp, threads, null);
    }

    /**
     * As {@link #fit(TrialMoments, int[][], LassoParameters, int)}; {@code folds} gives the per-fold sums that
     * {@link Criterion#CV} needs (ignored by the other criteria).
     */
    public static Fit fit(TrialMoments co, int[][] candidates, LassoParameters lp, int threads, FoldMoments folds) {
        if (lp.criterion() == Criterion.CV && folds == null) {
            throw new org.saeatlas.errors.AtlasException("lasso: criterion cv needs the trial's fold sums; found none");
        }
        int p = candidates.length;
        int[][] selected = new int[p][];
        float[][] coef = new float[p][];
        CoOccurrence.runWith(threads, () -> IntStream.range(0, p).parallel().forEach(i -> {
            int[] cand = candidates[i];
            Selection s = cand.length == 0 ? Selection.EMPTY
                    : lp.criterion() == Criterion.CV ? CrossValidation.select(co, folds, i, cand, lp)
                    : select(gram(co, cand), correlations(co, i, cand), lp.criterionN(co.tokens(), co.count()[i]), lp);
            selected[i] = new int[s.support().length];
            coef[i] = new float[s.support().length];
            for (int a = 0; a < s.support().length; a++) {
                selected[i][a] = cand[s.support()[a]];
                coef[i][a] = (float) s.coef()[a];
            }
        }));
        return new Fit(selected, coef);
    }

    /** Runs the path on a Gram problem and returns the support chosen by BIC or EBIC. */
    public static Selection select(double[] gram, double[] rho, int n, LassoParameters lp) {
        int c = rho.length;
        double lambdaMax = GramLasso.lambdaMax(rho);
        if (lambdaMax == 0) {
            return Selection.EMPTY;
        }
        GramLasso solver = new GramLasso(gram, rho);
        double perVariable = lp.penaltyPerVariable(n, c);
        Selection best = Selection.EMPTY;
        double bestScore = 0;
        int[] lastSupport = new int[0];
        double previous = lambdaMax;
        for (int k = 1; k < lp.lambdaCount(); k++) {
            double lambda = lambdaMax * Math.pow(lp.lambdaMinRatio(), k / (double) (lp.lambdaCount() - 1));
            solver.solve(lambda, previous);
            previous = lambda;
            double[] beta = solver.beta();
            int[] support = support(beta);
            if (support.length == 0 || lp.refit() && Arrays.equals(support, lastSupport)) {
                continue;
            }
            lastSupport = support;
            double[] coef = lp.refit() ? Refit.solve(gram, c, rho, support) : gather(beta, support);
            if (coef == null) {
                continue;
            }
            double rss = lp.refit() ? Refit.rss(rho, support, coef) : solver.rss(rho);
            double score = n * Math.log(Math.max(rss, 1e-12)) + support.length * perVariable;
            if (score < bestScore) {
                bestScore = score;
                best = new Selection(support, coef);
            }
        }
        return best;
    }

    /** The geometric path lambda_k = lambda_max ratio^(k/(L-1)), k = 0..L-1. */
    static double[] lambdas(double lambdaMax, LassoParameters lp) {
        double[] out = new double[lp.lambdaCount()];
        for (int k = 0; k < out.length; k++) {
            out[k] = k == 0 ? lambdaMax : lambdaMax * Math.pow(lp.lambdaMinRatio(), k / (double) (lp.lambdaCount() - 1));
        }
        return out;
    }

    static int[] support(double[] beta) {
        int s = 0;
        for (double b : beta) {
            s += b != 0 ? 1 : 0;
        }
        int[] support = new int[s];
        int at = 0;
        for (int j = 0; j < beta.length; j++) {
            if (beta[j] != 0) {
                support[at++] = j;
            }
        }
        return support;
    }

    static double[] gather(double[] beta, int[] support) {
        double[] out = new double[support.length];
        for (int a = 0; a < support.length; a++) {
            out[a] = beta[support[a]];
        }
        return out;
    }

    static double[] correlations(TrialMoments co, int i, int[] cand) {
        double[] rho = new double[cand.length];
        for (int a = 0; a < cand.length; a++) {
            rho[a] = co.correlation(i, cand[a]);
        }
        return rho;
    }

    static double[] gram(TrialMoments co, int[] cand) {
        int c = cand.length;
        double[] g = new double[c * c];
        for (int a = 0; a < c; a++) {
            g[a * c + a] = 1.0;
            for (int b = a + 1; b < c; b++) {
                double r = co.correlation(cand[a], cand[b]);
                g[a * c + b] = r;
                g[b * c + a] = r;
            }
        }
        return g;
    }
}
