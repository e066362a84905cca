package org.saeatlas.ingest.store;

import static org.saeatlas.schema.Vocabulary.featureId;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.Values;
import org.saeatlas.compute.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.schema.Vocabulary;

/**
 * Writes the atlas into Neo4j with batched, parameterised UNWIND statements. Nodes are MERGEd on their unique ids,
 * so re-loading the same data changes nothing. A run becomes visible to queries only when all its edges are in
 * ({@code status = 'complete'}); a run left {@code loading} by a crash is cleared and re-loaded by the next ingest.
 */
public final class AtlasWriter {

    static final int BATCH = 10_000;

    private final Driver driver;
    private final Progress progress;

    public AtlasWriter(Driver driver, Progress progress) {
        this.driver = driver;
        this.progress = progress;
    }

    public void model(Rows.ModelRow m) {
        write("MERGE (m:Model {id: $id}) SET m.name = $name", Map.of("id", m.id(), "name", m.name()));
    }

    public void sae(Rows.SaeRow s) {
        Map<String, Object> props = new HashMap<>();
        props.put("release", s.release());
        props.put("layer", s.layer());
        props.put("hookPoint", s.hookPoint());
        props.put("width", s.width());
        props.put("seed", s.seed());
        props.put("architecture", s.architecture());
        props.put("dIn", s.dIn());
        props.put("model", s.model());
        props.put("l0", s.l0());
        props.put("fvu", s.fvu());
        props.put("errorNorm", s.errorNorm());
        write("""
                MATCH (m:Model {id: $model})
                MERGE (s:Sae {id: $id}) SET s += $props
                MERGE (s)-[:OF_MODEL]->(m)""", Map.of("id", s.id(), "model", s.model(), "props", props));
    }

    public void features(String sae, List<Rows.FeatureRow> rows) {
        batched("features " + sae, rows, """
                MATCH (s:Sae {id: $sae})
                UNWIND $rows AS row
                MERGE (f:Feature {id: row.id})
                SET f.sae = $sae, f.index = row.index, f.firingRate = row.firingRate,
                    f.meanActivation = row.meanActivation, f.maxActivation = row.maxActivation
                MERGE (f)-[:IN_SAE]->(s)""", sae, r -> {
            Map<String, Object> m = new HashMap<>();
            m.put("id", featureId(sae, r.index()));
            m.put("index", r.index());
            m.put("firingRate", r.firingRate());
            m.put("meanActivation", r.meanActivation());
            m.put("maxActivation", r.maxActivation());
            return m;
        });
    }

    /** Explanations of one SAE; the first explanation of a feature becomes its headline {@code explanation}. */
    public void explanations(String sae, List<Rows.ExplanationRow> rows) {
        Map<Integer, Integer> ordinal = new HashMap<>();
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Rows.ExplanationRow r : rows) {
            if (r.text() == null || r.text().isBlank()) {
                throw new AtlasException("explanation of feature " + r.index() + " in SAE " + sae
                        + ": expected non-empty text, found " + (r.text() == null ? "null" : "blank text"));
            }
            int k = ordinal.merge(r.index(), 1, Integer::sum) - 1;
            Map<String, Object> m = new HashMap<>();
            m.put("feature", featureId(sae, r.index()));
            m.put("id", featureId(sae, r.index()) + "#explanation-" + k);
            m.put("headline", k == 0);
            m.put("text", r.text());
            m.put("source", r.source());
            m.put("score", r.score());
            maps.add(m);
        }
        batched("explanations " + sae, maps, """
                MATCH (s:Sae {id: $sae})
                UNWIND $rows AS row
                MATCH (f:Feature {id: row.feature})
                MERGE (x:Explanation {id: row.id})
                SET x.text = row.text, x.source = row.source, x.score = row.score,
                    x.sae = $sae, x.model = s.model, x.layer = s.layer
                MERGE (x)-[:EXPLAINS]->(f)
                FOREACH (_ IN CASE WHEN row.headline THEN [1] ELSE [] END | SET f.explanation = row.text)""",
                sae, Function.identity());
    }

    public void examples(String sae, List<Rows.ExampleRow> rows) {
        batched("examples " + sae, rows, """
                UNWIND $rows AS row
                MATCH (f:Feature {id: row.feature})
                MERGE (x:Example {id: row.id})
                SET x.tokens = row.tokens, x.values = row.values, x.maxValue = row.maxValue, x.rank = row.rank
                MERGE (x)-[:EXAMPLE_OF]->(f)""", sae, r -> {
            Map<String, Object> m = new HashMap<>();
            List<Double> values = new ArrayList<>(r.values().length);
            double max = 0;
            for (float v : r.values()) {
                values.add((double) v);
                max = Math.max(max, v);
            }
            m.put("feature", featureId(sae, r.index()));
            m.put("id", featureId(sae, r.index()) + "#example-" + r.rank());
            m.put("tokens", r.tokens());
            m.put("values", values);
            m.put("maxValue", max);
            m.put("rank", r.rank());
            return m;
        });
    }

    /**
     * Loads a run and its edges as relationships of type {@code relationship}. Returns false (and writes nothing)
     * when a complete run with this id is already stored.
     */
    public boolean run(Rows.RunRow run, String relationship, List<Rows.EdgeRow> edges) {
        checkRelationship(relationship);
        String status;
        try (Session session = driver.session()) {
            status = session.executeWrite(tx -> tx.run("""
                    MATCH (s:Sae {id: $sae})
                    MERGE (r:Run {id: $id})
                    ON CREATE SET r += $props, r.kind = $kind, r.sae = $sae, r.status = $loading,
                                  r.createdAt = toString(datetime())
                    MERGE (r)-[:ON_SAE]->(s)
                    RETURN r.status AS status""", Map.of("id", run.id(), "sae", run.sae(), "kind", run.kind(),
                    "props", run.properties(), "loading", Vocabulary.STATUS_LOADING))
                    .list(r -> r.get("status").asString()).stream().findFirst()
                    .orElseThrow(() -> new AtlasException("run " + run.id() + ": SAE " + run.sae()
                            + " is not in the database; load the SAE before its runs")));
        }
        if (Vocabulary.STATUS_COMPLETE.equals(status)) {
            return false;
        }
        deleteEdges(run.id(), relationship); // leftovers of an interrupted load of this run
        String sae = run.sae();
        batched("edges " + run.kind(), edges, """
                UNWIND $rows AS row
                MATCH (a:Feature {id: row.a}), (b:Feature {id: row.b})
                CREATE (a)-[e:%s]->(b)
                SET e = row.props, e.run = $run""".formatted(relationship), Map.of("run", run.id()), e -> {
            Map<String, Object> m = new HashMap<>();
            m.put("a", featureId(sae, e.i()));
            m.put("b", featureId(sae, e.j()));
            m.put("props", e.properties());
            return m;
        });
        write("MATCH (r:Run {id: $id}) SET r.status = $complete, r.edgeCount = $n, r.completedAt = toString(datetime())",
                Map.of("id", run.id(), "complete", Vocabulary.STATUS_COMPLETE, "n", edges.size()));
        return true;
    }

    /** Deletes a run and its edges, in batches (safe on large runs). */
    public void deleteRun(String runId, String relationship) {
        checkRelationship(relationship);
        write("MATCH (r:Run {id: $id}) SET r.status = $loading", Map.of("id", runId, "loading", Vocabulary.STATUS_LOADING));
        deleteEdges(runId, relationship);
        write("MATCH (r:Run {id: $id}) DETACH DELETE r", Map.of("id", runId));
    }

    private void deleteEdges(String runId, String relationship) {
        try (Session session = driver.session()) {
            session.run("""
                    MATCH ()-[e:%s {run: $run}]->()
                    CALL { WITH e DELETE e } IN TRANSACTIONS OF 10000 ROWS""".formatted(relationship),
                    Map.of("run", runId)).consume();
        }
    }

    private static void checkRelationship(String relationship) {
        if (!List.of(Vocabulary.COACTIVATES, Vocabulary.DEPENDS, Vocabulary.COSINE, Vocabulary.MATCHES)
                .contains(relationship)) {
            throw new AtlasException("unknown edge relationship " + relationship);
        }
    }

    private void write(String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            session.executeWrite(tx -> tx.run(cypher, params).consume());
        }
    }

    private <T> void batched(String stage, List<T> rows, String cypher, String sae, Function<T, Map<String, Object>> toMap) {
        batched(stage, rows, cypher, Map.of("sae", sae), toMap);
    }

    private <T> void batched(String stage, List<T> rows, String cypher, Map<String, Object> extra,
                             Function<T, Map<String, Object>> toMap) {
        progress.update(stage, 0, rows.size());
        try (Session session = driver.session()) {
            for (int from = 0; from < rows.size(); from += BATCH) {
                List<Map<String, Object>> batch = new ArrayList<>();
                for (T row : rows.subList(from, Math.min(rows.size(), from + BATCH))) {
                    batch.add(toMap.apply(row));
                }
                Map<String, Object> params = new HashMap<>(extra);
                params.put("rows", batch);
                session.executeWrite(tx -> tx.run(cypher, Values.value(params)).consume());
                progress.update(stage, Math.min(rows.size(), from + BATCH), rows.size());
            }
        }
    }
}
