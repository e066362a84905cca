package org.saeatlas.compute.lasso;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GramLassoTest {

    @Test
    void oneVariableIsSoftThresholding() {
        GramLasso l = new GramLasso(new double[] {1.0}, new double[] {0.6});
        l.solve(0.25, 0.6);
        assertEquals(0.35, l.beta()[0], 1e-12);
        l.solve(0.7, 0.7);
        assertEquals(0.0, l.beta()[0], 0.0);
    }

    @Test
    void twoVariablesMatchHandDerivedSolution() {
        // rho = (0.6, 0.3), r12 = 0.2. At lambda = 0.1 both are active and positive:
        // [1 .2; .2 1] b = rho - 0.1 = (0.5, 0.2) -> b = (0.46/0.96, 0.10/0.96).
        // At lambda = 0.3 only b1 = 0.6 - 0.3 = 0.3; then |g2| = |0.3 - 0.2*0.3| = 0.24 <= 0.3.
        double[] gram = {1, 0.2, 0.2, 1};
        double[] rho = {0.6, 0.3};
        GramLasso l = new GramLasso(gram, rho);
        l.solve(0.3, 0.6);
        assertArrayEquals(new double[] {0.3, 0.0}, l.beta(), 1e-9);
        l.solve(0.1, 0.3);
        assertArrayEquals(new double[] {0.46 / 0.96, 0.10 / 0.96}, l.beta(), 1e-8);
    }

    @Test
    void kktConditionsHoldAlongThePathOnRandomProblems() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int rep = 0; rep < 20; rep++) {
            int c = 2 + rng.nextInt(9);
            double[][] cols = randomStandardised(rng, 300, c + 1);
            double[] gram = new double[c * c];
            double[] rho = new double[c];
            for (int a = 0; a < c; a++) {
                rho[a] = dot(cols[c], cols[a]);
                for (int b = 0; b < c; b++) {
                    gram[a * c + b] = dot(cols[a], cols[b]);
                }
            }
            GramLasso l = new GramLasso(gram, rho);
            double lambdaMax = GramLasso.lambdaMax(rho);
            double prev = lambdaMax;
            for (int k = 1; k < 25; k++) {
                double lambda = lambdaMax * Math.pow(1e-3, k / 24.0);
                l.solve(lambda, prev);
                prev = lambda;
                assertKkt(l.beta(), gram, rho, lambda);
            }
        }
    }

    @Test
    void solvingOnASettledSupportGivesThePlainIterationsSupportsInFarFewerSweeps() {
        SplittableRandom rng = new SplittableRandom(23);
        long plainSweeps = 0;
        long directSweeps = 0;
        int supports = 0;
        for (int rep = 0; rep < 40; rep++) {
            int c = 2 + rng.nextInt(9);
            double[][] cols = correlatedStandardised(rng, 400, c + 1, 0.9);
            double[] gram = new double[c * c];
            double[] rho = new double[c];
            for (int a = 0; a < c; a++) {
                rho[a] = dot(cols[c], cols[a]);
                for (int b = 0; b < c; b++) {
                    gram[a * c + b] = dot(cols[a], cols[b]);
                }
            }
            GramLasso plain = new GramLasso(gram, rho, false);
            GramLasso direct = new GramLasso(gram, rho, true);
            double lambdaMax = GramLasso.lambdaMax(rho);
            double prev = lambdaMax;
            for (int k = 1; k < 30; k++) {
                double lambda = lambdaMax * Math.pow(1e-3, k / 29.0);
                plain.solve(lambda, prev);
                direct.solve(lambda, prev);
                prev = lambda;
                assertArrayEquals(NodewiseLasso.support(plain.beta()), NodewiseLasso.support(direct.beta()),
                        "problem " + rep + ", lambda " + k);
                assertArrayEquals(plain.beta(), direct.beta(), 1e-7);
                assertKkt(direct.beta(), gram, rho, lambda);
                supports += NodewiseLasso.support(direct.beta()).length;
            }
            plainSweeps += plain.sweeps();
            directSweeps += direct.sweeps();
        }
        assertTrue(supports > 1000, "non-zero coefficients along the paths: " + supports);
        assertTrue(directSweeps * 4 < plainSweeps, "sweeps: direct " + directSweeps + ", plain " + plainSweeps);
    }

    /** Standardised columns sharing one factor with loading {@code share}; the last depends on the first two. */
    static double[][] correlatedStandardised(SplittableRandom rng, int n, int columns, double share) {
        double[][] x = new double[columns][n];
        for (int t = 0; t < n; t++) {
            double shared = rng.nextGaussian();
            for (int a = 0; a < columns - 1; a++) {
                x[a][t] = share * shared + Math.sqrt(1 - share * share) * rng.nextGaussian();
            }
            x[columns - 1][t] = 0.5 * x[0][t] + 0.3 * x[1 % (columns - 1)][t] + rng.nextGaussian();
        }
        standardise(x);
        return x;
    }

    /** KKT of 1/2 (1 - 2 b'rho + b'Rb) + lambda |b|_1: g = rho - Rb; g_j = lambda sign(b_j) or |g_j| <= lambda. */
    static void assertKkt(double[] beta, double[] gram, double[] rho, double lambda) {
        int c = rho.length;
        for (int j = 0; j < c; j++) {
            double g = rho[j];
            for (int l = 0; l < c; l++) {
                g -= gram[j * c + l] * beta[l];
            }
            if (beta[j] != 0) {
                assertEquals(lambda * Math.signum(beta[j]), g, 1e-6, "active coordinate " + j);
            } else {
                assertTrue(Math.abs(g) <= lambda + 1e-6, "inactive coordinate " + j + ": |g|=" + Math.abs(g));
            }
        }
    }

    /** Columns with mean 0 and mean square 1 so that dot/n is a correlation; column c depends on the others. */
    static double[][] randomStandardised(SplittableRandom rng, int n, int columns) {
        double[][] x = new double[columns][n];
        for (int t = 0; t < n; t++) {
            double shared = rng.nextGaussian();
            for (int a = 0; a < columns - 1; a++) {
                x[a][t] = 0.6 * shared + rng.nextGaussian();
            }
            x[columns - 1][t] = 0.8 * x[0][t] - 0.5 * x[1 % (columns - 1)][t] + rng.nextGaussian();
        }
        standardise(x);
        return x;
    }

    static void standardise(double[][] x) {
        int n = x[0].length;
        for (double[] col : x) {
            double m = 0;
            for (double v : col) {
                m += v;
            }
            m /= n;
            double ss = 0;
            for (int t = 0; t < n; t++) {
                col[t] -= m;
                ss += col[t] * col[t];
            }
            double sd = Math.sqrt(ss / n);
            for (int t = 0; t < n; t++) {
                col[t] /= sd;
            }
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int t = 0; t < a.length; t++) {
            s += a[t] * b[t];
        }
        return s / a.length;
    }
}
