package org.saeatlas.ingest.analytics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.CypherException;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.CypherRow;

/**
 * Connected components (GDS WCC) and communities (GDS Leiden or Louvain) of a run's graph, computed inside Neo4j on
 * a Cypher projection of the run's edges (the stable ones of a dependence run), undirected, weighted by |weight|.
 * Only features with at least one edge are projected; the others get label -1. Labels are renumbered by size,
 * largest first, ties by smallest feature index, so they depend only on the partition. GDS runs with concurrency 1:
 * with Leiden's seed, the same input gives the same communities.
 */
final class GdsCommunities {

    /**
     * @param components   component of each feature (-1: no edge)
     * @param communities  community of each feature (-1: no edge)
     * @param modularity   of the communities, as GDS reports it
     * @param levels       aggregation levels GDS ran
     * @param converged    whether the algorithm converged (Louvain/Leiden report it per level)
     */
    record Result(int[] components, int[] communities, double modularity, int levels, boolean converged,
                  long projectedNodes, long projectedRelationships, double projectionSeconds, double wccSeconds,
                  double communitySeconds) { }

    private GdsCommunities() {
    }

    static Result run(CypherExecutor db, WeightedRunGraph.Info run, int width, AnalysisParameters p, Progress progress) {
        GdsProcedures.require(db);
        String name = "atlas-" + run.run() + "-" + Long.toHexString(System.nanoTime());
        long t0 = System.nanoTime();
        progress.update("GDS projection", 0, 1);
        CypherRow projected = gds(db, "MATCH " + WeightedRunGraph.edgePattern(run.relationship()) + """

                WITH gds.graph.project($name, a, b,
                    {relationshipProperties: {weight: abs(coalesce(toFloat(e.weight), 1.0))}},
                    {undirectedRelationshipTypes: ['*']}) AS g
                RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships""",
                Map.of("name", name, "run", run.run(), "all", !run.kind().equals("dependence"))).get(0);
        progress.update("GDS projection", 1, 1);
        long t1 = System.nanoTime();
        try {
            int[] components = labels(gds(db, """
                    CALL gds.wcc.stream($name, {concurrency: 1}) YIELD nodeId, componentId
                    RETURN gds.util.asNode(nodeId).index AS index, componentId AS label""", Map.of("name", name)),
                    width);
            progress.update("GDS components", 1, 1);
            long t2 = System.nanoTime();
            CypherRow stats = gds(db, mutate(p), Map.of("name", name, "config", config(p))).get(0);
            int[] communities = labels(gds(db, """
                    CALL gds.graph.nodeProperty.stream($name, 'community') YIELD nodeId, propertyValue
                    RETURN gds.util.asNode(nodeId).index AS index, propertyValue AS label""", Map.of("name", name)),
                    width);
            progress.update("GDS " + p.algorithm().gdsName(), 1, 1);
            long t3 = System.nanoTime();
            return new Result(components, communities, stats.asDouble("modularity"),
                    stats.asInt("ranLevels"), stats.bool("converged", true),
                    projected.asLong("nodes"), projected.asLong("relationships"), (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        } finally {
            gds(db, "CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName", Map.of("name", name));
        }
    }

    private static String mutate(AnalysisParameters p) {
        String converged = p.algorithm() == CommunityAlgorithm.LEIDEN ? "didConverge" : "true";
        return "CALL gds." + p.algorithm().gdsName() + ".mutate($name, $config)"
                + " YIELD modularity, ranLevels" + (p.algorithm() == CommunityAlgorithm.LEIDEN ? ", didConverge" : "")
                + " RETURN modularity, ranLevels, " + converged + " AS converged";
    }

    private static Map<String, Object> config(AnalysisParameters p) {
        Map<String, Object> c = new HashMap<>();
        c.put("mutateProperty", "community");
        c.put("relationshipWeightProperty", "weight");
        c.put("concurrency", 1);
        c.put("tolerance", p.tolerance());
        c.put("maxLevels", p.maxLevels());
        if (p.algorithm() == CommunityAlgorithm.LEIDEN) {
            c.put("gamma", p.gamma());
            c.put("randomSeed", p.seed());
            c.put("theta", p.theta());
        }
        return c;
    }

    private static List<CypherRow> gds(CypherExecutor db, String cypher, Map<String, Object> params) {
        try {
            return CypherRow.of(db.auto(cypher, params));
        } catch (CypherException e) {
            if (e.kind() == CypherException.Kind.UNAVAILABLE) {
                throw e;
            }
            throw new AtlasException("Graph Data Science failed: " + e.getMessage(), e);
        }
    }

    /** GDS labels (arbitrary longs) by feature index, renumbered 0.. by size (largest first), ties by first member. */
    static int[] labels(List<CypherRow> rows, int width) {
        long[] raw = new long[width];
        boolean[] has = new boolean[width];
        for (CypherRow r : rows) {
            int i = r.asInt("index");
            if (i < 0 || i >= width) {
                throw new AtlasException("GDS returned feature index " + i + ", outside the SAE's width " + width);
            }
            raw[i] = r.asLong("label");
            has[i] = true;
        }
        return renumber(raw, has);
    }

    static int[] renumber(long[] raw, boolean[] has) {
        Map<Long, Integer> first = new HashMap<>();
        Map<Long, Integer> size = new HashMap<>();
        for (int i = 0; i < raw.length; i++) {
            if (has[i]) {
                first.putIfAbsent(raw[i], i);
                size.merge(raw[i], 1, Integer::sum);
            }
        }
        Long[] order = first.keySet().toArray(new Long[0]);
        Arrays.sort(order, (x, y) -> size.get(x).equals(size.get(y)) ? Integer.compare(first.get(x), first.get(y))
                : Integer.compare(size.get(y), size.get(x)));
        Map<Long, Integer> rank = new HashMap<>();
        for (int r = 0; r < order.length; r++) {
            rank.put(order[r], r);
        }
        int[] out = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = has[i] ? rank.get(raw[i]) : -1;
        }
        return out;
    }
}
