package org.saeatlas.ingest.db;

import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;

/**
 * One row of a {@link CypherExecutor} result with typed getters: numbers come back as {@link Long} or {@link Double}
 * whatever path ran the statement, a node returned whole ({@code RETURN r}) as its property map. A missing or null
 * value asked for as a primitive is a clear error naming the column, never a zero.
 */
public record CypherRow(Map<String, Object> values) {

    public static List<CypherRow> of(List<Map<String, Object>> rows) {
        return rows.stream().map(CypherRow::new).toList();
    }

    public Object get(String column) {
        return values.get(column);
    }

    public boolean isNull(String column) {
        return values.get(column) == null;
    }

    /** The text in {@code column}, or null. */
    public String string(String column) {
        Object v = values.get(column);
        return v == null ? null : v.toString();
    }

    public long asLong(String column) {
        return number(column).longValue();
    }

    public int asInt(String column) {
        return number(column).intValue();
    }

    public double asDouble(String column) {
        return number(column).doubleValue();
    }

    /** The integer in {@code column}, or null. */
    public Integer intOrNull(String column) {
        return values.get(column) instanceof Number n ? n.intValue() : null;
    }

    /** The number in {@code column}, or null. */
    public Double doubleOrNull(String column) {
        return values.get(column) instanceof Number n ? n.doubleValue() : null;
    }

    public boolean bool(String column, boolean ifNull) {
        return values.get(column) instanceof Boolean b ? b : ifNull;
    }

    /** The list in {@code column}; empty when null. */
    public List<Object> list(String column) {
        return values.get(column) instanceof List<?> l ? List.copyOf(l) : List.of();
    }

    /** A map or node in {@code column} as a row of its own (empty when null). */
    @SuppressWarnings("unchecked")
    public CypherRow row(String column) {
        return new CypherRow(values.get(column) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    }

    private Number number(String column) {
        if (values.get(column) instanceof Number n) {
            return n;
        }
        throw new AtlasException("database row: expected a number in '" + column + "', found "
                + values.get(column));
    }
}
