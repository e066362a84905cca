package org.saeatlas.server.store;

import java.util.Map;

/** One explanation of a feature: its text, where it came from and its score. */
public record Explanation(String id, String text, String source, Double score) {

    static Explanation of(Map<String, Object> x) {
        return x == null ? null : new Explanation(Props.str(x, "id"), Props.str(x, "text"), Props.str(x, "source"),
                Props.dbl(x, "score"));
    }
}
