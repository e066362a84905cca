package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Examples from a delphi cache saved with tokens, joined with a GPT-2 style tokenizer.json. */
class TokenExamplesTest {
    @TempDir
    Path dir;

    /** Two sequences of 3 tokens [[0,1,2],[3,1,0]]; latent 0 fires at (0,1)=2 and (1,1)=3, latent 1 at (1,2)=1. */
    private Path cache() throws IOException {
        Path hook = dir.resolve("cache").resolve(".gpt_neox.layers.5");
        Files.createDirectories(hook);
        Safetensors.write(hook.resolve("0_1.safetensors"), Map.of(), List.of(
                Tensor.ofLongs("locations", DType.U16, new long[] {3, 3}, new long[] {0, 1, 0, 1, 1, 0, 1, 2, 1}),
                Tensor.ofFloats("activations", DType.F16, new long[] {3}, new float[] {2f, 3f, 1f}),
                Tensor.ofLongs("tokens", DType.I64, new long[] {2, 3}, new long[] {0, 1, 2, 3, 1, 0})));
        return dir.resolve("cache");
    }

    private Path vocab(String vocab) throws IOException {
        Path v = dir.resolve("tokenizer.json");
        Files.writeString(v, "{\"decoder\":{\"type\":\"ByteLevel\"},\"model\":{\"type\":\"BPE\",\"vocab\":{" + vocab + "}}}");
        return v;
    }

    @Test
    void topWindowsBecomeExamplesWithReadableTokens() throws IOException {
        Path cache = cache();
        ActivationFiles.Source source = ActivationFiles.readSource(cache);
        assertEquals(3, source.contextLength());
        TokenizerVocab v = TokenizerVocab.read(vocab(
                "\"\u0120the\":0,\"\u0120cat\":1,\"\u0120sat\":2,\"<|endoftext|>\":3"));
        List<ActivatingExample> ex = TokenExamples.of(cache, source, v, 5, 1, 1);
        assertEquals(3, ex.size());
        assertEquals(new ActivatingExample(0, List.of("<|endoftext|>", " cat", " the"), new float[] {0f, 3f, 0f}), ex.get(0));
        assertEquals(new ActivatingExample(0, List.of(" the", " cat", " sat"), new float[] {0f, 2f, 0f}), ex.get(1));
        assertEquals(1, ex.get(2).feature());
        assertEquals(List.of(" cat", " the"), ex.get(2).tokens(), "the window stops at the end of its sequence");
        assertArrayEquals(new float[] {0f, 1f}, ex.get(2).values());
    }

    @Test
    void tokenIdsOutsideTheVocabularyOrNoTokensAreNamed() throws IOException {
        Path cache = cache();
        ActivationFiles.Source source = ActivationFiles.readSource(cache);
        TokenizerVocab small = TokenizerVocab.read(vocab("\"a\":0,\"b\":1,\"c\":2"));
        assertFails(() -> TokenExamples.of(cache, source, small, 5, 1, 1), "cache", "tensor 'tokens'", "[0, 3)", "3");
        ActivationFiles.Source noTokens = new ActivationFiles.Source(source.activations(), null, 0);
        assertFails(() -> TokenExamples.of(cache, noTokens, small, 5, 1, 1), "tensor 'tokens'", "none");
    }

    @Test
    void tokenIdsFromANpyFileAttachToActivationsWithoutThem() throws IOException {
        ActivationFiles.Source cache = ActivationFiles.readSource(cache());
        Path ids = dir.resolve("tokens.npy");
        NpyWriter.write(ids, Tensor.ofLongs("tokens", DType.I32, new long[] {2, 3}, new long[] {0, 1, 2, 3, 1, 0}));
        ActivationFiles.Source attached = TokenIds.attach(ids, cache.activations());
        assertArrayEquals(cache.tokens(), attached.tokens());
        assertEquals(3, attached.contextLength());
        TokenizerVocab v = TokenizerVocab.read(vocab("\"\u0120the\":0,\"\u0120cat\":1,\"\u0120sat\":2,\"<|endoftext|>\":3"));
        assertEquals(TokenExamples.of(dir, cache, v, 5, 1, 1), TokenExamples.of(ids, attached, v, 5, 1, 1));

        NpyWriter.write(ids, Tensor.ofLongs("tokens", DType.I64, new long[] {3, 3}, new long[9]));
        assertFails(() -> TokenIds.attach(ids, cache.activations()), "tokens.npy", "n_seq x ctx = 6", "[3, 3] = 9");
        NpyWriter.write(ids, Tensor.ofFloats("tokens", DType.F32, new long[] {2, 3}, new float[6]));
        assertFails(() -> TokenIds.attach(ids, cache.activations()), "tokens.npy", "an integer type", "F32");
        NpyWriter.write(ids, Tensor.ofLongs("tokens", DType.I64, new long[] {6}, new long[6]));
        assertFails(() -> TokenIds.attach(ids, cache.activations()), "tokens.npy", "2 dimensions", "[6]");
    }
}
