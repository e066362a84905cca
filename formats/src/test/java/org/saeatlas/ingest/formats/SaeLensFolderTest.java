package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.sae.SaeArchitecture;
import org.saeatlas.compute.sae.SaeWeights;

/** SAE folders written in the SAELens layout (no real one is published as a file; see the fixtures README). */
class SaeLensFolderTest {
    @TempDir
    Path dir;

    static final float[] W_ENC = {0.5f, -1, 2, 0.25f, 3, -0.5f}; // [d_in=2, d_sae=3]
    static final float[] W_DEC = {1, 0, 0, 1, 0.5f, 0.5f};      // [d_sae=3, d_in=2]
    static final float[] B_ENC = {0.1f, 0.2f, -0.3f};
    static final float[] B_DEC = {1.5f, -2};

    static Path folder(Path dir, String cfg, DType dtype, boolean threshold) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cfg.json"), cfg);
        List<Tensor> ts = new ArrayList<>(List.of(
                Tensor.ofFloats("W_enc", dtype, new long[] {2, 3}, W_ENC),
                Tensor.ofFloats("W_dec", dtype, new long[] {3, 2}, W_DEC),
                Tensor.ofFloats("b_enc", dtype, new long[] {3}, B_ENC),
                Tensor.ofFloats("b_dec", dtype, new long[] {2}, B_DEC)));
        if (threshold) {
            ts.add(Tensor.ofFloats("threshold", dtype, new long[] {3}, new float[] {0.5f, 1, 0}));
        }
        Safetensors.write(dir.resolve("sae_weights.safetensors"), Map.of(), ts);
        return dir;
    }

    @Test
    void readsCurrentJumpReluConfigInFloat32() throws IOException {
        Path f = folder(dir.resolve("jr"), "{\"architecture\":\"jumprelu\",\"d_in\":2,\"d_sae\":3,"
                + "\"dtype\":\"float32\",\"apply_b_dec_to_input\":false,\"normalize_activations\":\"none\","
                + "\"metadata\":{\"model_name\":\"gemma-2-2b\",\"hook_name\":\"blocks.12.hook_resid_post\","
                + "\"context_size\":1024}}", DType.F32, true);
        SaeWeights w = SaeLensFolder.read(f);
        assertEquals(SaeArchitecture.JUMPRELU, w.architecture());
        assertEquals(2, w.dIn());
        assertEquals(3, w.dSae());
        assertArrayEquals(W_ENC, w.wEnc());
        assertArrayEquals(W_DEC, w.wDec());
        assertArrayEquals(B_ENC, w.bEnc());
        assertArrayEquals(B_DEC, w.bDec());
        assertArrayEquals(new float[] {0.5f, 1, 0}, w.threshold());
        assertFalse(w.applyBDecToInput());
        assertEquals("gemma-2-2b", w.modelName());
        assertEquals("blocks.12.hook_resid_post", w.hookName());
        assertEquals("float32", w.dtype());
    }

    @Test
    void readsOlderFlatStandardConfigInFloat16AndTopKInBf16() throws IOException {
        SaeWeights std = SaeLensFolder.read(folder(dir.resolve("std"), "{\"d_in\":2,\"d_sae\":3,"
                + "\"model_name\":\"gpt2-small\",\"hook_point\":\"blocks.0.hook_resid_pre\"}", DType.F16, false));
        assertEquals(SaeArchitecture.STANDARD, std.architecture());
        assertTrue(std.applyBDecToInput());
        assertEquals("blocks.0.hook_resid_pre", std.hookName());
        assertEquals("gpt2-small", std.modelName());
        assertEquals("float16", std.dtype());
        assertArrayEquals(W_ENC, std.wEnc()); // all exactly representable in f16
        assertEquals(0.0999755859375f, std.bEnc()[0]); // 0.1 rounded to f16

        SaeWeights topk = SaeLensFolder.read(folder(dir.resolve("topk"), "{\"architecture\":\"topk\",\"d_in\":2,"
                + "\"d_sae\":3,\"k\":2,\"metadata\":{\"hook_name\":\"h\"}}", DType.BF16, false));
        assertEquals(SaeArchitecture.TOPK, topk.architecture());
        assertEquals(2, topk.k());
        assertEquals("bfloat16", topk.dtype());
        assertNull(topk.threshold());
        SaeWeights old = SaeLensFolder.read(folder(dir.resolve("old"), "{\"architecture\":\"standard\",\"d_in\":2,"
                + "\"d_sae\":3,\"activation_fn\":\"topk\",\"activation_fn_kwargs\":{\"k\":1}}", DType.F32, false));
        assertEquals(SaeArchitecture.TOPK, old.architecture());
        assertEquals(1, old.k());
    }

    @Test
    void errorCases() throws IOException {
        String ok = "{\"architecture\":\"standard\",\"d_in\":2,\"d_sae\":3}";
        assertFails(() -> SaeLensFolder.read(folder(dir.resolve("a"), "{\"d_in\":2,\"d_sae\":4}", DType.F32, false)),
                "sae_weights.safetensors", "tensor 'W_enc' shape", "[2, 4]", "[2, 3]");
        assertFails(() -> SaeLensFolder.read(folder(dir.resolve("b"), "{\"d_in\":2}", DType.F32, false)),
                "cfg.json", "key 'd_sae'", "present");
        assertFails(() -> SaeLensFolder.read(folder(dir.resolve("c"), "{\"architecture\":\"jumprelu\",\"d_in\":2,"
                + "\"d_sae\":3}", DType.F32, false)), "tensor 'threshold'", "present", "W_enc");
        assertFails(() -> SaeLensFolder.read(folder(dir.resolve("d"), "{\"architecture\":\"topk\",\"d_in\":2,"
                + "\"d_sae\":3}", DType.F32, false)), "cfg.json", "k", "no such key");
        assertFails(() -> SaeLensFolder.read(folder(dir.resolve("e"), "{\"architecture\":\"gated\",\"d_in\":2,"
                + "\"d_sae\":3}", DType.F32, false)), "architecture", "\"gated\"", "not supported");
        assertFails(() -> SaeLensFolder.read(folder(dir.resolve("f"), "{\"d_in\":2,", DType.F32, false)),
                "cfg.json", "valid JSON");
        assertFails(() -> SaeLensFolder.read(dir.resolve("missing")), "missing", "cfg.json and "
                + "sae_weights.safetensors");

        Path nan = folder(dir.resolve("g"), ok, DType.F32, false);
        float[] bad = W_DEC.clone();
        bad[3] = Float.NaN;
        Safetensors.write(nan.resolve("sae_weights.safetensors"), Map.of(), List.of(
                Tensor.ofFloats("W_enc", DType.F32, new long[] {2, 3}, W_ENC),
                Tensor.ofFloats("W_dec", DType.F32, new long[] {3, 2}, bad),
                Tensor.ofFloats("b_enc", DType.F32, new long[] {3}, B_ENC),
                Tensor.ofFloats("b_dec", DType.F32, new long[] {2}, B_DEC)));
        assertFails(() -> SaeLensFolder.read(nan), "tensor 'W_dec' element [1, 1]", "finite", "NaN");

        Path ints = folder(dir.resolve("h"), ok, DType.F32, false);
        Safetensors.write(ints.resolve("sae_weights.safetensors"), Map.of(), List.of(
                Tensor.ofLongs("W_enc", DType.I32, new long[] {2, 3}, new long[6])));
        assertFails(() -> SaeLensFolder.read(ints), "tensor 'W_enc' dtype", "F32", "I32");
    }
}
