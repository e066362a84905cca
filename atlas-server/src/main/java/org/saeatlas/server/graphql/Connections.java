package org.saeatlas.server.graphql;

import graphql.schema.DataFetchingEnvironment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.schema.Vocabulary;
import org.saeatlas.server.store.AtlasReader;
import org.saeatlas.server.store.AttributeFilter;

/**
 * The connection reads of the API: directed neighbours (UPSTREAM / DOWNSTREAM, for connection runs and imported
 * directed graphs alike), a feature's formula ({@code computedFrom}) and linearity, paths that follow connections
 * across layers, and the linear-share table. Everything is one Cypher read through {@link AtlasReader}.
 */
final class Connections {

    private final AtlasReader reader;

    Connections(AtlasReader reader) {
        this.reader = reader;
    }

    /**
     * {@code neighbours(direction: ...)}: the run as for undirected neighbours (a connection run: the newest with the
     * feature's SAE on the other side of the asked direction), only the edges pointing at (UPSTREAM) or from
     * (DOWNSTREAM) the feature.
     */
    List<Map<String, Object>> neighbours(Map<String, Object> feature, String kind, String direction, String run,
                                         Integer minReplicates, Boolean stableOnly, String sign, String matchedBy,
                                         List<AttributeFilter> attributes, int first) {
        AtlasLoaders.NeighbourKey key = new AtlasLoaders.NeighbourKey((String) feature.get("id"),
                (String) feature.get("sae"), kind, run, minReplicates, stableOnly, sign, matchedBy, first, attributes);
        List<Map<String, Object>> rows = reader.directedNeighbours((String) feature.get("id"), key.query(direction));
        Map<Object, Boolean> directed = new HashMap<>();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> n = new HashMap<>((Map<String, Object>) row.get("edge"));
            n.put("feature", row.get("feature"));
            n.put("kind", kind);
            n.put("directed", "CONNECTION".equals(kind) || directed.computeIfAbsent(n.get("run"), r -> {
                Map<String, Object> node = reader.run(String.valueOf(r));
                return node != null && Boolean.TRUE.equals(node.get("directed"));
            }));
            if (n.get("weight") == null) {
                n.put("weight", n.get("score"));
            }
            out.add(n);
        }
        return out;
    }

    /** {@code Feature.computedFrom}: the formula of the feature in a connection run where it is downstream. */
    Map<String, Object> computedFrom(DataFetchingEnvironment env) {
        @SuppressWarnings("unchecked")
        Map<String, Object> feature = (Map<String, Object>) env.getSource();
        String run = env.getArgument("run");
        boolean stableOnly = !Boolean.FALSE.equals(env.getArgument("stableOnly"));
        List<Map<String, Object>> runs = reader.query("""
                MATCH (r:Run {status: $complete, kind: $kind})
                WHERE r.saes[1] = $sae AND ($run IS NULL OR r.id = $run)
                RETURN r.id AS id ORDER BY r.completedAt DESC LIMIT 1""", params("complete",
                Vocabulary.STATUS_COMPLETE, "kind", Vocabulary.KIND_CONNECTION, "sae", feature.get("sae"), "run", run));
        if (runs.isEmpty()) {
            if (run != null) {
                throw new AtlasException("run '" + run + "' is not a complete connection run with SAE "
                        + feature.get("sae") + " downstream");
            }
            return null;
        }
        String runId = (String) runs.get(0).get("id");
        List<Map<String, Object>> rows = reader.query("""
                MATCH (g:Feature)-[e:CONNECTS {run: $run}]->(f:Feature {id: $id})
                WHERE NOT $stableOnly OR e.stable = true
                RETURN g {.*} AS feature, e {.*} AS edge ORDER BY abs(e.weight) DESC, g.id""",
                params("run", runId, "id", feature.get("id"), "stableOnly", stableOnly));
        List<Map<String, Object>> terms = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> row : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) row.get("edge");
            @SuppressWarnings("unchecked")
            Map<String, Object> g = (Map<String, Object>) row.get("feature");
            double w = ((Number) e.get("weight")).doubleValue();
            text.append(text.length() == 0 ? (w < 0 ? "-" : "") : (w < 0 ? " - " : " + "))
                    .append(number(Math.abs(w))).append(' ').append(g.get("id"));
            Map<String, Object> t = new HashMap<>(e);
            t.put("feature", g);
            t.put("explanation", g.get("explanation"));
            terms.add(t);
        }
        Map<String, Object> out = new HashMap<>();
        out.put("run", runId);
        out.put("text", text.length() == 0 ? "0" : text.toString());
        out.put("terms", terms);
        List<Map<String, Object>> lin = linearity((String) feature.get("id"), runId);
        out.put("linearity", lin.isEmpty() ? null : lin.get(0));
        return out;
    }

    /** Two decimals as published (0.26), more where two would print 0.00. */
    static String number(double w) {
        return w >= 0.005 ? String.format(Locale.ROOT, "%.2f", w) : String.format(Locale.ROOT, "%.2g", w);
    }

    /** {@code Feature.linearity}: one entry per complete connection run with the feature downstream, newest first. */
    List<Map<String, Object>> linearity(String featureId, String run) {
        return reader.query("""
                MATCH (f:Feature {id: $id})-[l:LINEARITY]->(r:Run {status: $complete})
                WHERE $run IS NULL OR r.id = $run
                RETURN l {.*, upstream: r.saes[0], threshold: r.linearThreshold} AS l
                ORDER BY r.completedAt DESC, r.id""", params("id", featureId, "complete", Vocabulary.STATUS_COMPLETE,
                "run", run)).stream().map(r -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> l = (Map<String, Object>) r.get("l");
                    return l;
                }).toList();
    }

    /** {@code Query.linearShares}: every complete connection run's row, by layers. */
    List<Map<String, Object>> linearShares(String model) {
        return reader.query("""
                MATCH (r:Run {status: $complete, kind: $kind})
                MATCH (a:Sae {id: r.saes[0]}), (b:Sae {id: r.saes[1]})
                WHERE $model IS NULL OR a.model = $model OR b.model = $model
                RETURN {run: r.id, upstream: a {.*}, downstream: b {.*}, evaluated: coalesce(r.linearEvaluated, 0),
                        linear: coalesce(r.linearFeatures, 0), share: r.linearShare, threshold: r.linearThreshold,
                        stableConnections: r.stableConnections} AS row
                ORDER BY a.layer, b.layer, a.id, b.id, r.completedAt DESC""", params("complete",
                Vocabulary.STATUS_COMPLETE, "kind", Vocabulary.KIND_CONNECTION, "model", model)).stream().map(r -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> row = (Map<String, Object>) r.get("row");
                    return row;
                }).toList();
    }

    /**
     * {@code path(kind: CONNECTION)} without a run: the shortest chain of stable connections of complete connection
     * runs from one feature down to the other (or up, when {@code to} is upstream of {@code from}).
     */
    Map<String, Object> path(String from, String to, int maxHops) {
        String cypher = """
                MATCH (r:Run {status: $complete, kind: $kind})
                WITH collect(r.id) AS runs
                MATCH (a:Feature {id: $a}), (b:Feature {id: $b})
                MATCH p = shortestPath((a)-[:CONNECTS*1..%d]->(b))
                WHERE all(e IN relationships(p) WHERE e.run IN runs AND e.stable = true)
                RETURN [n IN nodes(p) | n.id] AS ids,
                       [e IN relationships(p) | e {.*, a: startNode(e).id, b: endNode(e).id}] AS edges
                LIMIT 1""".formatted(maxHops);
        for (String[] ends : List.of(new String[] {from, to}, new String[] {to, from})) {
            List<Map<String, Object>> rows = reader.query(cypher, params("complete", Vocabulary.STATUS_COMPLETE,
                    "kind", Vocabulary.KIND_CONNECTION, "a", ends[0], "b", ends[1]));
            if (!rows.isEmpty()) {
                return rows.get(0);
            }
        }
        return null;
    }

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            m.put((String) kv[k], kv[k + 1]);
        }
        return m;
    }
}
