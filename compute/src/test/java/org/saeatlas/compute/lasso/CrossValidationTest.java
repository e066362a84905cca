package org.saeatlas.compute.lasso;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.coactivation.CoOccurrence;
import org.saeatlas.compute.correlation.TrialMoments;
import org.saeatlas.compute.resampling.Folds;

/** Gram-form K-fold cross-validation against the same computation done directly on dense token rows. */
class CrossValidationTest {
    private static final int N = 400;
    private static final int P = 5;
    private static final int K = 4;
    private static final int[] CAND = {1, 2, 3, 4};

    /** Sparse non-negative data: x0 = 0.8 x1 + 0.5 x2 + noise where it fires; x3 follows x1; x4 is noise. */
    private static double[][] dense(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] d = new double[n][P];
        for (int t = 0; t < n; t++) {
            d[t][1] = rng.nextDouble() < 0.4 ? 0.5 + rng.nextDouble() : 0;
            d[t][2] = rng.nextDouble() < 0.4 ? 0.5 + rng.nextDouble() : 0;
            d[t][3] = d[t][1] > 0 && rng.nextDouble() < 0.8 ? d[t][1] + 0.3 * rng.nextDouble() : 0;
            d[t][4] = rng.nextDouble() < 0.3 ? rng.nextDouble() : 0;
            double y = 0.8 * d[t][1] + 0.5 * d[t][2] + 0.3 * (rng.nextDouble() - 0.5);
            d[t][0] = y > 0.2 ? y : 0;
        }
        return d;
    }

    private static SparseActivations sparse(double[][] d) {
        int[] ptr = new int[d.length + 1];
        List<Integer> f = new ArrayList<>();
        List<Float> v = new ArrayList<>();
        for (int t = 0; t < d.length; t++) {
            for (int j = 0; j < P; j++) {
                if (d[t][j] != 0) {
                    f.add(j);
                    v.add((float) d[t][j]);
                }
            }
            ptr[t + 1] = f.size();
        }
        float[] vals = new float[v.size()];
        for (int k = 0; k < vals.length; k++) {
            vals[k] = v.get(k);
        }
        return new SparseActivations(d.length, P, ptr, f.stream().mapToInt(Integer::intValue).toArray(), vals);
    }

    /** The held-out errors computed directly: standardise with training rows, solve, predict the held-out rows. */
    private static double[] directErrors(double[][] d, int[] fold, double[] lambdas, boolean refit) {
        double[] err = new double[lambdas.length];
        for (int f = 0; f < K; f++) {
            double[] mu = new double[P];
            double[] sd = new double[P];
            int nTr = 0;
            for (int t = 0; t < d.length; t++) {
                if (fold[t] != f) {
                    nTr++;
                    for (int j = 0; j < P; j++) {
                        mu[j] += d[t][j];
                    }
                }
            }
            for (int j = 0; j < P; j++) {
                mu[j] /= nTr;
            }
            for (int t = 0; t < d.length; t++) {
                if (fold[t] != f) {
                    for (int j = 0; j < P; j++) {
                        sd[j] += (d[t][j] - mu[j]) * (d[t][j] - mu[j]);
                    }
                }
            }
            for (int j = 0; j < P; j++) {
                sd[j] = Math.sqrt(sd[j] / nTr);
            }
            double[] gram = new double[CAND.length * CAND.length];
            double[] rho = new double[CAND.length];
            for (int t = 0; t < d.length; t++) {
                if (fold[t] != f) {
                    for (int a = 0; a < CAND.length; a++) {
                        double za = (d[t][CAND[a]] - mu[CAND[a]]) / sd[CAND[a]];
                        rho[a] += za * (d[t][0] - mu[0]) / sd[0] / nTr;
                        for (int b = 0; b < CAND.length; b++) {
                            gram[a * CAND.length + b] += za * (d[t][CAND[b]] - mu[CAND[b]]) / sd[CAND[b]] / nTr;
                        }
                    }
                }
            }
            GramLasso solver = new GramLasso(gram, rho);
            for (int k = 0; k < lambdas.length; k++) {
                double[] b = new double[CAND.length];
                if (k > 0) {
                    solver.solve(lambdas[k], lambdas[k - 1]);
                    b = solver.beta();
                    int[] s = NodewiseLasso.support(b);
                    double[] coef = refit && s.length > 0 ? Refit.solve(gram, CAND.length, rho, s) : null;
                    if (coef != null) {
                        b = new double[CAND.length];
                        for (int a = 0; a < s.length; a++) {
                            b[s[a]] = coef[a];
                        }
                    }
                }
                for (int t = 0; t < d.length; t++) {
                    if (fold[t] == f) {
                        double e = (d[t][0] - mu[0]) / sd[0];
                        for (int a = 0; a < CAND.length; a++) {
                            e -= b[a] * (d[t][CAND[a]] - mu[CAND[a]]) / sd[CAND[a]];
                        }
                        err[k] += e * e;
                    }
                }
            }
        }
        return err;
    }

    /** The dense rows rounded to float, as the sparse matrix stores them. */
    private static double[][] asStored(double[][] d) {
        double[][] out = new double[d.length][P];
        for (int t = 0; t < d.length; t++) {
            for (int j = 0; j < P; j++) {
                out[t][j] = (float) d[t][j];
            }
        }
        return out;
    }

    @Test
    void gramFormFoldErrorsEqualTheDirectComputation() {
        double[][] d = dense(N, 3L);
        SparseActivations x = sparse(d);
        double[][] stored = asStored(d);
        TrialMoments full = TrialMoments.of(CoOccurrence.of(x, 1, Progress.NONE));
        int[] fold = Folds.assign(N, K, 17L);
        FoldMoments fm = FoldMoments.of(x, full.keys(), fold, K, 2);
        for (boolean refit : new boolean[] {false, true}) {
            LassoParameters lp = new LassoParameters(30, 1e-3, Criterion.CV, 0, refit, SampleSize.TOKENS, K);
            double[] lambdas = NodewiseLasso.lambdas(
                    GramLasso.lambdaMax(NodewiseLasso.correlations(full, 0, CAND)), lp);
            double[] gramForm = CrossValidation.errors(fm, 0, CAND, lambdas, refit);
            double[] direct = directErrors(stored, fold, lambdas, refit);
            for (int k = 0; k < lambdas.length; k++) {
                assertEquals(direct[k], gramForm[k], 1e-9 * direct[0], "refit=" + refit + " lambda " + k);
            }
            int best = CrossValidation.argmin(gramForm);
            assertEquals(CrossValidation.argmin(direct), best);
            assertTrue(best > 0 && gramForm[best] < 0.8 * gramForm[0], "a real signal beats the empty model");
        }
    }

    @Test
    void crossValidationKeepsTheDirectPredictors() {
        double[][] d = dense(4000, 5L);
        SparseActivations x = sparse(d);
        TrialMoments full = TrialMoments.of(CoOccurrence.of(x, 1, Progress.NONE));
        FoldMoments fm = FoldMoments.of(x, full.keys(), Folds.assign(4000, 5, 1L), 5, 1);
        LassoParameters lp = new LassoParameters(30, 1e-3, Criterion.CV, 0, true, SampleSize.TOKENS, 5);
        NodewiseLasso.Fit fit = NodewiseLasso.fit(full, new int[][] {CAND, {}, {}, {}, {}}, lp, 1, fm);
        List<Integer> chosen = new ArrayList<>();
        for (int j : fit.selected()[0]) {
            chosen.add(j);
        }
        assertTrue(chosen.contains(1) && chosen.contains(2), "selected " + chosen);
        assertThrows(AtlasException.class, () -> NodewiseLasso.fit(full, new int[][] {CAND, {}, {}, {}, {}}, lp, 1));
    }

    @Test
    void foldsAreSeededBalancedAndValidated() {
        int[] a = Folds.assign(103, 5, 9L);
        assertArrayEquals(a, Folds.assign(103, 5, 9L));
        int[] size = new int[5];
        for (int f : a) {
            size[f]++;
        }
        assertArrayEquals(new int[] {21, 21, 21, 20, 20}, size);
        assertThrows(AtlasException.class, () -> Folds.assign(10, 1, 1L));
        assertThrows(AtlasException.class, () -> new LassoParameters(30, 1e-3, Criterion.CV, 0, true,
                SampleSize.TOKENS, 1));
    }
}
