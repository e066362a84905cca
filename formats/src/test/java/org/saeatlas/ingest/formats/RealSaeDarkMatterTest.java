package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.darkmatter.DarkMatter;
import org.saeatlas.compute.darkmatter.DarkMatterParameters;
import org.saeatlas.compute.darkmatter.DarkMatterResult;
import org.saeatlas.compute.darkmatter.ErrorMoments;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.SaeEncoder;
import org.saeatlas.compute.sae.SaeWeights;

/**
 * The error statistics of a real trained SAE (the dictionary_learning BatchTopK checkpoint in the fixtures: d_in 64,
 * 100 features, one threshold 0.383; no residuals of its model exist in the fixtures) on inputs built from its own
 * weights, where the construction gives the answer from the weights alone. While the same features J are active on
 * every token, none near its threshold, the JumpReLU is affine, {@code f_J = (x - b_dec) W_enc[:, J] + b_enc[J]}, so
 * the error {@code e = (x - b_dec) A - c} with {@code A = I - W_enc[:, J] W_dec[J]}, {@code c = b_enc[J] W_dec[J]} is
 * affine in x: its linear share is 1 and the nonlinear FVU 0.
 * <ul>
 *   <li>near b_dec: {@code x = b_dec + m + s g} (g standard normal): J = the features whose {@code b_enc} is above
 *   the threshold (from the weights); with {@code mu = m A - c}, the probe of {@code |e|^2} recovers its linear
 *   part, {@code R2 = 4 s^2 |mu A^T|^2 / (4 s^2 |mu A^T|^2 + 2 s^4 |A A^T|_F^2)}, and the SAE's FVU is
 *   {@code (|mu|^2 + s^2 |A|_F^2) / (d s^2)};</li>
 *   <li>along a real decoder direction: {@code x = b_dec + a_t u_k + s g}, a_t uniform in [4, 6], for the first k
 *   whose inputs keep one active set far from the thresholds (checked): linear share 1, nonlinear FVU 0, and the SAE
 *   reconstructs most of the variance along u_k (FVU well below 1).</li>
 * </ul>
 */
class RealSaeDarkMatterTest {

    static SaeWeights real() {
        return SaeCheckpoints.read(Fixtures.path("dictionary_learning/sae_d100_k3_lr0.0003_seed44_2layer_100dig_64d.pt"),
                null).weights();
    }

    static DarkMatterResult statistics(SaeWeights w, float[] x, int tokens) {
        List<float[]> batches = new ArrayList<>();
        for (int t = 0; t < tokens; t += 1000) {
            batches.add(Arrays.copyOfRange(x, t * w.dIn(), Math.min(tokens, t + 1000) * w.dIn()));
        }
        try (ErrorMoments m = new ErrorMoments(w.dIn(), new DarkMatterParameters(0.2, 1e-6, 3, 2))) {
            new SaeEncoder(w, new EncodeParameters(1000, 16, 2)).encode(batches, tokens, Progress.NONE, m);
            return DarkMatter.fit(m);
        }
    }

    static SparseActivations encode(SaeWeights w, float[] x) {
        return new SaeEncoder(w, new EncodeParameters(1000, 16, 1)).encode(x, Progress.NONE).activations();
    }

    @Test
    void nearTheDecoderBiasTheErrorIsAffineWithTheProbeAndFvuOfTheConstruction() {
        SaeWeights w = real();
        int d = w.dIn();
        int n = 12_000;
        // J from the weights: at x = b_dec the pre-activations are b_enc
        List<Integer> j = new ArrayList<>();
        for (int f = 0; f < w.dSae(); f++) {
            if (w.bEnc()[f] > w.threshold()[f]) {
                j.add(f);
            }
        }
        Random rnd = new Random(21);
        double s = 1e-3;
        // A = I - W_enc[:, J] W_dec[J], c = b_enc[J] W_dec[J]
        double[][] aa = new double[d][d];
        double[] cc = new double[d];
        for (int p = 0; p < d; p++) {
            aa[p][p] = 1;
            for (int f : j) {
                for (int q = 0; q < d; q++) {
                    aa[p][q] -= w.wEnc()[p * w.dSae() + f] * w.wDec()[f * d + q];
                }
            }
        }
        for (int f : j) {
            for (int q = 0; q < d; q++) {
                cc[q] += w.bEnc()[f] * w.wDec()[f * d + q];
            }
        }
        // m with m A = c + delta, |delta|^2 = d s^2 / 2: the error's mean mu = m A - c = delta is as large as its
        // spread, so the probe's R2 is far from both 0 and 1
        double[] delta = new double[d];
        double dd = 0;
        for (int c = 0; c < d; c++) {
            delta[c] = rnd.nextGaussian();
            dd += delta[c] * delta[c];
        }
        double[] target = new double[d];
        for (int c = 0; c < d; c++) {
            delta[c] *= s * Math.sqrt(d / 2.0) / Math.sqrt(dd);
            target[c] = cc[c] + delta[c];
        }
        double[] m = solveTransposed(aa, target);
        float[] x = new float[n * d];
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < d; c++) {
                x[t * d + c] = (float) (w.bDec()[c] + m[c] + s * rnd.nextGaussian());
            }
        }
        SparseActivations a = encode(w, x);
        assertEquals(j.size() * (long) n, a.nnz(), "construction: the features with b_enc above the threshold, "
                + j + ", fire on every token and no other");
        assertTrue(sameActiveSetFarFromThreshold(a, 0.383 + 0.01), "and none comes near its threshold");
        // mu = m A - c (= delta up to rounding)
        double[] mu = new double[d];
        for (int q = 0; q < d; q++) {
            for (int p = 0; p < d; p++) {
                mu[q] += m[p] * aa[p][q];
            }
            mu[q] -= cc[q];
        }
        double muAt = 0;
        double muSq = 0;
        for (int p = 0; p < d; p++) {
            double v = 0;
            for (int q = 0; q < d; q++) {
                v += mu[q] * aa[p][q];
            }
            muAt += v * v;
            muSq += mu[p] * mu[p];
        }
        double aaFrob = 0;
        double aFrob = 0;
        for (int p = 0; p < d; p++) {
            for (int r = 0; r < d; r++) {
                double v = 0;
                for (int q = 0; q < d; q++) {
                    v += aa[p][q] * aa[r][q];
                }
                aaFrob += v * v;
                aFrob += aa[p][r] * aa[p][r];
            }
        }
        double probe = 4 * s * s * muAt / (4 * s * s * muAt + 2 * Math.pow(s, 4) * aaFrob);
        double fvu = (muSq + s * s * aFrob) / (d * s * s);
        DarkMatterResult res = statistics(w, x, n);
        assertEquals(1, res.errorLinearR2(), 1e-4, "the error is affine in x");
        assertEquals(0, res.nonlinearFvu(), 1e-4);
        assertTrue(probe > 0.05 && probe < 0.95, "a probe R2 that says something: " + probe);
        assertEquals(probe, res.errorNormProbeR2(), 0.04, "the norm probe's R2 of the construction");
        assertEquals(fvu, res.heldOutFvu(), 0.05 * fvu, "the SAE's FVU of the construction");
    }

    @Test
    void alongARealDecoderDirectionWithAFixedActiveSetTheErrorIsAffine() {
        SaeWeights w = real();
        int n = 6_000;
        double s = 0.02;
        for (int k = 0; k < w.dSae(); k++) {
            if (!sameActiveSetFarFromThreshold(encode(w, along(w, k, 300, s)), 0.383 + 0.05)) {
                continue; // a quick look: this direction's inputs cross a threshold
            }
            float[] x = along(w, k, n, s);
            if (!sameActiveSetFarFromThreshold(encode(w, x), 0.383 + 0.05)) {
                continue; // this direction's inputs cross a threshold somewhere: not the construction
            }
            DarkMatterResult res = statistics(w, x, n);
            assertTrue(res.heldOutFvu() < 0.5, "feature " + k + ": the SAE reconstructs most of the variance along"
                    + " its direction: FVU " + res.heldOutFvu());
            assertEquals(1, res.errorLinearR2(), 1e-4, "feature " + k + ": the error is affine in x");
            assertEquals(0, res.nonlinearFvu(), 1e-4, "feature " + k);
            return;
        }
        throw new AssertionError("no decoder direction of the real SAE gave a fixed active set");
    }

    /** {@code x_t = b_dec + a_t u_k + s g_t}, a_t uniform in [4, 6], seeded by k. */
    static float[] along(SaeWeights w, int k, int n, double s) {
        int d = w.dIn();
        Random rnd = new Random(100 + k);
        float[] x = new float[n * d];
        for (int t = 0; t < n; t++) {
            double amp = 4 + 2 * rnd.nextDouble();
            for (int c = 0; c < d; c++) {
                x[t * d + c] = (float) (w.bDec()[c] + amp * w.wDec()[k * d + c] + s * rnd.nextGaussian());
            }
        }
        return x;
    }

    /** The solution m of {@code m A = b}, i.e. {@code A^T m = b}, by Gaussian elimination with partial pivoting. */
    static double[] solveTransposed(double[][] a, double[] b) {
        int d = b.length;
        double[][] t = new double[d][d + 1];
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                t[p][q] = a[q][p];
            }
            t[p][d] = b[p];
        }
        for (int col = 0; col < d; col++) {
            int piv = col;
            for (int r = col + 1; r < d; r++) {
                piv = Math.abs(t[r][col]) > Math.abs(t[piv][col]) ? r : piv;
            }
            double[] tmp = t[col];
            t[col] = t[piv];
            t[piv] = tmp;
            for (int r = 0; r < d; r++) {
                if (r != col) {
                    double f = t[r][col] / t[col][col];
                    for (int q = col; q <= d; q++) {
                        t[r][q] -= f * t[col][q];
                    }
                }
            }
        }
        double[] m = new double[d];
        for (int p = 0; p < d; p++) {
            m[p] = t[p][d] / t[p][p];
        }
        return m;
    }

    /** Every token has the same active features, each above {@code floor}. */
    static boolean sameActiveSetFarFromThreshold(SparseActivations a, double floor) {
        int[] first = Arrays.copyOfRange(a.features(), a.rowPtr()[0], a.rowPtr()[1]);
        for (int t = 0; t < a.tokens(); t++) {
            if (!Arrays.equals(first, Arrays.copyOfRange(a.features(), a.rowPtr()[t], a.rowPtr()[t + 1]))) {
                return false;
            }
            for (int q = a.rowPtr()[t]; q < a.rowPtr()[t + 1]; q++) {
                if (a.values()[q] < floor) {
                    return false;
                }
            }
        }
        return true;
    }
}
