package org.saeatlas.server.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.schema.Vocabulary;

/**
 * One neighbour request, as every read of edges takes it: the Cypher and Core API reads of {@link NeighbourReader}
 * (the run resolution, undirected and directed neighbours, the edges around features, a shortest path), and the
 * in-memory {@link RunProjection} through {@link EdgeReads}. Which edges: relationship
 * {@code relationship} of {@code run} if named, else of the newest complete run of one of {@code runKinds} on
 * {@code sae} (of {@code runMethod} when not null; with {@code sae} at {@code saeSide} of the run's SAEs when not
 * null). Which of them: at least {@code minReplicates}, stable only, of one {@code sign} (POSITIVE, NEGATIVE; null:
 * both), passing {@code attributes}; {@code direction}: UPSTREAM (edges pointing at the feature), DOWNSTREAM (from
 * it) or null (both). {@code everyEdge}: a row per edge (a multigraph's parallel edges stay distinct) rather than per
 * neighbour (its strongest edge). At most {@code limit} rows, strongest first.
 */
public record NeighbourQuery(String sae, String relationship, List<String> runKinds, String runMethod, String run,
                             Integer saeSide, String direction, Integer minReplicates, Boolean stableOnly, String sign,
                             List<AttributeFilter> attributes, boolean everyEdge, int limit) {

    public NeighbourQuery {
        runKinds = List.copyOf(runKinds);
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
    }

    /** Undirected neighbours, one row per neighbour, without attribute filters. */
    public static NeighbourQuery of(String sae, String relationship, List<String> runKinds, String runMethod,
                                    String run, Integer minReplicates, Boolean stableOnly, String sign, int limit) {
        return new NeighbourQuery(sae, relationship, runKinds, runMethod, run, null, null, minReplicates, stableOnly,
                sign, List.of(), false, limit);
    }

    /** Which run only: {@code run} if named, else the newest complete one of {@code runKinds} on {@code sae}. */
    public static NeighbourQuery runOf(String sae, List<String> runKinds, String runMethod, String run) {
        return new NeighbourQuery(sae, null, runKinds, runMethod, run, null, null, null, null, null, List.of(), false,
                0);
    }

    /**
     * The edges of a known run (a subgraph or a path drawn on it), every edge, both directions, with these filters;
     * no sign filter and no limit.
     */
    public static NeighbourQuery edgesOf(String relationship, String run, Integer minReplicates, Boolean stableOnly,
                                         List<AttributeFilter> attributes) {
        return new NeighbourQuery(null, relationship, List.of(), null, run, null, null, minReplicates, stableOnly,
                null, attributes, true, Integer.MAX_VALUE);
    }

    /** The same request on the run Neo4j resolved it to. */
    public NeighbourQuery onRun(String runId) {
        return new NeighbourQuery(sae, relationship, runKinds, runMethod, runId, saeSide, direction, minReplicates,
                stableOnly, sign, attributes, everyEdge, limit);
    }

    public boolean upstream() {
        return "UPSTREAM".equals(direction);
    }

    /** Cypher that binds {@code runId}, the run the edges come from (no row: none). */
    String runCypher() {
        return """
                CALL {
                  MATCH (r:Run {status: $complete})
                  WHERE r.kind IN $kinds AND ($method IS NULL OR r.method = $method)
                    AND (r.sae = $sae OR $sae IN coalesce(r.saes, [])) AND ($run IS NULL OR r.id = $run)
                    AND ($side IS NULL OR r.saes[$side] = $sae)
                  RETURN r.id AS runId ORDER BY r.completedAt DESC LIMIT 1
                }
                """;
    }

    /** The edge pattern from {@code f} to its neighbours {@code g} over {@code e}, in the asked direction. */
    String edgePattern() {
        String e = "-[e:" + relationship + " {run: runId}]-";
        return direction == null ? "(f)" + e + "(g:Feature)"
                : upstream() ? "(f)<" + e + "(g:Feature)" : "(f)" + e + ">(g:Feature)";
    }

    /** The filters on {@code e} as a Cypher condition. */
    String edgeFilter() {
        return """
                ($minReplicates IS NULL OR e.replicates >= $minReplicates)
                  AND (NOT coalesce($stableOnly, false) OR e.stable = true)
                  AND ($sign IS NULL OR ($sign = 'POSITIVE' AND coalesce(e.weight, e.score) > 0)
                       OR ($sign = 'NEGATIVE' AND coalesce(e.weight, e.score) < 0))
                  AND\s""" + AttributeFilter.cypher("e");
    }

    /** The parameters of {@link #runCypher()} and {@link #edgeFilter()}. */
    Map<String, Object> parameters() {
        Map<String, Object> p = new HashMap<>();
        p.put("sae", sae);
        p.put("kinds", runKinds);
        p.put("method", runMethod);
        p.put("complete", Vocabulary.STATUS_COMPLETE);
        p.put("run", run);
        p.put("side", saeSide);
        p.put("minReplicates", minReplicates);
        p.put("stableOnly", stableOnly);
        p.put("sign", sign);
        p.put("limit", limit);
        p.put("attrs", AttributeFilter.parameters(attributes));
        p.put("everyEdge", everyEdge);
        return p;
    }
}
