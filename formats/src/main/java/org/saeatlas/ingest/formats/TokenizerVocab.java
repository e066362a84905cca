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
    private final Spelling spelling;

    /**
     * How the vocabulary spells text, from the tokenizer's {@code decoder}: GPT-2 style byte-level BPE maps every
     * byte to a printable character ({@code "\u0120"} for a space); SentencePiece style writes {@code "\u2581"} for a
     * space and, with byte fallback, {@code <0x0A>} for a byte.
     */
    enum Spelling { BYTE_LEVEL, METASPACE, PLAIN }

    private TokenizerVocab(Path file, String[] tokens, Spelling spelling) {
        this.file = file;
        this.tokens = tokens;
        this.spelling = spelling;
    }

    public static TokenizerVocab read(Path file) {
        JsonNode doc;
        try {
            doc = Json.parse(file, java.nio.file.Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw FormatError.of(file, "file", "to exist", "no such file");
        } catch (java.io.IOException e) {
            throw FormatError.io(file, "read the vocabulary", e);
        }
        if (doc.isArray() || doc.isObject() && !doc.has("model")) {
            return simple(file, doc);
        }
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
        return new TokenizerVocab(file, byId.toArray(new String[0]), spelling(doc));
    }

    /**
     * A vocabulary that is not a tokenizer.json: a JSON list of token strings (position = id), an {"id": "token"}
     * map (e.g. a character model's itos), or a {"token": id} map (e.g. GPT-2's vocab.json). Spelling: byte-level
     * when tokens use "\u0120" for a space, SentencePiece when they use "\u2581", else as written.
     */
    private static TokenizerVocab simple(Path file, JsonNode doc) {
        List<String> byId = new ArrayList<>();
        if (doc.isArray()) {
            for (int i = 0; i < doc.size(); i++) {
                if (!doc.get(i).isTextual()) {
                    throw FormatError.of(file, "[" + i + "]", "a token string (a vocabulary list)", doc.get(i));
                }
                put(file, byId, i, doc.get(i).asText());
            }
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual() && e.getKey().matches("\\d{1,9}")) {
                    put(file, byId, Integer.parseInt(e.getKey()), e.getValue().asText());
                } else if (e.getValue().isIntegralNumber()) {
                    put(file, byId, id(file, "['" + e.getKey() + "']", e.getValue()), e.getKey());
                } else {
                    throw FormatError.of(file, "['" + e.getKey() + "']", "a vocabulary: {\"id\": \"token\"} or"
                            + " {\"token\": id} (or a Hugging Face tokenizer.json with model.vocab)", e.getValue());
                }
            }
        }
        boolean byteLevel = byId.stream().anyMatch(t -> t != null && t.indexOf('\u0120') >= 0);
        boolean metaspace = byId.stream().anyMatch(t -> t != null && t.indexOf('\u2581') >= 0);
        return new TokenizerVocab(file, byId.toArray(new String[0]),
                byteLevel ? Spelling.BYTE_LEVEL : metaspace ? Spelling.METASPACE : Spelling.PLAIN);
    }

    private static Spelling spelling(JsonNode doc) {
        String decoder = doc.path("decoder").toString();
        if (decoder.contains("\"ByteLevel\"")) {
            return Spelling.BYTE_LEVEL;
        }
        if (decoder.contains("\"Metaspace\"") || decoder.contains("\u2581") || decoder.contains("\"ByteFallback\"")) {
            return Spelling.METASPACE;
        }
        return Spelling.PLAIN;
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

    /** The token as the text it stands for, as a reader would see it ({@code " cat"}, not {@code "\u0120cat"}). */
    public String text(int id) {
        String t = token(id);
        return switch (spelling) {
            case BYTE_LEVEL -> byteLevelText(t);
            case METASPACE -> metaspaceText(t);
            case PLAIN -> t;
        };
    }

    public List<String> texts(int[] ids) {
        return Arrays.stream(ids).mapToObj(this::text).toList();
    }

    private static final int[] BYTE_OF_CHAR = byteLevelAlphabet();

    /**
     * GPT-2's byte-to-character table: printable Latin-1 bytes stand for themselves, the other 68 bytes are shifted
     * to U+0100 onwards in byte order. Inverted here (character to byte).
     */
    private static int[] byteLevelAlphabet() {
        int[] inverse = new int[512];
        Arrays.fill(inverse, -1);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            inverse[printable ? b : 256 + shifted++] = b;
        }
        return inverse;
    }

    private static String byteLevelText(String t) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
            if (b < 0) {
                return t; // not byte-level spelling after all (e.g. an added special token)
            }
            bytes.write(b);
        }
        // a token may hold part of a multi-byte character: the decoder shows it as U+FFFD, as tokenizers do
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String metaspaceText(String t) {
        if (t.length() == 6 && t.startsWith("<0x") && t.endsWith(">")) {
            try {
                int b = Integer.parseInt(t.substring(3, 5), 16);
                return b < 0x80 ? String.valueOf((char) b) : "\uFFFD";
            } catch (NumberFormatException e) {
                return t;
            }
        }
        return t.replace('\u2581', ' ');
    }
}
