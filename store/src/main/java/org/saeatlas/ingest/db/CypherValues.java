package org.saeatlas.ingest.db;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One shape for result values, whichever path they came by: integers as {@link Long}, floating point as
 * {@link Double}, characters as {@link String}, property arrays ({@code long[]}, {@code double[]}, {@code float[]},
 * {@code String[]}, ...) as lists, nodes and relationships as their property maps, maps and lists unmodifiable.
 * {@code byte[]} stays {@code byte[]} (the driver's bytes); temporal and spatial values pass unchanged.
 */
final class CypherValues {

    private CypherValues() {
    }

    static Object normalise(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double
                || v instanceof byte[]) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Character c) {
            return c.toString();
        }
        if (v instanceof org.neo4j.graphdb.Path || v instanceof org.neo4j.driver.types.Path) {
            throw new CypherException(CypherException.Kind.CLIENT, null, "a query returned a path, which the atlas"
                    + " does not pass on: return nodes(p) and relationships(p) (or their properties) instead", null);
        }
        if (v instanceof org.neo4j.graphdb.Entity e) {
            return map(e.getAllProperties());
        }
        if (v instanceof org.neo4j.driver.types.Entity e) {
            return map(e.asMap());
        }
        if (v instanceof Map<?, ?> m) {
            return map(m);
        }
        if (v instanceof Iterable<?> items) {
            List<Object> out = new ArrayList<>();
            items.forEach(item -> out.add(normalise(item)));
            return Collections.unmodifiableList(out);
        }
        if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            List<Object> out = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                out.add(normalise(Array.get(v, k)));
            }
            return Collections.unmodifiableList(out);
        }
        return v;
    }

    static Map<String, Object> map(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>(Math.max(4, m.size() * 2));
        m.forEach((k, value) -> out.put(String.valueOf(k), normalise(value)));
        return Collections.unmodifiableMap(out);
    }
}
