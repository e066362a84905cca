package org.saeatlas.compute.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;

/** Known answers worked by hand (d_in = 2, d_sae = 3), and the blocked, threaded encoder against a naive loop. */
class SaeEncoderTest {

    // W_enc [2 x 3] rows k: (1, 0, -1), (0, 2, 1); W_dec [3 x 2] rows f: (1, 0), (0, 1), (1, 1)
    static final float[] W_ENC = {1, 0, -1, 0, 2, 1};
    static final float[] W_DEC = {1, 0, 0, 1, 1, 1};
    static final float[] B_ENC = {0, -1, 0.5f};
    static final float[] B_DEC = {1, 0};
    // two tokens, x = (3, 1) and (1, 2); mean (2, 1.5); ||x_t - mean||^2 = 1.25 each
    static final float[] X = {3, 1, 1, 2};

    static SaeWeights sae(SaeArchitecture arch, float[] threshold, Integer k, boolean applyBDec) {
        return new SaeWeights(arch, 2, 3, W_ENC, W_DEC, B_ENC, B_DEC, threshold, k, applyBDec, "m", "h", "float32");
    }

    static EncodeResult encode(SaeWeights w, float[] x) {
        return new SaeEncoder(w, new EncodeParameters(2, 2, 2)).encode(x, Progress.NONE);
    }

    static void assertRow(SparseActivations a, int t, int[] features, float[] values) {
        int from = a.rowPtr()[t];
        int to = a.rowPtr()[t + 1];
        assertArrayEquals(features, Arrays.copyOfRange(a.features(), from, to), "features of token " + t);
        assertArrayEquals(values, Arrays.copyOfRange(a.values(), from, to), "values of token " + t);
    }

    @Test
    void reluWithBDecSubtractedFromTheInput() {
        // token 0: x - b_dec = (2, 1), z = (2, 2, -1) + b_enc = (2, 1, -0.5) -> f = (2, 1, 0);
        //          x_hat = 2 (1,0) + 1 (0,1) + b_dec = (3, 1): no error
        // token 1: x - b_dec = (0, 2), z = (0, 4, 2) + b_enc = (0, 3, 2.5) -> f = (0, 3, 2.5) (z = 0 is inactive);
        //          x_hat = 3 (0,1) + 2.5 (1,1) + b_dec = (3.5, 5.5); e = (-2.5, -3.5), ||e||^2 = 18.5
        EncodeResult r = encode(sae(SaeArchitecture.STANDARD, null, null, true), X);
        assertRow(r.activations(), 0, new int[] {0, 1}, new float[] {2, 1});
        assertRow(r.activations(), 1, new int[] {1, 2}, new float[] {3, 2.5f});
        ErrorStatistics s = r.statistics();
        assertArrayEquals(new int[] {2, 2}, s.l0());
        assertEquals(0, s.errorNorm()[0], 0);
        assertEquals(Math.sqrt(18.5), s.errorNorm()[1], 1e-6);
        assertEquals(0, s.fvuPerToken()[0], 0);
        assertEquals(18.5 / 1.25, s.fvuPerToken()[1], 1e-6);
        assertEquals(2.0, s.meanL0(), 0);
        assertEquals(18.5 / 2.5, s.fvu(), 1e-12);
        assertEquals(Math.sqrt(18.5) / 2, s.meanErrorNorm(), 1e-7);
        assertEquals(1 - 7.4, s.explainedVariance(), 1e-12);
    }

    @Test
    void reluWithoutBDecOnTheInput() {
        // token 0: z = (3, 2, -2) + b_enc = (3, 1, -1.5) -> f = (3, 1, 0); x_hat = (3, 1) + (1, 0) = (4, 1), e = (-1, 0)
        // token 1: z = (1, 4, 1) + b_enc = (1, 3, 1.5); x_hat = (1, 0) + (0, 3) + (1.5, 1.5) + (1, 0) = (3.5, 4.5),
        //          e = (-2.5, -2.5), ||e||^2 = 12.5
        EncodeResult r = encode(sae(SaeArchitecture.STANDARD, null, null, false), X);
        assertRow(r.activations(), 0, new int[] {0, 1}, new float[] {3, 1});
        assertRow(r.activations(), 1, new int[] {0, 1, 2}, new float[] {1, 3, 1.5f});
        assertArrayEquals(new float[] {1, (float) Math.sqrt(12.5)}, r.statistics().errorNorm());
        assertEquals(13.5 / 2.5, r.statistics().fvu(), 1e-12);
        assertEquals(2.5, r.statistics().meanL0(), 0);
    }

    @Test
    void jumpReluKeepsOnlyPositivePreActivationsStrictlyAboveTheThreshold() {
        // z as in the ReLU case: token 0 (2, 1, -0.5), token 1 (0, 3, 2.5); threshold (2.5, 1, -1):
        // token 0: 2 <= 2.5, 1 is not > 1, -0.5 > -1 but relu(-0.5) = 0 -> nothing active;
        // token 1: 3 > 1 and 2.5 > -1 -> f = (0, 3, 2.5)
        EncodeResult r = encode(sae(SaeArchitecture.JUMPRELU, new float[] {2.5f, 1, -1}, null, true), X);
        assertRow(r.activations(), 0, new int[0], new float[0]);
        assertRow(r.activations(), 1, new int[] {1, 2}, new float[] {3, 2.5f});
        // token 0 reconstructs as b_dec = (1, 0): e = (2, 1)
        assertEquals(Math.sqrt(5), r.statistics().errorNorm()[0], 1e-6);
        assertEquals(1.0, r.statistics().meanL0(), 0);
    }

    @Test
    void topKKeepsTheKLargestThenReluTiesToTheSmallerIndex() {
        // identity encoder and decoder, no biases: z = x
        float[] eye = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        SaeWeights w = new SaeWeights(SaeArchitecture.TOPK, 4, 4, eye, eye, new float[4], new float[4], null, 2,
                true, null, null, "float32");
        float[] x = {1, 3, 3, 3, /* */ -1, -2, 0.5f, -3, /* */ 5, 0, 0, 0};
        EncodeResult r = new SaeEncoder(w, new EncodeParameters(1, 3, 1)).encode(x, Progress.NONE);
        assertRow(r.activations(), 0, new int[] {1, 2}, new float[] {3, 3}); // three-way tie at 3: indices 1, 2
        assertRow(r.activations(), 1, new int[] {2}, new float[] {0.5f}); // top-2 is 0.5 and -1; relu drops -1
        assertRow(r.activations(), 2, new int[] {0}, new float[] {5}); // zeros never count as active
        assertEquals(Math.sqrt(1 + 9), r.statistics().errorNorm()[0], 1e-6);
        assertArrayEquals(new int[] {2, 1, 1}, r.statistics().l0());
    }

    @Test
    void topKSelectionMatchesASortOnRandomRowsWithTies() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int p = 1 + rnd.nextInt(40);
            int k = 1 + rnd.nextInt(p);
            float[] z = new float[p];
            for (int j = 0; j < p; j++) {
                z[j] = rnd.nextInt(7) - 3; // many ties, negatives and zeros
            }
            SaeEncoder.Row row = SaeEncoder.topK(z, k);
            int[] expected = naiveTopK(z, k);
            assertArrayEquals(expected, row.features, "z=" + Arrays.toString(z) + " k=" + k);
        }
    }

    @Test
    void blockedAndThreadedEqualsTheNaiveTripleLoopBitForBit() {
        Random rnd = new Random(11);
        int dIn = 37;
        int dSae = 101;
        int tokens = 23;
        float[] wEnc = gaussian(rnd, dIn * dSae, 0.3f);
        float[] wDec = gaussian(rnd, dSae * dIn, 0.3f);
        float[] bEnc = gaussian(rnd, dSae, 0.1f);
        float[] bDec = gaussian(rnd, dIn, 0.5f);
        float[] threshold = gaussian(rnd, dSae, 0.3f);
        float[] x = gaussian(rnd, tokens * dIn, 1f);
        for (SaeArchitecture arch : SaeArchitecture.values()) {
            for (boolean apply : new boolean[] {true, false}) {
                SaeWeights w = new SaeWeights(arch, dIn, dSae, wEnc, wDec, bEnc, bDec,
                        arch == SaeArchitecture.JUMPRELU ? threshold : null, arch == SaeArchitecture.TOPK ? 9 : null,
                        apply, null, null, "float32");
                SparseActivations expected = naive(w, x, tokens);
                for (int threads : new int[] {1, 2, 3}) {
                    for (int block : new int[] {1, 5, 16, 256}) {
                        for (int batch : new int[] {1, 4, 7, 23}) {
                            EncodeResult r = new SaeEncoder(w, new EncodeParameters(batch, block, threads))
                                    .encode(batches(x, dIn, batch), tokens, Progress.NONE);
                            String where = arch + " apply=" + apply + " threads=" + threads + " block=" + block
                                    + " batch=" + batch;
                            assertArrayEquals(expected.rowPtr(), r.activations().rowPtr(), where);
                            assertArrayEquals(expected.features(), r.activations().features(), where);
                            assertArrayEquals(expected.values(), r.activations().values(), where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void statisticsDoNotDependOnThreadsOrBatches() {
        Random rnd = new Random(3);
        SaeWeights w = new SaeWeights(SaeArchitecture.STANDARD, 16, 64, gaussian(rnd, 1024, 0.3f),
                gaussian(rnd, 1024, 0.3f), gaussian(rnd, 64, 0.1f), gaussian(rnd, 16, 0.1f), null, null, true, null,
                null, "float32");
        float[] x = gaussian(rnd, 50 * 16, 1);
        ErrorStatistics a = new SaeEncoder(w, new EncodeParameters(50, 8, 1)).encode(x, Progress.NONE).statistics();
        ErrorStatistics b = new SaeEncoder(w, new EncodeParameters(6, 32, 2))
                .encode(batches(x, 16, 6), 50, Progress.NONE).statistics();
        assertEquals(a.fvu(), b.fvu(), 0);
        assertEquals(a.meanErrorNorm(), b.meanErrorNorm(), 0);
        assertArrayEquals(a.fvuPerToken(), b.fvuPerToken());
        assertTrue(a.fvu() > 0 && a.meanL0() > 0);
    }

    @Test
    void badInputSaysWhatIsWrong() {
        SaeEncoder enc = new SaeEncoder(sae(SaeArchitecture.STANDARD, null, null, true), EncodeParameters.defaults());
        AtlasException nan = assertThrows(AtlasException.class,
                () -> enc.encode(new float[] {1, 2, Float.NaN, 4}, Progress.NONE));
        assertTrue(nan.getMessage().contains("token 1, column 0 is NaN"), nan.getMessage());
        AtlasException ragged = assertThrows(AtlasException.class,
                () -> enc.encode(new float[] {1, 2, 3}, Progress.NONE));
        assertTrue(ragged.getMessage().contains("not a whole number of rows of d_in=2"), ragged.getMessage());
        assertThrows(AtlasException.class, () -> enc.encode(new float[0], Progress.NONE));
        assertThrows(AtlasException.class, () -> new EncodeParameters(0, 1, 1));
    }

    static List<float[]> batches(float[] x, int dIn, int batch) {
        List<float[]> out = new ArrayList<>();
        int tokens = x.length / dIn;
        for (int t = 0; t < tokens; t += batch) {
            out.add(Arrays.copyOfRange(x, t * dIn, Math.min(tokens, t + batch) * dIn));
        }
        return out;
    }

    static float[] gaussian(Random rnd, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * scale;
        }
        return v;
    }

    /** The textbook loop: z_j = sum over k ascending of (x_k - b_dec_k) W_kj, plus b_enc_j; then the activation. */
    static SparseActivations naive(SaeWeights w, float[] x, int tokens) {
        int d = w.dIn();
        int p = w.dSae();
        List<Integer> feats = new ArrayList<>();
        List<Float> vals = new ArrayList<>();
        int[] ptr = new int[tokens + 1];
        for (int t = 0; t < tokens; t++) {
            float[] z = new float[p];
            for (int j = 0; j < p; j++) {
                float s = 0;
                for (int k = 0; k < d; k++) {
                    float xk = w.applyBDecToInput() ? x[t * d + k] - w.bDec()[k] : x[t * d + k];
                    s += xk * w.wEnc()[k * p + j];
                }
                z[j] = s + w.bEnc()[j];
            }
            int[] keep = switch (w.architecture()) {
                case TOPK -> naiveTopK(z, w.k());
                default -> java.util.stream.IntStream.range(0, p).filter(j -> z[j] > 0
                        && (w.threshold() == null || z[j] > w.threshold()[j])).toArray();
            };
            for (int j : keep) {
                feats.add(j);
                vals.add(z[j]);
            }
            ptr[t + 1] = feats.size();
        }
        float[] v = new float[vals.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = vals.get(i);
        }
        return new SparseActivations(tokens, p, ptr, feats.stream().mapToInt(Integer::intValue).toArray(), v);
    }

    static int[] naiveTopK(float[] z, int k) {
        Integer[] order = new Integer[z.length];
        for (int j = 0; j < z.length; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> z[a] != z[b] ? Float.compare(z[b], z[a]) : Integer.compare(a, b));
        return Arrays.stream(order, 0, k).mapToInt(Integer::intValue).filter(j -> z[j] > 0).sorted().toArray();
    }
}
