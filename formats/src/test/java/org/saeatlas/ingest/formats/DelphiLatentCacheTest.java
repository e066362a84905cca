package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.SparseActivations;

/**
 * Caches written in delphi's layout (no real shard is published): 2 sequences x 3 positions, 6 latents split
 * 0_2 and 3_5, locations stored relative to the split start as delphi's save_splits does.
 */
class DelphiLatentCacheTest {
    @TempDir
    Path dir;

    static final long[] TOKENS = {50256, 464, 3797, 50256, 40, 588};

    static void split(Path file, DType locType, long[] locations, float[] acts, boolean tokens) {
        List<Tensor> ts = new ArrayList<>(List.of(
                Tensor.ofLongs("locations", locType, new long[] {acts.length, 3}, locations),
                Tensor.ofFloats("activations", DType.F16, new long[] {acts.length}, acts)));
        if (tokens) {
            ts.add(Tensor.ofLongs("tokens", DType.I64, new long[] {2, 3}, TOKENS));
        }
        Safetensors.write(file, Map.of(), ts);
    }

    static Path cache(Path root, boolean tokens, String config) throws IOException {
        Path hook = root.resolve(".model.layers.10");
        Files.createDirectories(hook);
        // (seq, pos, latent - start): latent 1 at (0,0); latent 0 at (1,2); latent 2 at (0,0)
        split(hook.resolve("0_2.safetensors"), DType.U16, new long[] {0, 0, 1, 1, 2, 0, 0, 0, 2},
                new float[] {1.5f, 0.25f, 3f}, tokens);
        // latent 5 at (0,1), latent 3 at (1,2)
        split(hook.resolve("3_5.safetensors"), DType.U32, new long[] {0, 1, 2, 1, 2, 0},
                new float[] {2f, 0.5f}, tokens);
        if (config != null) {
            Files.writeString(hook.resolve("config.json"), config);
        }
        return root;
    }

    private static void assertCache(SparseActivations a) {
        assertEquals(6, a.tokens());
        assertEquals(6, a.featureCount());
        assertArrayEquals(new int[] {0, 2, 3, 3, 3, 3, 5}, a.rowPtr());
        assertArrayEquals(new int[] {1, 2, 5, 0, 3}, a.features());
        assertArrayEquals(new float[] {1.5f, 3f, 2f, 0.25f, 0.5f}, a.values());
    }

    @Test
    void readsSplitCacheWithTokensAndRealConfig() throws IOException {
        String realConfig = Files.readString(Fixtures.path("delphi/examples_latents_model.layers.10_config.json"));
        DelphiCache c = DelphiLatentCache.read(cache(dir, true, realConfig));
        assertEquals(".model.layers.10", c.hookpoint());
        assertCache(c.activations());
        assertEquals(2, c.sequences());
        assertEquals(3, c.contextLength());
        assertArrayEquals(new int[] {50256, 464, 3797, 50256, 40, 588}, c.tokens());
        assertEquals("google/gemma-2-9b", c.modelName());
        assertEquals(256, c.config().get("ctx_len"));
        assertCache(ActivationFiles.read(dir));
        assertCache(ActivationFiles.read(dir.resolve(".model.layers.10")));
        assertCache(DelphiLatentCache.read(dir, ".model.layers.10").activations());
    }

    @Test
    void withoutTokensUsesNewerConfigKeys() throws IOException {
        String cfg = "{\"cache_ctx_len\": 3, \"n_tokens\": 6, \"model_name\": \"meta-llama/Meta-Llama-3-8B\"}";
        DelphiCache c = DelphiLatentCache.read(cache(dir, false, cfg));
        assertCache(c.activations());
        assertNull(c.tokens());
        // the real newer config parses too (its cache_ctx_len 256 gives 256-token rows)
        Path hook = dir.resolve(".model.layers.10");
        Files.copy(Fixtures.path("delphi/temperature_latents_layers.5_config.json"), hook.resolve("config.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        DelphiCache real = DelphiLatentCache.read(hook);
        assertEquals(256, real.contextLength());
        assertEquals(10_000_000 / 256, real.sequences());
        assertEquals("meta-llama/Meta-Llama-3-8B", real.modelName());
    }

    @Test
    void readsUnsplitInt64Float32() throws IOException {
        Path f = dir.resolve("layers.5.safetensors");
        Safetensors.write(f, Map.of(), List.of(
                Tensor.ofLongs("locations", DType.I64, new long[] {2, 3}, new long[] {0, 2, 7, 1, 0, 4}),
                Tensor.ofFloats("activations", DType.F32, new long[] {2}, new float[] {0.75f, 1.25f}),
                Tensor.ofLongs("tokens", DType.I64, new long[] {2, 3}, TOKENS)));
        DelphiCache c = DelphiLatentCache.readUnsplit(f);
        assertEquals("layers.5", c.hookpoint());
        assertEquals(8, c.activations().featureCount());
        assertArrayEquals(new int[] {0, 0, 0, 1, 2, 2, 2}, c.activations().rowPtr());
        assertArrayEquals(new int[] {7, 4}, c.activations().features());
        assertEquals(6, ActivationFiles.read(f).tokens());
    }

    @Test
    void errorCases() throws IOException {
        Path hook = dir.resolve("h");
        Files.createDirectories(hook);
        Path f = hook.resolve("0_2.safetensors");
        split(f, DType.U16, new long[] {0, 0, 3}, new float[] {1}, true);
        assertFails(() -> DelphiLatentCache.read(hook), "0_2.safetensors", "'locations' row 0", "[0, 2]",
                "(0, 0, 3)");
        split(f, DType.U16, new long[] {0, 3, 1}, new float[] {1}, true);
        assertFails(() -> DelphiLatentCache.read(hook), "0_2.safetensors", "position < 3", "position up to 3");
        split(f, DType.U16, new long[] {0, 0, 1}, new float[] {-1}, true);
        assertFails(() -> DelphiLatentCache.read(hook), "0_2.safetensors", "'activations' element [0]",
                "non-negative", "-1.0");
        split(f, DType.U16, new long[] {0, 0, 1}, new float[] {Float.POSITIVE_INFINITY}, true);
        assertFails(() -> DelphiLatentCache.read(hook), "activations", "finite", "Infinity");
        Safetensors.write(f, Map.of(), List.of(
                Tensor.ofFloats("locations", DType.F32, new long[] {1, 3}, new float[] {0, 0, 1}),
                Tensor.ofFloats("activations", DType.F16, new long[] {1}, new float[] {1})));
        assertFails(() -> DelphiLatentCache.read(hook), "'locations' dtype", "U16", "F32");
        split(f, DType.U16, new long[] {0, 0, 1}, new float[] {1}, false);
        assertFails(() -> DelphiLatentCache.read(hook), "context length", "'tokens'", "ctx_len");
        Safetensors.write(f, Map.of(), List.of(
                Tensor.ofFloats("activations", DType.F16, new long[] {1}, new float[] {1})));
        assertFails(() -> DelphiLatentCache.read(hook), "0_2.safetensors", "tensor 'locations'", "present");
        Safetensors.write(f, Map.of(), List.of(
                Tensor.ofLongs("locations", DType.U16, new long[] {2, 3}, new long[6]),
                Tensor.ofFloats("activations", DType.F16, new long[] {1}, new float[] {1})));
        assertFails(() -> DelphiLatentCache.read(hook), "tensor 'activations' shape", "[2]", "[1]");
        split(f, DType.U16, new long[] {0, 0, 1}, new float[] {1}, true);
        Files.writeString(hook.resolve("0_2.safetensors.bak"), "");
        Path other = dir.resolve("h2");
        Files.createDirectories(other);
        Files.copy(f, other.resolve("0_2.safetensors"));
        assertFails(() -> DelphiLatentCache.read(dir), "hookpoints [h, h2]");
        byte[] whole = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(whole, whole.length - 2));
        assertFails(() -> DelphiLatentCache.read(hook), "0_2.safetensors", "truncated");
    }
}
