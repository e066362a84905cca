package org.saeatlas.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;

/**
 * A condition on an edge property, e.g. an imported graph's {@code measure}: {@code equals} compares the property's
 * text (numbers as Cypher's toString writes them), {@code min}/{@code max} bound a number. An edge without the
 * property never passes. Cypher and the in-memory projections apply it the same way.
 */
public record AttributeFilter(String name, String equals, Double min, Double max) {

    public AttributeFilter {
        if (name == null || name.isBlank()) {
            throw new AtlasException("attributes: each filter needs the name of an edge attribute");
        }
        if (equals == null && min == null && max == null) {
            throw new AtlasException("attributes: filter on '" + name + "' needs equals, min or max");
        }
    }

    /** Whether an edge whose property {@code name} is {@code value} passes. */
    public boolean test(Object value) {
        if (value == null) {
            return false;
        }
        if (equals != null && !equals.equals(text(value))) {
            return false;
        }
        if (min != null || max != null) {
            if (!(value instanceof Number n)) {
                return false;
            }
            double v = n.doubleValue();
            return (min == null || v >= min) && (max == null || v <= max);
        }
        return true;
    }

    /** As Cypher's toString: integers without a fraction, floats with one. */
    static String text(Object value) {
        if (value instanceof Double d) {
            return d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15 ? d.longValue() + ".0"
                    : String.valueOf(d);
        }
        return String.valueOf(value);
    }

    /** The filters as Cypher parameters: {@code [{name, equals, min, max}, ...]}. */
    static List<Map<String, Object>> parameters(List<AttributeFilter> filters) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (AttributeFilter f : filters == null ? List.<AttributeFilter>of() : filters) {
            Map<String, Object> m = new java.util.HashMap<>();
            m.put("name", f.name());
            m.put("equals", f.equals());
            m.put("min", f.min());
            m.put("max", f.max());
            out.add(m);
        }
        return out;
    }

    /** From GraphQL's {@code [AttributeFilter!]} argument (null: none). */
    public static List<AttributeFilter> of(Object argument) {
        if (!(argument instanceof List<?> list)) {
            return List.of();
        }
        List<AttributeFilter> out = new ArrayList<>();
        for (Object o : list) {
            Map<?, ?> m = (Map<?, ?>) o;
            out.add(new AttributeFilter((String) m.get("name"), m.get("equals") == null ? null
                    : String.valueOf(m.get("equals")), number(m.get("min")), number(m.get("max"))));
        }
        return out;
    }

    private static Double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : null;
    }

    /** The Cypher condition for relationship variable {@code e} and the parameter {@code $attrs}. */
    static String cypher(String e) {
        return "all(c IN $attrs WHERE " + e + "[c.name] IS NOT NULL"
                + " AND (c.equals IS NULL OR toString(" + e + "[c.name]) = c.equals)"
                + " AND (c.min IS NULL OR " + e + "[c.name] >= c.min) AND (c.max IS NULL OR " + e + "[c.name] <= c.max))";
    }
}
