package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tokenizer.json written in the Hugging Face tokenizers layout (BPE map, Unigram list, added_tokens). */
class TokenizerVocabTest {
    @TempDir
    Path dir;

    @Test
    void readsBpeMapAndAddedTokensAndUnigramList() throws IOException {
        Path bpe = dir.resolve("tokenizer.json");
        Files.writeString(bpe, "{\"version\":\"1.0\",\"added_tokens\":[{\"id\":4,\"content\":\"<|endoftext|>\","
                + "\"special\":true}],\"model\":{\"type\":\"BPE\",\"vocab\":{\"!\":0,\"the\":2,\"\u0120cat\":1,"
                + "\"\u0120the\":3},\"merges\":[\"\u0120 t\"]}}");
        TokenizerVocab v = TokenizerVocab.read(bpe);
        assertEquals(5, v.size());
        assertEquals(List.of("<|endoftext|>", "\u0120the", "\u0120cat"), v.tokens(new int[] {4, 3, 1}));
        assertFails(() -> v.token(7), "tokenizer.json", "token id", "[0, 5)", "found 7");

        Path uni = dir.resolve("t5.json");
        Files.writeString(uni, "{\"model\":{\"type\":\"Unigram\",\"vocab\":[[\"<pad>\",0.0],[\"\u2581the\",-3.1]]}}");
        assertEquals("\u2581the", TokenizerVocab.read(uni).token(1));

        Files.writeString(uni, "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":0}}}");
        assertFails(() -> TokenizerVocab.read(uni), "t5.json", "one token per id", "id 0");
        Files.writeString(uni, "{\"model\":{\"type\":\"WordLevel\"}}");
        assertFails(() -> TokenizerVocab.read(uni), "model.vocab", "no such key");
    }
}
