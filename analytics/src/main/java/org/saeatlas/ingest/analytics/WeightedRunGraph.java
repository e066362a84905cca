package org.saeatlas.ingest.analytics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.errors.StateException;
import org.saeatlas.compute.IntList;
import org.saeatlas.compute.graphs.WeightedGraph;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.CypherRow;
import org.saeatlas.schema.Vocabulary;

/**
 * The graph of one complete run, read from Neo4j: nodes are the SAE's features {@code 0 .. width-1} (isolated ones
 * included, as degree 0), edges the run's relationships ({@code DEPENDS} only where {@code stable = true}) with
 * weight {@code |weight|} (a negative correlation or coefficient is still a dependence), and the decoder cosine of
 * each edge where known: the edge's own {@code cosine}, else the pair's cosine in the SAE's newest complete
 * decoder-cosine run.
 *
 * @param run          the run's id
 * @param kind         run kind (coactivation, dependence, cosine)
 * @param sae          the SAE whose features are the nodes
 * @param relationship the relationship type of the run's edges
 * @param graph        the graph over the SAE's features
 * @param cosine       decoder cosine by edge key {@link #key(int, int)}, for the edges where it is known
 */
public record WeightedRunGraph(String run, String kind, String sae, String relationship, WeightedGraph graph,
                       Map<Long, Double> cosine) {

    /** Cypher filter of the analysed edges of a run: all of them, or the stable ones of a dependence run. */
    static String edgePattern(String relationship) {
        return "(a:Feature)-[e:" + relationship + " {run: $run}]->(b:Feature) WHERE ($all OR e.stable = true)";
    }

    static long key(int i, int j) {
        return (long) Math.min(i, j) << 32 | Math.max(i, j);
    }

    /** The relationship type of a run kind that has a graph to analyse. */
    static String relationshipOf(String kind, String run) {
        return switch (kind) {
            case Vocabulary.KIND_COACTIVATION -> Vocabulary.COACTIVATES;
            case Vocabulary.KIND_DEPENDENCE -> Vocabulary.DEPENDS;
            case Vocabulary.KIND_COSINE -> Vocabulary.COSINE;
            default -> throw new AtlasException("run " + run + " is a '" + kind + "' run, which has no graph over one"
                    + " SAE's features; expected a coactivation, dependence or cosine run");
        };
    }

    /** Whether all edges are analysed (not only the stable ones). */
    boolean allEdges() {
        return !Vocabulary.KIND_DEPENDENCE.equals(kind);
    }

    /** The run's identity: kind, SAE and width; fails clearly when the run is missing or still loading. */
    record Info(String run, String kind, String sae, int width, String relationship) { }

    static Info info(CypherExecutor db, String run) {
        List<CypherRow> rows = CypherRow.of(db.read("""
                MATCH (r:Run {id: $id})
                OPTIONAL MATCH (s:Sae {id: r.sae})
                RETURN r.kind AS kind, r.sae AS sae, r.status AS status, s.width AS width""", Map.of("id", run)));
        if (rows.isEmpty()) {
            throw new AtlasException("no run " + run + " in the database; './atlas runs list' shows the stored runs");
        }
        CypherRow r = rows.get(0);
        if (!Vocabulary.STATUS_COMPLETE.equals(r.string("status"))) {
            throw new StateException("run " + run + " is still '" + r.string("status")
                    + "': its edges are not all loaded; re-run the ingest that loads it");
        }
        String kind = r.string("kind");
        if (r.isNull("width")) {
            throw new AtlasException("run " + run + ": its SAE " + r.string("sae") + " has no width");
        }
        return new Info(run, kind, r.string("sae"), r.asInt("width"), relationshipOf(kind, run));
    }

    /** Reads a complete run's graph. Cost O(edges), streamed. */
    public static WeightedRunGraph read(CypherExecutor db, String run) {
        Info info = info(db, run);
        boolean all = !Vocabulary.KIND_DEPENDENCE.equals(info.kind());
        IntList u = new IntList(1024);
        IntList v = new IntList(1024);
        DoubleList w = new DoubleList();
        Map<Long, Double> cosine = new HashMap<>();
        db.readEach("MATCH " + edgePattern(info.relationship())
                + " RETURN a.index AS a, b.index AS b, e.weight AS w, e.cosine AS c", Map.of("run", run, "all", all),
                row -> {
                    CypherRow rec = new CypherRow(row);
                    int a = rec.asInt("a");
                    int b = rec.asInt("b");
                    if (a == b) {
                        return;
                    }
                    u.add(a);
                    v.add(b);
                    w.add(rec.isNull("w") ? 1.0 : Math.abs(rec.asDouble("w")));
                    if (!rec.isNull("c")) {
                        cosine.put(key(a, b), rec.asDouble("c"));
                    }
                });
        if (cosine.isEmpty() && !Vocabulary.KIND_COSINE.equals(info.kind())) {
            fillFromCosineRun(db, info.sae(), u, v, cosine);
        }
        WeightedGraph g = WeightedGraph.fromEdges(info.width(), u.toArray(), v.toArray(), w.toArray());
        return new WeightedRunGraph(run, info.kind(), info.sae(), info.relationship(), g, cosine);
    }

    /** Edge cosines from the SAE's newest complete decoder-cosine run, for the pairs it holds. */
    private static void fillFromCosineRun(CypherExecutor db, String sae, IntList u, IntList v,
                                          Map<Long, Double> cosine) {
        List<Map<String, Object>> runs = db.read("""
                MATCH (r:Run {sae: $sae, kind: $kind, status: $complete})
                RETURN r.id AS id ORDER BY r.completedAt DESC, r.id LIMIT 1""",
                Map.of("sae", sae, "kind", Vocabulary.KIND_COSINE, "complete", Vocabulary.STATUS_COMPLETE));
        if (runs.isEmpty() || u.size() == 0) {
            return;
        }
        java.util.Set<Long> wanted = new java.util.HashSet<>();
        for (int e = 0; e < u.size(); e++) {
            wanted.add(key(u.get(e), v.get(e)));
        }
        db.readEach("MATCH (a:Feature)-[e:COSINE {run: $run}]->(b:Feature)"
                + " RETURN a.index AS a, b.index AS b, e.cosine AS c", Map.of("run", runs.get(0).get("id")), row -> {
                    CypherRow rec = new CypherRow(row);
                    long k = key(rec.asInt("a"), rec.asInt("b"));
                    if (wanted.contains(k) && !rec.isNull("c")) {
                        cosine.put(k, rec.asDouble("c"));
                    }
                });
    }

    /** Growable double array. */
    static final class DoubleList {
        private double[] a = new double[1024];
        private int n;

        void add(double x) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = x;
        }

        double[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
