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
    void aVocabularyThatIsNotATokenizerJsonIsAListOrAMap() throws IOException {
        Path chars = dir.resolve("itos.json");
        Files.writeString(chars, "[\"\\n\", \" \", \"a\", \"b\", \"!\"]"); // a character model, id = position
        TokenizerVocab list = TokenizerVocab.read(chars);
        assertEquals(5, list.size());
        assertEquals(List.of("b", "a", " ", "!"), list.texts(new int[] {3, 2, 1, 4}));
        Path itos = dir.resolve("id_to_string.json");
        Files.writeString(itos, "{\"0\": \"x\", \"2\": \"z\", \"1\": \"y\"}");
        assertEquals(List.of("z", "x"), TokenizerVocab.read(itos).texts(new int[] {2, 0}));
        Path vocab = dir.resolve("vocab.json"); // GPT-2's vocab.json: token to id, byte-level spelling
        Files.writeString(vocab, "{\"the\": 0, \"\u0120cat\": 1}");
        assertEquals(List.of(" cat", "the"), TokenizerVocab.read(vocab).texts(new int[] {1, 0}));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "[\"a\", 3]");
        assertFails(() -> TokenizerVocab.read(bad), "bad.json", "[1]", "a token string");
    }

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

    @Test
    void textUndoesByteLevelAndMetaspaceSpelling() throws IOException {
        Path gpt2 = dir.resolve("gpt2.json");
        // GPT-2 spelling: U+0120 is the space byte, U+010A the newline byte, "\u00c3\u00a9" the two UTF-8 bytes of e-acute
        Files.writeString(gpt2, "{\"decoder\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false},"
                + "\"added_tokens\":[{\"id\":3,\"content\":\"<|endoftext|>\"}],"
                + "\"model\":{\"type\":\"BPE\",\"vocab\":{\"\u0120cat\":0,\"\u010a\":1,\"caf\u00c3\u00a9\":2}}}");
        TokenizerVocab v = TokenizerVocab.read(gpt2);
        assertEquals(List.of(" cat", "\n", "caf\u00e9", "<|endoftext|>"), v.texts(new int[] {0, 1, 2, 3}));
        assertEquals("\u0120cat", v.token(0), "token() keeps the vocabulary's own spelling");

        Path gemma = dir.resolve("gemma.json");
        Files.writeString(gemma, "{\"decoder\":{\"type\":\"Sequence\",\"decoders\":[{\"type\":\"Replace\","
                + "\"pattern\":{\"String\":\"\u2581\"},\"content\":\" \"},{\"type\":\"ByteFallback\"}]},"
                + "\"model\":{\"type\":\"BPE\",\"vocab\":{\"\u2581the\":0,\"<0x0A>\":1,\"ing\":2}}}");
        assertEquals(List.of(" the", "\n", "ing"), TokenizerVocab.read(gemma).texts(new int[] {0, 1, 2}));
    }
}
