package org.saeatlas.ingest.store;

import java.util.List;
import java.util.Map;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Value;
import org.saeatlas.compute.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.schema.Vocabulary;

/**
 * Lists and removes what ingest wrote: runs (with their edges) and whole SAEs (with features, explanations,
 * examples and runs). Deletes go in batches of bounded transactions, so they are safe on runs of millions of edges
 * and can be interrupted and repeated: a run is first marked {@code loading} (invisible to queries), then its edges
 * go, then the run node; an interrupted delete leaves an invisible run that the next delete finishes.
 */
public final class RunStore {

    /** Relationship types that carry a {@code run} property (each has a {@code run} index, migration V0001). */
    public static final List<String> EDGE_TYPES =
            List.of(Vocabulary.COACTIVATES, Vocabulary.DEPENDS, Vocabulary.COSINE, Vocabulary.MATCHES, Vocabulary.LINKS);

    /** One stored run as {@code ./atlas runs list} shows it. */
    public record RunInfo(String id, String kind, String sae, String status, Long edges, String createdAt,
                          String method) { }

    /** What a delete removed. */
    public record Deleted(long runs, long edges, long features, long explanations, long examples, long saes) {
        public long total() {
            return runs + edges + features + explanations + examples + saes;
        }
    }

    private final Driver driver;
    private final int batch;

    public RunStore(Driver driver) {
        this(driver, 20_000);
    }

    public RunStore(Driver driver, int batch) {
        this.driver = driver;
        this.batch = batch;
    }

    /** Every run, newest first, optionally of one SAE ({@code null}: all). */
    public List<RunInfo> list(String sae) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run("""
                    MATCH (r:Run) WHERE $sae IS NULL OR r.sae = $sae
                    RETURN r.id AS id, r.kind AS kind, r.sae AS sae, r.status AS status, r.edgeCount AS edges,
                           r.createdAt AS createdAt, r.method AS method
                    ORDER BY r.createdAt DESC, r.id""", java.util.Collections.singletonMap("sae", sae))
                    .list(RunStore::runInfo));
        }
    }

    public java.util.Optional<RunInfo> find(String runId) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run("""
                    MATCH (r:Run {id: $id})
                    RETURN r.id AS id, r.kind AS kind, r.sae AS sae, r.status AS status, r.edgeCount AS edges,
                           r.createdAt AS createdAt, r.method AS method""", Map.of("id", runId))
                    .list(RunStore::runInfo)).stream().findFirst();
        }
    }

    /** Deletes one run and its edges; fails when there is no such run. */
    public Deleted deleteRun(String runId, Progress progress) {
        RunInfo run = find(runId).orElseThrow(() -> new AtlasException("no run " + runId
                + " in the database; './atlas runs list' shows the stored runs"));
        write("MATCH (r:Run {id: $id}) SET r.status = $loading", Map.of("id", runId, "loading", Vocabulary.STATUS_LOADING));
        long edges = deleteEdges(driver, runId, EDGE_TYPES, batch, (stage, done, total) ->
                progress.update("edges of " + runId, done, run.edges() == null ? Math.max(done, total) : run.edges()));
        write("MATCH (r:Run {id: $id}) DETACH DELETE r", Map.of("id", runId));
        return new Deleted(1, edges, 0, 0, 0, 0);
    }

    /** Deletes an SAE with its runs, features, explanations and examples; fails when there is no such SAE. */
    public Deleted deleteSae(String sae, Progress progress) {
        long exists = count("MATCH (s:Sae {id: $sae}) RETURN count(s) AS n", sae);
        long orphans = count("MATCH (f:Feature {sae: $sae}) WITH f LIMIT 1 RETURN count(f) AS n", sae);
        if (exists == 0 && orphans == 0) {
            throw new AtlasException("no SAE " + sae + " in the database; './atlas runs list' shows the SAE of each run");
        }
        long runs = 0;
        long edges = 0;
        for (RunInfo run : list(sae)) {
            edges += deleteRun(run.id(), progress).edges();
            runs++;
        }
        long examples = deleteInBatches("examples of " + sae, sae, """
                MATCH (x:Example)-[:EXAMPLE_OF]->(:Feature {sae: $sae})
                WITH DISTINCT x LIMIT $batch DETACH DELETE x RETURN count(*) AS n""",
                "MATCH (x:Example)-[:EXAMPLE_OF]->(:Feature {sae: $sae}) RETURN count(DISTINCT x) AS n", progress);
        long explanations = deleteInBatches("explanations of " + sae, sae, """
                MATCH (x:Explanation {sae: $sae}) WITH x LIMIT $batch DETACH DELETE x RETURN count(*) AS n""",
                "MATCH (x:Explanation {sae: $sae}) RETURN count(x) AS n", progress);
        // DETACH also removes edges of other SAEs' runs that touch these features (cross-SAE matches)
        long features = deleteInBatches("features of " + sae, sae, """
                MATCH (f:Feature {sae: $sae}) WITH f LIMIT $batch DETACH DELETE f RETURN count(*) AS n""",
                "MATCH (f:Feature {sae: $sae}) RETURN count(f) AS n", progress);
        write("MATCH (s:Sae {id: $sae}) DETACH DELETE s", Map.of("sae", sae));
        return new Deleted(runs, edges, features, explanations, examples, exists);
    }

    /** Deletes the edges of a run of the given types in bounded transactions; returns how many went. */
    static long deleteEdges(Driver driver, String runId, List<String> types, int batch, Progress progress) {
        long deleted = 0;
        try (Session session = driver.session()) {
            for (String type : types) {
                String cypher = "MATCH ()-[e:%s {run: $run}]->() WITH e LIMIT $batch DELETE e RETURN count(*) AS n"
                        .formatted(type);
                long n;
                do {
                    n = session.executeWrite(tx -> tx.run(cypher, Map.of("run", runId, "batch", batch))
                            .single().get("n").asLong());
                    deleted += n;
                    if (n > 0) {
                        progress.update("edges of " + runId, deleted, deleted);
                    }
                } while (n == batch);
            }
        }
        return deleted;
    }

    private long deleteInBatches(String stage, String sae, String cypher, String countCypher, Progress progress) {
        long total = count(countCypher, sae);
        long deleted = 0;
        try (Session session = driver.session()) {
            long n;
            do {
                n = session.executeWrite(tx -> tx.run(cypher, Map.of("sae", sae, "batch", batch)).single().get("n").asLong());
                deleted += n;
                progress.update(stage, deleted, Math.max(total, deleted));
            } while (n == batch);
        }
        return deleted;
    }

    private long count(String cypher, String sae) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(cypher, Map.of("sae", sae)).single().get("n").asLong());
        }
    }

    private void write(String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            session.executeWrite(tx -> tx.run(cypher, params).consume());
        }
    }

    private static RunInfo runInfo(Record r) {
        return new RunInfo(r.get("id").asString(), text(r.get("kind")), text(r.get("sae")), text(r.get("status")),
                r.get("edges").isNull() ? null : r.get("edges").asLong(), text(r.get("createdAt")), text(r.get("method")));
    }

    private static String text(Value v) {
        return v.isNull() ? null : v.asString();
    }
}
