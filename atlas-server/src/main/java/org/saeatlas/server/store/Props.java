package org.saeatlas.server.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

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
        if (!(v instanceof List<?> list)) {
            return null;
        }
        List<Long> out = new ArrayList<>(list.size());
        list.forEach(x -> out.add(x instanceof Number n ? n.longValue() : null));
        return Collections.unmodifiableList(out);
    }

    static List<Double> doubles(Object v) {
        if (!(v instanceof List<?> list)) {
            return null;
        }
        List<Double> out = new ArrayList<>(list.size());
        list.forEach(x -> out.add(x instanceof Number n ? n.doubleValue() : null));
        return Collections.unmodifiableList(out);
    }

    static List<String> strings(Object v) {
        if (!(v instanceof List<?> list)) {
            return null;
        }
        List<String> out = new ArrayList<>(list.size());
        list.forEach(x -> out.add(x == null ? null : String.valueOf(x)));
        return Collections.unmodifiableList(out);
    }
}
