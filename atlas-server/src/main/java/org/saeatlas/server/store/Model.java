package org.saeatlas.server.store;

import java.util.Map;

/** A model the atlas's SAEs read from. */
public record Model(String id, String name) {

    static Model of(Map<String, Object> m) {
        return m == null ? null : new Model(Props.str(m, "id"), Props.str(m, "name"));
    }
}
