package org.saeatlas.server.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed values of stored properties, for the readers' records: a property that is not there is null (never 0), a
 * number is read at the width the record declares, a list keeps its order.
 */
final class Props {

    private Props() {
    }

    static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v instanceof String s ? s : String.valueOf(v);
    }

    static Long lng(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : null;
    }

    static Double dbl(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    static Boolean bool(Map<String, Object> m, String key) {
        return m.get(key) instanceof Boolean b ? b : null;
    }

    static List<Long> longs(Object v) {
        return list(v, x -> x instanceof Number n ? n.longValue() : null);
    }

    static List<Double> doubles(Object v) {
        return list(v, x -> x instanceof Number n ? n.doubleValue() : null);
    }

    static List<String> strings(Object v) {
        return list(v, x -> x == null ? null : String.valueOf(x));
    }

    /** A stored list with each element read by {@code element} (null elements stay null); null when not a list. */
    private static <T> List<T> list(Object v, Function<Object, T> element) {
        if (!(v instanceof List<?> list)) {
            return null;
        }
        List<T> out = new ArrayList<>(list.size());
        list.forEach(x -> out.add(element.apply(x)));
        return Collections.unmodifiableList(out);
    }
}
