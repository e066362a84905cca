package org.saeatlas.ingest.store;

import java.util.List;
import java.util.Map;
import org.saeatlas.compute.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.CypherExecutor;
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

    private final CypherExecutor cypher;
    private final int batch;

    public RunStore(CypherExecutor cypher) {
        this(cypher, 20_000);
    }

    public RunStore(CypherExecutor cypher, int batch) {
        this.cypher = cypher;
        this.batch = batch;
    }

    /** Every run, newest first, optionally of one SAE ({@code null}: all). */
    public List<RunInfo> list(String sae) {
        return cypher.read("""
                MATCH (r:Run) WHERE $sae IS NULL OR r.sae = $sae
                RETURN r.id AS id, r.kind AS kind, r.sae AS sae, r.status AS status, r.edgeCount AS edges,
                       r.createdAt AS createdAt, r.method AS method
                ORDER BY r.createdAt DESC, r.id""", java.util.Collections.singletonMap("sae", sae))
                .stream().map(RunStore::runInfo).toList();
    }

    public java.util.Optional<RunInfo> find(String runId) {
        return cypher.read("""
                MATCH (r:Run {id: $id})
                RETURN r.id AS id, r.kind AS kind, r.sae AS sae, r.status AS status, r.edgeCount AS edges,
                       r.createdAt AS createdAt, r.method AS method""", Map.of("id", runId))
                .stream().map(RunStore::runInfo).findFirst();
    }

    /** Deletes one run and its edges; fails when there is no such run. */
    public Deleted deleteRun(String runId, Progress progress) {
        RunInfo run = find(runId).orElseThrow(() -> new AtlasException("no run " + runId
                + " in the database; './atlas runs list' shows the stored runs"));
        write("MATCH (r:Run {id: $id}) SET r.status = $loading", Map.of("id", runId, "loading", Vocabulary.STATUS_LOADING));
        long edges = deleteEdges(cypher, runId, EDGE_TYPES, batch, (stage, done, total) ->
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
    static long deleteEdges(CypherExecutor cypher, String runId, List<String> types, int batch, Progress progress) {
        long deleted = 0;
        for (String type : types) {
            String statement = "MATCH ()-[e:%s {run: $run}]->() WITH e LIMIT $batch DELETE e RETURN count(*) AS n"
                    .formatted(type);
            long n;
            do {
                n = single(cypher.write(statement, Map.of("run", runId, "batch", batch)));
                deleted += n;
                if (n > 0) {
                    progress.update("edges of " + runId, deleted, deleted);
                }
            } while (n == batch);
        }
        return deleted;
    }

    private static long single(List<Map<String, Object>> rows) {
        return ((Number) rows.get(0).get("n")).longValue();
    }

    private long deleteInBatches(String stage, String sae, String cypher, String countCypher, Progress progress) {
        long total = count(countCypher, sae);
        long deleted = 0;
        long n;
        do {
            n = single(this.cypher.write(cypher, Map.of("sae", sae, "batch", batch)));
            deleted += n;
            progress.update(stage, deleted, Math.max(total, deleted));
        } while (n == batch);
        return deleted;
    }

    private long count(String statement, String sae) {
        return single(cypher.read(statement, Map.of("sae", sae)));
    }

    private void write(String statement, Map<String, Object> params) {
        cypher.write(statement, params);
    }

    private static RunInfo runInfo(Map<String, Object> r) {
        Object edges = r.get("edges");
        return new RunInfo((String) r.get("id"), (String) r.get("kind"), (String) r.get("sae"),
                (String) r.get("status"), edges == null ? null : ((Number) edges).longValue(),
                (String) r.get("createdAt"), (String) r.get("method"));
    }
}
