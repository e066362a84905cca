package org.saeatlas.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Token id to string, from a Hugging Face {@code tokenizer.json}: {@code model.vocab} as a {token: id} map (BPE,
 * WordPiece) or a [[token, score], ...] list (Unigram), plus {@code added_tokens} [{id, content}]. Strings are the
 * vocabulary's own spelling (GPT-2 byte-level BPE writes a leading space as "Ġ").
 */
public final class TokenizerVocab {
    private final Path file;
    private final String[] tokens;

    private TokenizerVocab(Path file, String[] tokens) {
        this.file = file;
        this.tokens = tokens;
    }

    public static TokenizerVocab read(Path file) {
        JsonNode doc = Json.readObject(file);
        JsonNode vocab = doc.path("model").get("vocab");
        if (vocab == null || !(vocab.isObject() || vocab.isArray())) {
            throw FormatError.of(file, "model.vocab", "a {token: id} object or a [[token, score]] list",
                    vocab == null ? "no such key" : vocab.getNodeType());
        }
        List<String> byId = new ArrayList<>();
        if (vocab.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                put(file, byId, id(file, "model.vocab['" + e.getKey() + "']", e.getValue()), e.getKey());
            }
        } else {
            for (int i = 0; i < vocab.size(); i++) {
                JsonNode piece = vocab.get(i);
                JsonNode text = piece.isArray() && piece.size() > 0 ? piece.get(0) : null;
                if (text == null || !text.isTextual()) {
                    throw FormatError.of(file, "model.vocab[" + i + "]", "[token, score]", piece);
                }
                put(file, byId, i, text.asText());
            }
        }
        JsonNode added = doc.get("added_tokens");
        if (added != null && added.isArray()) {
            for (int i = 0; i < added.size(); i++) {
                JsonNode a = added.get(i);
                String content = Json.text(file, a, "content");
                if (content == null) {
                    throw FormatError.of(file, "added_tokens[" + i + "].content", "a string", a);
                }
                putAdded(byId, id(file, "added_tokens[" + i + "].id", a.get("id")), content);
            }
        }
        return new TokenizerVocab(file, byId.toArray(new String[0]));
    }

    private static int id(Path file, String field, JsonNode v) {
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
            throw FormatError.of(file, field, "a non-negative integer id", v);
        }
        return v.asInt();
    }

    private static void put(Path file, List<String> byId, int id, String token) {
        while (byId.size() <= id) {
            byId.add(null);
        }
        if (byId.get(id) != null) {
            throw FormatError.of(file, "model.vocab", "one token per id", "id " + id + " for both '"
                    + byId.get(id) + "' and '" + token + "'");
        }
        byId.set(id, token);
    }

    private static void putAdded(List<String> byId, int id, String token) {
        while (byId.size() <= id) {
            byId.add(null);
        }
        byId.set(id, token);
    }

    /** One past the largest id. */
    public int size() {
        return tokens.length;
    }

    public String token(int id) {
        if (id < 0 || id >= tokens.length || tokens[id] == null) {
            throw FormatError.of(file, "token id", "an id in the vocabulary [0, " + tokens.length + ")", id);
        }
        return tokens[id];
    }

    public List<String> tokens(int[] ids) {
        return Arrays.stream(ids).mapToObj(this::token).toList();
    }
}
