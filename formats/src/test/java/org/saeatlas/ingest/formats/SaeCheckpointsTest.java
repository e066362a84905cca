package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.SaeArchitecture;
import org.saeatlas.compute.sae.SaeEncoder;
import org.saeatlas.compute.sae.SaeWeights;

/** Checkpoints as training code saves them, read without Python, checked against independently computed answers. */
class SaeCheckpointsTest {

    @TempDir
    Path dir;

    /** The input the reference values were computed for: x_i = 2 sin(0.37 i + 0.1). */
    static float[] probe(int dIn) {
        float[] x = new float[dIn];
        for (int i = 0; i < dIn; i++) {
            x[i] = (float) (2.0 * Math.sin(0.37 * i + 0.1));
        }
        return x;
    }

    static float[] encode(SaeWeights w, float[] x) {
        SparseActivations a = new SaeEncoder(w, new EncodeParameters(1, 64, 1)).encode(x, Progress.NONE).activations();
        float[] dense = new float[w.dSae()];
        for (int k = a.rowPtr()[0]; k < a.rowPtr()[1]; k++) {
            dense[a.features()[k]] = a.values()[k];
        }
        return dense;
    }

    @Test
    void aDictionaryLearningBatchTopKCheckpointLoadsWithItsKnownAnswers() {
        SaeCheckpoints.Checkpoint c = SaeCheckpoints.read(
                Fixtures.path("dictionary_learning/sae_d100_k3_lr0.0003_seed44_2layer_100dig_64d.pt"), null);
        SaeWeights w = c.weights();
        assertEquals("pytorch", c.format());
        assertEquals("batchtopk", c.architecture());
        assertEquals(64, w.dIn());
        assertEquals(100, w.dSae());
        assertEquals(SaeArchitecture.JUMPRELU, w.architecture(), "inference thresholds every feature at one value");
        assertEquals(3, c.facts().get("k"));
        assertEquals(0.38308305, (double) c.facts().get("threshold"), 1e-7);
        assertEquals(100L, ((Number) c.facts().get("cfg.dict_size")).longValue());
        assertTrue(String.valueOf(c.facts().get("ignoredTensors")).contains("act_mean [64]"), c.facts().toString());
        // reference (numpy on the raw storages): encoder.weight is saved as a transposed view (size [100, 64],
        // stride [1, 100]) of its storage; the reader follows the strides
        assertEquals(0.08737524f, w.wEnc()[0], 0f); // W_enc[0][0] = encoder.weight[0][0]
        assertEquals(0.15805198f, w.wEnc()[100], 0f); // W_enc[1][0] = encoder.weight[0][1]
        assertEquals(0.21554458f, w.wEnc()[1], 0f); // W_enc[0][1] = encoder.weight[1][0]
        assertEquals(-0.38004914f, w.bEnc()[0], 0f);
        assertEquals(-0.21265489f, w.bDec()[0], 0f);
        // dictionary_learning keeps decoder directions at unit norm: row 7 of W_dec = column 7 of decoder.weight
        double norm = 0;
        for (int c2 = 0; c2 < 64; c2++) {
            norm += w.wDec()[7 * 64 + c2] * w.wDec()[7 * 64 + c2];
        }
        assertEquals(0.9999999063448203, Math.sqrt(norm), 1e-6);
        // relu((x - b_dec) W_enc + b_enc) kept above the threshold, by numpy in float64
        float[] f = encode(w, probe(64));
        assertEquals(5.162866192163302, f[24], 1e-4);
        assertEquals(4.16084908717628, f[29], 1e-4);
        assertEquals(0.8842440045570603, f[0], 1e-4);
        assertEquals(0.43269083896016547, f[51], 1e-4);
        assertEquals(0.0, f[2], 0);
        int active = 0;
        for (float v : f) {
            active += v > 0 ? 1 : 0;
        }
        assertEquals(38, active);
    }

    @Test
    void aSparsifyFolderIsTopKWithTheEncoderTransposed() throws Exception {
        int dIn = 3;
        int dSae = 4;
        float[] encW = {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1}; // [d_sae, d_in]
        float[] encB = {0, 0.5f, 0, -1};
        float[] wDec = {1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 1, 1};
        float[] bDec = {0.5f, 0, 0};
        Path folder = Files.createDirectories(dir.resolve("layers.3"));
        Files.writeString(folder.resolve("cfg.json"), "{\"expansion_factor\": 1, \"normalize_decoder\": true,"
                + " \"num_latents\": 4, \"k\": 2, \"multi_topk\": false, \"skip_connection\": false, \"d_in\": 3}");
        Safetensors.write(folder.resolve("sae.safetensors"), Map.of(), List.of(
                Tensor.ofFloats("encoder.weight", DType.F32, new long[] {dSae, dIn}, encW),
                Tensor.ofFloats("encoder.bias", DType.F32, new long[] {dSae}, encB),
                Tensor.ofFloats("W_dec", DType.F32, new long[] {dSae, dIn}, wDec),
                Tensor.ofFloats("b_dec", DType.F32, new long[] {dIn}, bDec)));
        SaeCheckpoints.Checkpoint c = SaeCheckpoints.read(folder, null);
        assertEquals("sparsify", c.format());
        assertEquals(SaeArchitecture.TOPK, c.weights().architecture());
        assertEquals(2, c.weights().k());
        assertEquals(2L, ((Number) c.facts().get("cfg.k")).longValue());
        // x = (1.5, 2, 3): x - b_dec = (1, 2, 3); z = (1, 2.5, 3, 5); top 2: features 3 (5) and 2 (3)
        float[] f = encode(c.weights(), new float[] {1.5f, 2, 3});
        assertEquals(List.of(0f, 0f, 3f, 5f), List.of(f[0], f[1], f[2], f[3]));
        assertEquals(3f, c.weights().wDec()[2 * 3 + 2], 0f, "W_dec rows are the features, as sparsify stores them");
    }

    @Test
    void anUnknownLayoutIsRefusedNamingTheTensorsFound() throws Exception {
        Path file = dir.resolve("weird.safetensors");
        Safetensors.write(file, Map.of(), List.of(
                Tensor.ofFloats("dictionary", DType.F32, new long[] {4, 3}, new float[12]),
                Tensor.ofFloats("offset", DType.F32, new long[] {3}, new float[3])));
        assertFails(() -> SaeCheckpoints.read(file, null), "weird.safetensors", "encoder and decoder",
                "dictionary [4, 3] F32", "offset [3] F32");
    }

    @Test
    void aPickleThatWouldRunCodeIsRefusedWithoutRunningIt() throws Exception {
        // os.system('touch pwned'): GLOBAL, a string argument, TUPLE1, REDUCE
        byte[] evil = {(byte) 0x80, 2, 'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n', 'X', 11, 0, 0, 0,
            't', 'o', 'u', 'c', 'h', ' ', 'p', 'w', 'n', 'e', 'd', (byte) 0x85, 'R', '.'};
        Path file = dir.resolve("evil.pt");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("evil/data.pkl"));
            zip.write(evil);
            zip.closeEntry();
        }
        assertFails(() -> SaeCheckpoints.read(file, null), "evil.pt", "refused global os.system");
        assertTrue(!Files.exists(Path.of("pwned")) && !Files.exists(dir.resolve("pwned")));
        Path notZip = dir.resolve("legacy.pt");
        Files.write(notZip, new byte[] {(byte) 0x80, 2, '.'});
        assertFails(() -> SaeCheckpoints.read(notZip, null), "legacy.pt", "not a zip archive");
    }
}
