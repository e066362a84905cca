package org.saeatlas.server.store;

import static org.saeatlas.server.store.ReadStatements.params;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.schema.Vocabulary;

/**
 * What connection runs say about features: a feature's formula ({@code computedFrom}) and linearity, the
 * linear-share table, and paths that follow stable connections across layers.
 */
public final class ConnectionReader {

    /** How well a downstream feature is computed linearly in one connection run. */
    public record Linearity(String run, String upstream, Double linearR2, Double nonlinearR2, Double lossDifference,
                            Boolean linear, Double threshold, Long inputs, Long terms) {
        static Linearity of(Map<String, Object> l) {
            return new Linearity(Props.str(l, "run"), Props.str(l, "upstream"), Props.dbl(l, "linearR2"),
                    Props.dbl(l, "nonlinearR2"), Props.dbl(l, "lossDifference"), Props.bool(l, "linear"),
                    Props.dbl(l, "threshold"), Props.lng(l, "inputs"), Props.lng(l, "terms"));
        }
    }

    /** One term of a formula: an upstream feature, its best explanation, and its connection's figures. */
    public record Term(Feature feature, String explanation, Double weight, Double standardisedWeight, Long replicates,
                       Long nullReplicates, Double signConsistency, Boolean stable) {
        static Term of(Feature f, Edge e) {
            return new Term(f, f.explanation(), e.weight(), e.standardisedWeight(), e.replicates(),
                    e.nullReplicates(), e.signConsistency(), e.stable());
        }
    }

    /** A feature as a signed sum of upstream features in one connection run, strongest first, and its linearity. */
    public record Formula(String run, String text, List<Term> terms, Linearity linearity) { }

    /** One connection run's row of the linear-share table ({@code evaluated} and {@code linear} 0 when unset). */
    public record LinearShare(String run, Sae upstream, Sae downstream, long evaluated, long linear, Double share,
                              Double threshold, Long stableConnections) { }

    /** A path along connections: the feature ids in order and each step's edge from {@code a} to {@code b}. */
    public record Path(List<String> ids, List<Step> steps) { }

    /** A connection from {@code a} (upstream) to {@code b}. */
    public record Step(String a, String b, Edge edge) { }

    private final ReadStatements db;
    private final NeighbourReader neighbours;

    public ConnectionReader(ReadStatements db, NeighbourReader neighbours) {
        this.db = db;
        this.neighbours = neighbours;
    }

    /**
     * The formula of a feature in a connection run where its SAE is downstream (the given run, or the newest): its
     * upstream neighbours over connections (stable ones only when {@code stableOnly}), strongest first. Null when
     * there is no such run; an error when the given run is not one.
     */
    public Formula computedFrom(String featureId, String sae, String run, boolean stableOnly) {
        NeighbourQuery q = new NeighbourQuery(sae, Vocabulary.CONNECTS, List.of(Vocabulary.KIND_CONNECTION), null, run,
                1, "UPSTREAM", null, stableOnly, null, List.of(), true, Integer.MAX_VALUE);
        RunRef ref = neighbours.resolveRun(q);
        if (ref == null) {
            if (run != null) {
                throw new AtlasException("run '" + run + "' is not a complete connection run with SAE " + sae
                        + " downstream");
            }
            return null;
        }
        List<Term> terms = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Neighbour n : neighbours.directedNeighbours(featureId, q.onRun(ref.id()))) {
            Term t = Term.of(n.feature(), n.edge());
            double w = t.weight();
            text.append(text.length() == 0 ? (w < 0 ? "-" : "") : (w < 0 ? " - " : " + "))
                    .append(number(Math.abs(w))).append(' ').append(t.feature().id());
            terms.add(t);
        }
        List<Linearity> lin = linearity(featureId, ref.id());
        return new Formula(ref.id(), text.length() == 0 ? "0" : text.toString(), List.copyOf(terms),
                lin.isEmpty() ? null : lin.get(0));
    }

    /** Two decimals as published (0.26), more where two would print 0.00. */
    static String number(double w) {
        return w >= 0.005 ? String.format(Locale.ROOT, "%.2f", w) : String.format(Locale.ROOT, "%.2g", w);
    }

    /** One entry per complete connection run with the feature downstream (or only {@code run}), newest first. */
    public List<Linearity> linearity(String featureId, String run) {
        return db.column("""
                MATCH (f:Feature {id: $id})-[l:LINEARITY]->(r:Run {status: $complete})
                WHERE $run IS NULL OR r.id = $run
                RETURN l {.*, upstream: r.saes[0], threshold: r.linearThreshold} AS l
                ORDER BY r.completedAt DESC, r.id""", params("id", featureId, "complete", Vocabulary.STATUS_COMPLETE,
                "run", run), "l").stream().map(Linearity::of).toList();
    }

    /** Every complete connection run's row (of one model unless null), by the layers of its SAEs. */
    @SuppressWarnings("unchecked")
    public List<LinearShare> linearShares(String model) {
        return db.column("""
                MATCH (r:Run {status: $complete, kind: $kind})
                MATCH (a:Sae {id: r.saes[0]}), (b:Sae {id: r.saes[1]})
                WHERE $model IS NULL OR a.model = $model OR b.model = $model
                RETURN {run: r.id, upstream: a {.*}, downstream: b {.*}, evaluated: coalesce(r.linearEvaluated, 0),
                        linear: coalesce(r.linearFeatures, 0), share: r.linearShare, threshold: r.linearThreshold,
                        stableConnections: r.stableConnections} AS row
                ORDER BY a.layer, b.layer, a.id, b.id, r.completedAt DESC""", params("complete",
                Vocabulary.STATUS_COMPLETE, "kind", Vocabulary.KIND_CONNECTION, "model", model), "row").stream()
                .map(r -> new LinearShare(Props.str(r, "run"), Sae.of((Map<String, Object>) r.get("upstream")),
                        Sae.of((Map<String, Object>) r.get("downstream")), Props.lng(r, "evaluated"),
                        Props.lng(r, "linear"), Props.dbl(r, "share"), Props.dbl(r, "threshold"),
                        Props.lng(r, "stableConnections"))).toList();
    }

    /**
     * The shortest chain of stable connections of complete connection runs from one feature down to the other (or
     * up, when {@code to} is upstream of {@code from}), at most {@code maxHops} long; null when there is none.
     */
    @SuppressWarnings("unchecked")
    public Path path(String from, String to, int maxHops) {
        String cypher = """
                MATCH (r:Run {status: $complete, kind: $kind})
                WITH collect(r.id) AS runs
                MATCH (a:Feature {id: $a}), (b:Feature {id: $b})
                MATCH p = shortestPath((a)-[:CONNECTS*1..%d]->(b))
                WHERE all(e IN relationships(p) WHERE e.run IN runs AND e.stable = true)
                RETURN [n IN nodes(p) | n.id] AS ids,
                       [e IN relationships(p) | {a: startNode(e).id, b: endNode(e).id, edge: e {.*}}] AS edges
                LIMIT 1""".formatted(maxHops);
        for (String[] ends : List.of(new String[] {from, to}, new String[] {to, from})) {
            List<Map<String, Object>> rows = db.query(cypher, params("complete", Vocabulary.STATUS_COMPLETE,
                    "kind", Vocabulary.KIND_CONNECTION, "a", ends[0], "b", ends[1]));
            if (!rows.isEmpty()) {
                List<Step> steps = new ArrayList<>();
                for (Map<String, Object> e : (List<Map<String, Object>>) rows.get(0).get("edges")) {
                    steps.add(new Step((String) e.get("a"), (String) e.get("b"),
                            Edge.of((Map<String, Object>) e.get("edge"))));
                }
                return new Path((List<String>) rows.get(0).get("ids"), List.copyOf(steps));
            }
        }
        return null;
    }
}
