package org.saeatlas.server.store;

import java.util.Map;

/**
 * A community or connected component of an analysis of one run's graph, with its statistics and type; {@code hub}
 * is the id of its hub feature (null: none).
 */
public record Community(String id, String analysis, String kind, String algorithm, String run, Long index, Long size,
                        Long edges, Double density, Long maxDegree, Double meanDegree, Double centralisation,
                        Double clustering, Long diameter, String type, String reason, Double meanCosine,
                        Boolean nearDuplicate, String hub) {

    static Community of(Map<String, Object> c) {
        if (c == null) {
            return null;
        }
        return new Community(Props.str(c, "id"), Props.str(c, "analysis"), Props.str(c, "kind"),
                Props.str(c, "algorithm"), Props.str(c, "run"), Props.lng(c, "index"), Props.lng(c, "size"),
                Props.lng(c, "edges"), Props.dbl(c, "density"), Props.lng(c, "maxDegree"), Props.dbl(c, "meanDegree"),
                Props.dbl(c, "centralisation"), Props.dbl(c, "clustering"), Props.lng(c, "diameter"),
                Props.str(c, "type"), Props.str(c, "reason"), Props.dbl(c, "meanCosine"),
                Props.bool(c, "nearDuplicate"), Props.str(c, "hub"));
    }
}
