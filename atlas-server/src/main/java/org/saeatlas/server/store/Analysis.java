package org.saeatlas.server.store;

import java.util.Map;

/** Components and communities of one run's graph, with the parameters that produced them. */
public record Analysis(String id, String run, String algorithm, Long seed, Double modularity, Long communityCount,
                       Long componentCount, String parameters) {

    static Analysis of(Map<String, Object> a) {
        return new Analysis(Props.str(a, "id"), Props.str(a, "run"), Props.str(a, "algorithm"), Props.lng(a, "seed"),
                Props.dbl(a, "modularity"), Props.lng(a, "communityCount"), Props.lng(a, "componentCount"),
                Props.str(a, "parameters"));
    }
}
