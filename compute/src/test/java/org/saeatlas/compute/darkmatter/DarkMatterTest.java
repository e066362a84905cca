package org.saeatlas.compute.darkmatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.SaeArchitecture;
import org.saeatlas.compute.sae.SaeEncoder;
import org.saeatlas.compute.sae.SaeWeights;

/**
 * Known answers for the SAE error statistics: a hand-computed one-dimensional ridge case, and planted activations
 * whose linear share of the error, norm-probe R^2 and nonlinear FVU follow from the construction in closed form.
 */
class DarkMatterTest {

    /**
     * d = 1. Train: x = -1, 0, 1 with e = 0, 1, 5: C_xx = 2, C_xe = 5, ridge 0.25 -> lambda = 0.25 * 2 / 1 = 0.5,
     * W = 5 / 2.5 = 2, b = mean e = 2. Held out: x = 2, -2 with e = 7, -1: predictions 6, -2, residuals 1, 1 -> RSS 2;
     * held-out mean e 3 -> TSS_e = 16 + 16 = 32 -> R^2 = 1 - 2/32; TSS_x = 4 + 4 = 8 -> nonlinear FVU = 2/8.
     * Probe y = e^2: train y = 0, 1, 25 (mean 26/3), c_xy = 25 -> w = 10, b_y = 26/3; held-out y = 49, 1 with
     * predictions 86/3, -34/3: residuals 61/3, 37/3 -> RSS = 5090/9; TSS_y = 576 + 576 -> R^2 = 1 - 5090/10368.
     */
    @Test
    void handComputedOneDimensionalRidge() {
        try (ErrorMoments m = new ErrorMoments(1, new DarkMatterParameters(0.2, 0.25, 0, 2))) {
            m.add(new double[] {-1, 0, 1}, new double[] {0, 1, 5}, 3, false);
            m.add(new double[] {2, -2}, new double[] {7, -1}, 2, true);
            DarkMatterResult r = DarkMatter.fit(m);
            assertEquals(1 - 2.0 / 32, r.errorLinearR2(), 1e-12);
            assertEquals(2.0 / 8, r.nonlinearFvu(), 1e-12);
            assertEquals(1 - 5090.0 / 10368, r.errorNormProbeR2(), 1e-12);
            assertEquals((49 + 1) / 8.0, r.heldOutFvu(), 1e-12);
            assertEquals(3, r.trainTokens());
            assertEquals(2, r.heldOutTokens());
        }
    }

    /** The same case after an arbitrary shift of x: an intercept makes every statistic shift-invariant. */
    @Test
    void shiftOfTheInputChangesNothing() {
        try (ErrorMoments m = new ErrorMoments(1, new DarkMatterParameters(0.2, 0.25, 0, 1), new double[] {-3})) {
            m.add(new double[] {99, 100, 101}, new double[] {0, 1, 5}, 3, false);
            m.add(new double[] {102, 98}, new double[] {7, -1}, 2, true);
            DarkMatterResult r = DarkMatter.fit(m);
            assertEquals(1 - 2.0 / 32, r.errorLinearR2(), 1e-9);
            assertEquals(1 - 5090.0 / 10368, r.errorNormProbeR2(), 1e-9);
        }
    }

    @Test
    void tooFewTokensOrNoVarianceGiveAbsentStatistics() {
        try (ErrorMoments m = new ErrorMoments(2, new DarkMatterParameters(0.5, 1e-4, 0, 1))) {
            m.add(new double[] {1, 2}, new double[] {0, 0}, 1, false);
            DarkMatterResult r = DarkMatter.fit(m);
            assertTrue(Double.isNaN(r.errorLinearR2()) && Double.isNaN(r.nonlinearFvu()));
            assertThrows(AtlasException.class, () -> DarkMatter.fit(m), "sums are consumed by a fit");
        }
        try (ErrorMoments m = new ErrorMoments(2, new DarkMatterParameters(0.5, 1e-4, 0, 1))) {
            // constant input: no variance to fit or score against
            m.add(new double[] {1, 2, 1, 2, 1, 2}, new double[] {0, 1, 0, 2, 0, 3}, 3, false);
            m.add(new double[] {1, 2, 1, 2}, new double[] {0, 1, 0, 2}, 2, true);
            DarkMatterResult r = DarkMatter.fit(m);
            assertTrue(Double.isNaN(r.errorLinearR2()));
            assertTrue(Double.isNaN(r.nonlinearFvu()));
        }
    }

    @Test
    void nonFiniteInputIsRefused() {
        try (ErrorMoments m = new ErrorMoments(2, DarkMatterParameters.defaults())) {
            AtlasException e = assertThrows(AtlasException.class,
                    () -> m.add(new double[] {1, Double.NaN}, new double[] {0, 0}, 1, false));
            assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        }
    }

    /** From the encoder: a non-finite x or x_hat is named by its column, and the token adds nothing. */
    @Test
    void nonFiniteBatchValueIsNamedAndTheTokenNotCounted() {
        int d = 6; // four columns at a time and a tail of two
        for (int bad : new int[] {1, 4, 5}) {
            for (boolean inInput : new boolean[] {true, false}) {
                try (ErrorMoments m = new ErrorMoments(d, DarkMatterParameters.defaults())) {
                    float[] x = new float[2 * d];
                    float[] xHat = new float[2 * d];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = i;
                        xHat[i] = 0.5f * i;
                    }
                    if (inInput) {
                        x[d + bad] = Float.POSITIVE_INFINITY;
                    } else {
                        xHat[d + bad] = Float.NaN;
                    }
                    m.batch(0, new float[d], new float[d], 1); // the shift comes from a clean first batch
                    AtlasException e = assertThrows(AtlasException.class, () -> m.batch(1, x, xHat, 2));
                    assertTrue(e.getMessage().contains("non-finite input or error at column " + bad + " "),
                            e.getMessage());
                    assertEquals(2, m.trainTokens() + m.heldOutTokens());
                }
            }
        }
    }

    // ---- planted activations ----------------------------------------------------------------------------------

    static final int D = 24;
    static final int KNOWN = 12;   // directions the SAE has
    static final int UNKNOWN = 2;  // sparse directions it lacks
    static final int DENSE = 10;   // dimensions of a dense Gaussian component
    static final double SIGMA2 = 0.05;
    static final float THRESHOLD = 2;

    /**
     * x = mu + sum_k a_k q_k + sum_i g_i q_{14+i}, q an orthonormal basis (random rotation), a_k iid in {0, 1, 3}
     * with probabilities {0.7, 0.15, 0.15}, g_i ~ N(0, 0.05). The JumpReLU SAE has exactly the 12 known directions
     * (W_enc = W_dec = q_k, b_dec = mu subtracted from the input, b_enc = 0, threshold 2), so it reconstructs a_k only
     * when a_k = 3: along a known direction the error is e_k = a_k [a_k = 1], a nonlinear function of x; along the 2
     * unknown directions and the dense part the error is x itself, linear.
     *
     * <p>Coordinates are independent, so the best linear predictor of each error coordinate (and of ||e||^2) uses
     * its own coordinate only, and its residual variance is Var(f) - Cov(f, a)^2 / Var(a). With E a = 0.6, E a^2 =
     * 1.5, Var a = 1.14:
     * <ul>
     *   <li>known e_k in {0, 1}: E = Var + ... : E e = 0.15, Var e = 0.1275, Cov(e, a) = 0.15 - 0.09 = 0.06,
     *       residual 0.1275 - 0.0036 / 1.14;</li>
     *   <li>TSS_e per token = 12 * 0.1275 + 2 * 1.14 + 10 * 0.05 = 4.31; RSS = 12 * residual;
     *       errorLinearR2 = 1 - RSS / 4.31;</li>
     *   <li>TSS_x per token = 14 * 1.14 + 10 * 0.05 = 16.46; nonlinearFvu = RSS / 16.46; the SAE's FVU =
     *       E||e||^2 / 16.46 = (12 * 0.15 + 2 * 1.5 + 10 * 0.05) / 16.46;</li>
     *   <li>||e||^2 = sum e_k^2 (= e_k) + sum a_j^2 + sum g_i^2: Var(a^2) = 12.3 - 2.25 = 10.05, Cov(a^2, a) =
     *       E a^3 - E a^2 E a = 4.2 - 0.9 = 3.3; Var(g^2) = 2 sigma^4, Cov(g^2, g) = 0; so Var y = 12 * 0.1275 + 2 *
     *       10.05 + 10 * 0.005 and the residual is 12 * res_known + 2 * (10.05 - 3.3^2 / 1.14) + 10 * 0.005.</li>
     * </ul>
     */
    @Test
    void plantedSparsePlusDenseActivationsGiveTheConstructedShares() {
        int tokens = 50_000;
        Random rnd = new Random(7);
        double[][] q = orthonormalBasis(D, rnd);
        float[] mu = new float[D];
        for (int c = 0; c < D; c++) {
            mu[c] = (float) (rnd.nextGaussian() * 3);
        }
        float[] x = new float[tokens * D];
        for (int t = 0; t < tokens; t++) {
            double[] v = new double[D];
            for (int k = 0; k < KNOWN + UNKNOWN; k++) {
                double u = rnd.nextDouble();
                double a = u < 0.7 ? 0 : u < 0.85 ? 1 : 3;
                add(v, q[k], a);
            }
            for (int i = 0; i < DENSE; i++) {
                add(v, q[KNOWN + UNKNOWN + i], rnd.nextGaussian() * Math.sqrt(SIGMA2));
            }
            for (int c = 0; c < D; c++) {
                x[t * D + c] = (float) (mu[c] + v[c]);
            }
        }
        float[] wEnc = new float[D * KNOWN];
        float[] wDec = new float[KNOWN * D];
        for (int k = 0; k < KNOWN; k++) {
            for (int c = 0; c < D; c++) {
                wEnc[c * KNOWN + k] = (float) q[k][c];
                wDec[k * D + c] = (float) q[k][c];
            }
        }
        float[] threshold = new float[KNOWN];
        java.util.Arrays.fill(threshold, THRESHOLD);
        SaeWeights sae = new SaeWeights(SaeArchitecture.JUMPRELU, D, KNOWN, wEnc, wDec, new float[KNOWN], mu,
                threshold, null, true, "m", "h", "float32");

        List<float[]> batches = new ArrayList<>();
        for (int t = 0; t < tokens; t += 1000) {
            batches.add(java.util.Arrays.copyOfRange(x, t * D, (t + 1000) * D));
        }
        DarkMatterResult r;
        try (ErrorMoments m = new ErrorMoments(D, new DarkMatterParameters(0.2, 1e-6, 3, 2))) {
            new SaeEncoder(sae, new EncodeParameters(1000, 8, 2)).encode(batches, tokens, Progress.NONE, m);
            r = DarkMatter.fit(m);
        }
        double varA = 1.14;
        double resKnown = 0.1275 - 0.06 * 0.06 / varA;
        double tssE = KNOWN * 0.1275 + UNKNOWN * varA + DENSE * SIGMA2;
        double rss = KNOWN * resKnown;
        double tssX = (KNOWN + UNKNOWN) * varA + DENSE * SIGMA2;
        double varY = KNOWN * 0.1275 + UNKNOWN * 10.05 + DENSE * 2 * SIGMA2 * SIGMA2;
        double resY = KNOWN * resKnown + UNKNOWN * (10.05 - 3.3 * 3.3 / varA) + DENSE * 2 * SIGMA2 * SIGMA2;
        assertEquals(1 - rss / tssE, r.errorLinearR2(), 0.02, "linear share of the error (0.654)");
        assertEquals(rss / tssX, r.nonlinearFvu(), 0.006, "nonlinear FVU (0.091)");
        assertEquals(1 - resY / varY, r.errorNormProbeR2(), 0.02, "norm probe R^2 (0.883)");
        assertEquals((KNOWN * 0.15 + UNKNOWN * 1.5 + DENSE * SIGMA2) / tssX, r.heldOutFvu(), 0.01, "SAE FVU (0.322)");
        assertEquals(tokens, r.tokens());
        assertEquals(0.2, r.heldOutTokens() / (double) tokens, 0.01, "seeded split holds out about 20%");
    }

    /** Gram-Schmidt of Gaussian vectors: rows are an orthonormal basis. */
    static double[][] orthonormalBasis(int d, Random rnd) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int c = 0; c < d; c++) {
                q[i][c] = rnd.nextGaussian();
            }
            for (int j = 0; j < i; j++) {
                double p = 0;
                for (int c = 0; c < d; c++) {
                    p += q[i][c] * q[j][c];
                }
                add(q[i], q[j], -p);
            }
            double n = 0;
            for (int c = 0; c < d; c++) {
                n += q[i][c] * q[i][c];
            }
            for (int c = 0; c < d; c++) {
                q[i][c] /= Math.sqrt(n);
            }
        }
        return q;
    }

    static void add(double[] v, double[] u, double f) {
        for (int c = 0; c < v.length; c++) {
            v[c] += f * u[c];
        }
    }
}
