package org.saeatlas.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.EncodeResult;
import org.saeatlas.compute.sae.SaeArchitecture;
import org.saeatlas.compute.sae.SaeEncoder;
import org.saeatlas.compute.sae.SaeWeights;

/**
 * The DJL encoder against hand-computed answers and against the Java encoder: bit for bit where every product is
 * exact in float (small integers, so any summation order gives the same z and top-k ties are frequent), within float
 * tolerance on Gaussian data.
 */
class DjlEncoderTest {

    static DjlEngine engine;

    @BeforeAll
    static void load() {
        engine = TestEngines.cpu();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    // the SAE of compute's SaeEncoderTest, worked by hand there: W_enc [2 x 3], W_dec [3 x 2], two tokens
    static final float[] W_ENC = {1, 0, -1, 0, 2, 1};
    static final float[] W_DEC = {1, 0, 0, 1, 1, 1};
    static final float[] B_ENC = {0, -1, 0.5f};
    static final float[] B_DEC = {1, 0};
    static final float[] X = {3, 1, 1, 2};

    static SaeWeights small(SaeArchitecture arch, float[] threshold, Integer k) {
        return new SaeWeights(arch, 2, 3, W_ENC, W_DEC, B_ENC, B_DEC, threshold, k, true, "m", "h", "float32");
    }

    static EncodeResult djl(SaeWeights w, List<float[]> batches, int batch) {
        return engine.encoder(w, new EncodeParameters(batch, 64, 2)).encode(batches, -1, Progress.NONE);
    }

    static void assertRow(SparseActivations a, int t, int[] features, float[] values) {
        int from = a.rowPtr()[t];
        int to = a.rowPtr()[t + 1];
        assertArrayEquals(features, Arrays.copyOfRange(a.features(), from, to), "features of token " + t);
        assertArrayEquals(values, Arrays.copyOfRange(a.values(), from, to), "values of token " + t);
    }

    @Test
    void handComputedReluJumpReluAndTopK() {
        // z = (x - b_dec) W_enc + b_enc: token 0 (2, 1, -0.5), token 1 (0, 3, 2.5)
        EncodeResult relu = djl(small(SaeArchitecture.STANDARD, null, null), List.of(X), 2);
        assertEquals("djl-cpu", engine.encoder(small(SaeArchitecture.STANDARD, null, null),
                EncodeParameters.defaults()).engine());
        assertRow(relu.activations(), 0, new int[] {0, 1}, new float[] {2, 1});
        assertRow(relu.activations(), 1, new int[] {1, 2}, new float[] {3, 2.5f});
        // x_hat(1) = 3 (0,1) + 2.5 (1,1) + b_dec = (3.5, 5.5): ||e||^2 = 18.5; ||x - mean||^2 = 1.25 per token
        assertEquals(Math.sqrt(18.5), relu.statistics().errorNorm()[1], 1e-6);
        assertEquals(18.5 / 2.5, relu.statistics().fvu(), 1e-12);
        // JumpReLU, threshold (1.5, 1, 2.5): strictly above; token 0 keeps f0 = 2 (1 is not > 1), token 1 keeps f1 = 3
        EncodeResult jump = djl(small(SaeArchitecture.JUMPRELU, new float[] {1.5f, 1, 2.5f}, null), List.of(X), 2);
        assertRow(jump.activations(), 0, new int[] {0}, new float[] {2});
        assertRow(jump.activations(), 1, new int[] {1}, new float[] {3});
        // top-1: token 0 has z0 = 2 > z1 = 1; token 1 has z1 = 3
        EncodeResult top1 = djl(small(SaeArchitecture.TOPK, null, 1), List.of(X), 1);
        assertRow(top1.activations(), 0, new int[] {0}, new float[] {2});
        assertRow(top1.activations(), 1, new int[] {1}, new float[] {3});
        assertArrayEquals(new int[] {1, 1}, top1.statistics().l0());
    }

    /** Weights and inputs in multiples of 1/4 with small magnitudes: every z is exact in float in any order. */
    static SaeWeights exactSae(SaeArchitecture arch, int dIn, int dSae, Random rnd) {
        float[] wEnc = quarters(rnd, dIn * dSae, 2);
        float[] wDec = quarters(rnd, dSae * dIn, 2);
        float[] bEnc = quarters(rnd, dSae, 4);
        float[] bDec = quarters(rnd, dIn, 2);
        float[] threshold = arch == SaeArchitecture.JUMPRELU ? quarters(rnd, dSae, 8) : null;
        Integer k = arch == SaeArchitecture.TOPK ? 7 : null;
        return new SaeWeights(arch, dIn, dSae, wEnc, wDec, bEnc, bDec, threshold, k, true, "m", "h", "float32");
    }

    static float[] quarters(Random rnd, int n, int range) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rnd.nextInt(2 * range * 4 + 1) - range * 4) / 4f;
        }
        return v;
    }

    static List<float[]> batches(float[] x, int dIn, int rows) {
        List<float[]> out = new ArrayList<>();
        for (int t = 0; t < x.length / dIn; t += rows) {
            out.add(Arrays.copyOfRange(x, t * dIn, Math.min(x.length, (t + rows) * dIn)));
        }
        return out;
    }

    @Test
    void agreesWithJavaBitForBitWhenProductsAreExactIncludingThresholdAndTopKTies() {
        int dIn = 24;
        int dSae = 160;
        for (SaeArchitecture arch : SaeArchitecture.values()) {
            Random rnd = new Random(11 + arch.ordinal());
            SaeWeights sae = exactSae(arch, dIn, dSae, rnd);
            float[] x = quarters(rnd, 333 * dIn, 2);
            List<float[]> in = batches(x, dIn, 100); // 100, 100, 100, 33 tokens
            EncodeResult java = new SaeEncoder(sae, new EncodeParameters(100, 16, 2)).encode(in, 333, Progress.NONE);
            EncodeResult djl = djl(sae, in, 100);
            SparseActivations a = java.activations();
            SparseActivations b = djl.activations();
            assertTrue(a.nnz() > 333, arch + ": something must fire");
            assertArrayEquals(a.rowPtr(), b.rowPtr(), arch + " row pointers");
            assertArrayEquals(a.features(), b.features(), arch + " features");
            assertArrayEquals(a.values(), b.values(), arch + " values");
            assertArrayEquals(java.statistics().errorNorm(), djl.statistics().errorNorm(), arch + " error norms");
            assertEquals(java.statistics().fvu(), djl.statistics().fvu(), 0, arch + " FVU");
        }
    }

    @Test
    void exactDataHasTheTiesAndBoundariesThatTheFormerTestClaims() {
        // guard for the test above: top-k rows with a tie at the k-th value, and z exactly on a JumpReLU threshold
        Random rnd = new Random(11 + SaeArchitecture.TOPK.ordinal());
        SaeWeights topk = exactSae(SaeArchitecture.TOPK, 24, 160, rnd);
        float[] x = quarters(rnd, 333 * 24, 2);
        int tiedRows = 0;
        for (int t = 0; t < 333; t++) {
            float[] z = z(topk, x, t);
            float[] sorted = z.clone();
            Arrays.sort(sorted);
            if (sorted[160 - 7] == sorted[160 - 8] && sorted[160 - 7] > 0) {
                tiedRows++;
            }
        }
        assertTrue(tiedRows > 10, "tokens with a tie at the k-th pre-activation: " + tiedRows);
        rnd = new Random(11 + SaeArchitecture.JUMPRELU.ordinal());
        SaeWeights jump = exactSae(SaeArchitecture.JUMPRELU, 24, 160, rnd);
        x = quarters(rnd, 333 * 24, 2);
        int onThreshold = 0;
        for (int t = 0; t < 333; t++) {
            float[] z = z(jump, x, t);
            for (int j = 0; j < 160; j++) {
                onThreshold += z[j] > 0 && z[j] == jump.threshold()[j] ? 1 : 0;
            }
        }
        assertTrue(onThreshold > 10, "pre-activations exactly on a positive threshold: " + onThreshold);
    }

    static float[] z(SaeWeights w, float[] x, int t) {
        float[] z = new float[w.dSae()];
        for (int j = 0; j < w.dSae(); j++) {
            double s = w.bEnc()[j];
            for (int c = 0; c < w.dIn(); c++) {
                s += (x[t * w.dIn() + c] - w.bDec()[c]) * w.wEnc()[c * w.dSae() + j];
            }
            z[j] = (float) s;
        }
        return z;
    }

    @Test
    void agreesWithJavaWithinFloatToleranceOnGaussianData() {
        int dIn = 96;
        int dSae = 512;
        Random rnd = new Random(5);
        float[] wEnc = gaussian(rnd, dIn * dSae, 0.1);
        float[] wDec = gaussian(rnd, dSae * dIn, 0.1);
        float[] bEnc = gaussian(rnd, dSae, 0.3);
        float[] bDec = gaussian(rnd, dIn, 0.1);
        float[] x = gaussian(rnd, 400 * dIn, 1);
        SaeWeights sae = new SaeWeights(SaeArchitecture.STANDARD, dIn, dSae, wEnc, wDec, bEnc, bDec, null, null,
                true, "m", "h", "float32");
        List<float[]> in = batches(x, dIn, 128);
        EncodeResult java = new SaeEncoder(sae, new EncodeParameters(128, 32, 2)).encode(in, 400, Progress.NONE);
        EncodeResult djl = djl(sae, in, 128);
        SparseActivations a = java.activations();
        SparseActivations b = djl.activations();
        long same = 0;
        for (int t = 0; t < 400; t++) {
            for (int n = a.rowPtr()[t]; n < a.rowPtr()[t + 1]; n++) {
                int at = Arrays.binarySearch(b.features(), b.rowPtr()[t], b.rowPtr()[t + 1], a.features()[n]);
                if (at >= 0) {
                    same++;
                    assertEquals(a.values()[n], b.values()[at], 1e-4, "token " + t + " feature " + a.features()[n]);
                } else {
                    assertTrue(a.values()[n] < 1e-4, "only features at the z = 0 boundary may differ");
                }
            }
        }
        assertTrue(same >= a.nnz() - 2 && same >= b.nnz() - 2, same + " of " + a.nnz() + " / " + b.nnz());
        assertEquals(java.statistics().fvu(), djl.statistics().fvu(), 1e-5);
        assertEquals(java.statistics().meanL0(), djl.statistics().meanL0(), 0.01);
        assertEquals(java.statistics().meanErrorNorm(), djl.statistics().meanErrorNorm(), 1e-4);
    }

    static float[] gaussian(Random rnd, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * sd);
        }
        return v;
    }
}
