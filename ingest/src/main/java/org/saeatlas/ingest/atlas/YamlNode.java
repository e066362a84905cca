package org.saeatlas.ingest.atlas;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read with Jackson's YAML module into a small tree that keeps, for every value, the line it
 * started on, so that an error in an atlas file can name the file, the line and the key. {@code path} is the key
 * path from the root ("models[0].saes[1].width").
 */
final class YamlNode {

    enum Kind { MAP, LIST, SCALAR }

    final Kind kind;
    final String path;
    final int line;
    /** Scalars: String, Integer, Long, Double, Boolean or null. */
    final Object scalar;
    final Map<String, YamlNode> map;
    final List<YamlNode> list;

    private YamlNode(Kind kind, String path, int line, Object scalar, Map<String, YamlNode> map, List<YamlNode> list) {
        this.kind = kind;
        this.path = path;
        this.line = line;
        this.scalar = scalar;
        this.map = map;
        this.list = list;
    }

    static YamlNode read(Path file) {
        YAMLFactory factory = new YAMLFactory();
        try (JsonParser p = factory.createParser(file.toFile())) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new AtlasFileError(file, 1, "", "the file is empty; expected an atlas file (models: ...)");
            }
            YamlNode root = node(file, p, "");
            if (p.nextToken() != null) {
                throw new AtlasFileError(file, line(p.currentLocation()), "", "expected one YAML document, found more");
            }
            return root;
        } catch (AtlasFileError e) {
            throw e;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new AtlasFileError(file, at == null ? 0 : line(at), "", "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new AtlasFileError(file, 0, "", "cannot read (" + e.getMessage() + ")");
        }
    }

    private static int line(JsonLocation at) {
        return at.getLineNr();
    }

    private static YamlNode node(Path file, JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        int line = line(p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    int keyLine = line(p.currentTokenLocation());
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    if (m.containsKey(key)) {
                        throw new AtlasFileError(file, keyLine, childPath, "the key appears twice (first on line "
                                + m.get(key).line + ")");
                    }
                    p.nextToken();
                    m.put(key, node(file, p, childPath));
                }
                return new YamlNode(Kind.MAP, path, line, null, Collections.unmodifiableMap(m), null);
            }
            case START_ARRAY -> {
                List<YamlNode> l = new ArrayList<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_ARRAY; k = p.nextToken()) {
                    l.add(node(file, p, path + "[" + l.size() + "]"));
                }
                return new YamlNode(Kind.LIST, path, line, null, null, Collections.unmodifiableList(l));
            }
            case VALUE_STRING -> {
                return new YamlNode(Kind.SCALAR, path, line, p.getText(), null, null);
            }
            case VALUE_NUMBER_INT -> {
                return new YamlNode(Kind.SCALAR, path, line, p.getNumberValue(), null, null);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new YamlNode(Kind.SCALAR, path, line, p.getDoubleValue(), null, null);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YamlNode(Kind.SCALAR, path, line, t == JsonToken.VALUE_TRUE, null, null);
            }
            case VALUE_NULL -> {
                return new YamlNode(Kind.SCALAR, path, line, null, null, null);
            }
            default -> throw new AtlasFileError(file, line, path, "unexpected YAML token " + t);
        }
    }

    String describe() {
        return switch (kind) {
            case MAP -> "a mapping";
            case LIST -> "a list";
            case SCALAR -> scalar == null ? "nothing (null)" : scalar instanceof String s ? "'" + s + "'" : String.valueOf(scalar);
        };
    }
}
