package org.saeatlas.server.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stored edge between two features, as every edge read returns it (Cypher, Core API or a run's projection): the
 * properties the API names, typed, and {@code properties}, everything stored on it (an imported graph's link
 * attributes are open-ended). What an edge kind does not store is null: {@code weight} for match edges, which carry
 * a {@code score}.
 */
public record Edge(String run, Double weight, Double score, Long count, Double correlation, Double jaccard,
                   Long replicates, Long nullReplicates, Boolean stable, Double signConsistency, Double cosine,
                   Double standardisedWeight, String method, Long rank, String key, Map<String, Object> properties) {

    /** From a relationship's properties; an {@code outgoing} key (which end was asked) is not one of them. */
    static Edge of(Map<String, Object> stored) {
        Map<String, Object> p = stored;
        if (stored.containsKey("outgoing")) {
            p = new LinkedHashMap<>(stored);
            p.remove("outgoing");
        }
        return new Edge(Props.str(p, "run"), Props.dbl(p, "weight"), Props.dbl(p, "score"), Props.lng(p, "count"),
                Props.dbl(p, "correlation"), Props.dbl(p, "jaccard"), Props.lng(p, "replicates"),
                Props.lng(p, "nullReplicates"), Props.bool(p, "stable"), Props.dbl(p, "signConsistency"),
                Props.dbl(p, "cosine"), Props.dbl(p, "standardisedWeight"), Props.str(p, "method"),
                Props.lng(p, "rank"), Props.str(p, "key"), Collections.unmodifiableMap(p));
    }

    /** The edge's main strength: its weight, or a match edge's score. */
    public Double strength() {
        return weight != null ? weight : score;
    }
}
