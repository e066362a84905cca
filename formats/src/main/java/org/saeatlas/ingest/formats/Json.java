package org.saeatlas.ingest.formats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads JSON documents and typed fields with the project's error messages. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static JsonNode readObject(Path file) {
        try {
            return parseObject(file, Files.readString(file));
        } catch (NoSuchFileException e) {
            throw FormatError.of(file, "file", "to exist", "no such file");
        } catch (IOException e) {
            throw FormatError.io(file, "read the JSON file", e);
        }
    }

    static JsonNode parseObject(Object where, String text) {
        JsonNode n = parse(where, text);
        if (!n.isObject()) {
            throw FormatError.of(where, "document", "a JSON object", n.getNodeType());
        }
        return n;
    }

    static JsonNode parse(Object where, String text) {
        try {
            JsonNode n = MAPPER.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw FormatError.of(where, "document", "JSON", "an empty document");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw FormatError.of(where, "document", "valid JSON", "a parse error: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
    }

    /** The first present, non-null field among {@code names}, or null. */
    static JsonNode first(JsonNode obj, String... names) {
        for (String n : names) {
            JsonNode v = obj.get(n);
            if (v != null && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    static String text(Object where, JsonNode obj, String... names) {
        JsonNode v = first(obj, names);
        if (v == null) {
            return null;
        }
        if (!v.isValueNode()) {
            throw FormatError.of(where, names[0], "a string", v.getNodeType());
        }
        return v.asText();
    }

    /** An integer field, also accepting a whole number written as a string ("12"), or null when absent. */
    static Long integer(Object where, JsonNode obj, String... names) {
        JsonNode v = first(obj, names);
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.asText().trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw FormatError.of(where, names[0], "an integer", v);
    }

    static long requireInteger(Object where, JsonNode obj, String... names) {
        Long v = integer(where, obj, names);
        if (v == null) {
            throw FormatError.of(where, "key '" + names[0] + "'", "present", "no such key (keys: "
                    + fieldNames(obj) + ")");
        }
        return v;
    }

    static String fieldNames(JsonNode obj) {
        StringBuilder s = new StringBuilder();
        obj.fieldNames().forEachRemaining(n -> s.append(s.length() == 0 ? "" : ", ").append(n));
        return s.toString();
    }
}
