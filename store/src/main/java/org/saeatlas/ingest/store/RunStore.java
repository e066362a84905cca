package org.saeatlas.ingest.store;

import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.schema.Vocabulary;

/**
 * Lists and removes what ingest wrote: runs (with their edges) and whole SAEs (with features, explanations,
 * examples and runs). Deletes go in batches of bounded transactions, so they are safe on runs of millions of edges
 * and can be interrupted and repeated: a run is first marked {@code loading} (invisible to queries), then its edges
 * go, then what was derived from it (the structural match runs built on its graph, its community analyses with
 * their memberships, the comparisons it is part of or paired the features of and the seed stability they marked,
 * {@code matchedIn} of a match run's SAEs), then the run node; an interrupted delete leaves an invisible run that the
 * next delete finishes.
 */
public final class RunStore {

    /** Relationship types that carry a {@code run} property (each has a {@code run} index, migration V0001). */
    public static final List<String> EDGE_TYPES =
            List.of(Vocabulary.COACTIVATES, Vocabulary.DEPENDS, Vocabulary.COSINE, Vocabulary.MATCHES, Vocabulary.LINKS,
                    Vocabulary.CONNECTS);

    /** One stored run as {@code ./atlas runs list} shows it. */
    public record RunInfo(String id, String kind, String sae, String status, Long edges, String createdAt,
                          String method) { }

    /** What a delete removed ({@code analyses} and {@code comparisons}: derived from the deleted runs). */
    public record Deleted(long runs, long edges, long features, long explanations, long examples, long saes,
                          long analyses, long comparisons) {
        public Deleted(long runs, long edges, long features, long explanations, long examples, long saes) {
            this(runs, edges, features, explanations, examples, saes, 0, 0);
        }

        public long total() {
            return runs + edges + features + explanations + examples + saes + analyses + comparisons;
        }

        Deleted plus(Deleted o) {
            return new Deleted(runs + o.runs, edges + o.edges, features + o.features, explanations + o.explanations,
                    examples + o.examples, saes + o.saes, analyses + o.analyses, comparisons + o.comparisons);
        }
    }

    /**
     * Deletes up to {@code $batch} memberships of analysis {@code $id}, returning how many as {@code n}: memberships
     * go first, a batch at a time, as a community's DETACH DELETE would take all of its members at once.
     */
    public static final String MEMBERSHIPS_OF_ANALYSIS = """
            MATCH ()-[m:MEMBER_OF {analysis: $id}]->() WITH m LIMIT $batch
            DELETE m RETURN count(*) AS n""";

    /** Deletes up to {@code $batch} communities of analysis {@code $id} (after their memberships), as {@code n}. */
    public static final String COMMUNITIES_OF_ANALYSIS = """
            MATCH (c:Community {analysis: $id}) WITH c LIMIT $batch
            DETACH DELETE c RETURN count(*) AS n""";

    /** The method suffix of one-to-one (assignment) matches: the only ones {@code matchedIn} counts. */
    public static final String MATCH_ASSIGNMENT = "assignment";

    /** The columns of a {@link RunInfo}, after a match of {@code r:Run}. */
    private static final String RUN_COLUMNS = " RETURN r.id AS id, r.kind AS kind, r.sae AS sae, r.status AS status,"
            + " r.edgeCount AS edges, r.createdAt AS createdAt, r.method AS method";

    private final CypherExecutor cypher;
    private final int batch;

    public RunStore(CypherExecutor cypher) {
        this(cypher, 20_000);
    }

    public RunStore(CypherExecutor cypher, int batch) {
        this.cypher = cypher;
        this.batch = batch;
    }

    /** How many SAEs the atlas holds (0: an empty atlas). */
    public long saeCount() {
        return single(cypher.read("MATCH (s:Sae) RETURN count(s) AS n", Map.of()));
    }

    /** Every run, newest first, optionally of one SAE ({@code null}: all). */
    public List<RunInfo> list(String sae) {
        return cypher.read("MATCH (r:Run) WHERE $sae IS NULL OR r.sae = $sae" + RUN_COLUMNS
                + " ORDER BY r.createdAt DESC, r.id", java.util.Collections.singletonMap("sae", sae))
                .stream().map(RunStore::runInfo).toList();
    }

    public java.util.Optional<RunInfo> find(String runId) {
        return cypher.read("MATCH (r:Run {id: $id})" + RUN_COLUMNS, Map.of("id", runId))
                .stream().map(RunStore::runInfo).findFirst();
    }

    /** Deletes one run and its edges; fails when there is no such run. */
    public Deleted deleteRun(String runId, Progress progress) {
        RunInfo run = find(runId).orElseThrow(() -> new AtlasException("no run " + runId
                + " in the database; './atlas runs list' shows the stored runs"));
        return deleteRun(run, null, progress);
    }

    /** Deletes a run as {@link #deleteRun(String, Progress)}; {@code goingSae}: an SAE being deleted (null: none). */
    private Deleted deleteRun(RunInfo run, String goingSae, Progress progress) {
        String runId = run.id();
        write("MATCH (r:Run {id: $id}) SET r.status = $loading", Map.of("id", runId, "loading", Vocabulary.STATUS_LOADING));
        // match runs built on this run's graph (structural matches name their two graph runs) mean nothing without it
        Deleted built = new Deleted(0, 0, 0, 0, 0, 0);
        for (RunInfo m : cypher.read("MATCH (r:Run) WHERE $id IN coalesce(r.graphRuns, []) AND r.id <> $id"
                + RUN_COLUMNS + " ORDER BY r.id", Map.of("id", runId)).stream().map(RunStore::runInfo).toList()) {
            built = built.plus(deleteRun(m, goingSae, progress));
        }
        long edges = RunLoading.deleteEdges(cypher, runId, EDGE_TYPES, batch, (stage, done, total) ->
                progress.update("edges of " + runId, done, run.edges() == null ? Math.max(done, total) : run.edges()));
        long comparisons = deleteComparisons(runId, progress);
        long analyses = deleteAnalyses(runId, progress);
        if (Vocabulary.KIND_MATCH.equals(run.kind())) {
            // the run is loading and its edges are gone: it no longer counts towards matchedIn
            for (String sae : saesOf(runId)) {
                if (!sae.equals(goingSae)) {
                    progress.update(Vocabulary.MATCHED_IN + " of " + sae, 0, 1);
                    updateMatchedIn(cypher, sae, batch);
                    progress.update(Vocabulary.MATCHED_IN + " of " + sae, 1, 1);
                }
            }
        }
        write("MATCH (r:Run {id: $id}) DETACH DELETE r", Map.of("id", runId));
        return built.plus(new Deleted(1, edges, 0, 0, 0, 0, analyses, comparisons));
    }

    /**
     * Deletes the comparisons {@code runId} is part of, as one of the two compared runs or as the match run that
     * paired their features. A comparison of runs A and B marked seed stability on both: A's edges name B in
     * {@code seedStableRuns} and B's name A. Those marks go too ({@code seedStableIn}, {@code seedStable} follow),
     * unless another comparison of A and B stays (the marks are per pair of runs, the last comparison's), and both
     * runs' {@code edgesRevision} move on (whatever was derived from their edges rebuilds).
     */
    private long deleteComparisons(String runId, Progress progress) {
        List<Map<String, Object>> found = cypher.read("""
                MATCH (c:Comparison) WHERE c.runA = $id OR c.runB = $id OR c.matchRun = $id
                RETURN c.id AS id, c.runA AS a, c.runB AS b""", Map.of("id", runId));
        List<Object> going = found.stream().map(c -> c.get("id")).toList();
        for (Map<String, Object> c : found) {
            String a = (String) c.get("a");
            String b = (String) c.get("b");
            boolean kept = single(cypher.read("""
                    MATCH (k:Comparison) WHERE (k.runA = $a AND k.runB = $b OR k.runA = $b AND k.runB = $a)
                      AND NOT k.id IN $going
                    RETURN count(k) AS n""", Map.of("a", a, "b", b, "going", going))) > 0;
            if (!kept && !a.equals(b)) {
                for (String[] pair : new String[][] {{a, b}, {b, a}}) {
                    if (!pair[0].equals(runId)) { // the run being deleted has no edges left
                        unmarkSeedStable(pair[0], pair[1], progress);
                        write("MATCH (r:Run {id: $run}) SET r." + Vocabulary.EDGES_REVISION + " = coalesce(r."
                                + Vocabulary.EDGES_REVISION + ", 0) + 1", Map.of("run", pair[0]));
                    }
                }
            }
            write("MATCH (c:Comparison {id: $id}) DETACH DELETE c", Map.of("id", c.get("id")));
        }
        return found.size();
    }

    /**
     * Removes {@code other} from {@code seedStableRuns} of the edges of {@code run}. Walks the run's features by index
     * (the SAE's index), a range per transaction, and their outgoing edges of the run: each edge is visited once
     * (a scan of the run's edges per batch, as a {@code LIMIT} on the run index gives, would revisit the edges done
     * before, quadratic in the run's size). The range adapts so that a transaction changes about {@code batch}
     * edges.
     */
    private void unmarkSeedStable(String run, String other, Progress progress) {
        String types = String.join("|", EDGE_TYPES);
        long done = 0;
        for (String sae : saesOf(run)) {
            List<Map<String, Object>> top = cypher.read("MATCH (f:Feature {sae: $sae}) RETURN max(f.index) AS top",
                    Map.of("sae", sae));
            if (top.isEmpty() || top.get(0).get("top") == null) {
                continue;
            }
            long last = ((Number) top.get(0).get("top")).longValue();
            long step = Math.max(1, batch / 16);
            for (long from = 0, to; from <= last; from = to) {
                to = from + step;
                long n = single(cypher.write("""
                        MATCH (a:Feature) WHERE a.sae = $sae AND a.index >= $from AND a.index < $to
                        MATCH (a)-[e:%s {run: $run}]->() WHERE $other IN e.seedStableRuns
                        WITH e, [x IN e.seedStableRuns WHERE x <> $other] AS runs
                        SET e.seedStableRuns = runs, e.seedStableIn = size(runs), e.seedStable = size(runs) > 0
                        RETURN count(*) AS n""".formatted(types), Map.of("sae", sae, "from", from, "to", to,
                        "run", run, "other", other)));
                done += n;
                progress.update("seed stability of " + run, done, done);
                step = n > batch ? Math.max(1, step / 2) : n < batch / 4 ? Math.min(step * 2, 1L << 20) : step;
            }
        }
    }

    /** Deletes the community analyses of {@code runId} with their communities and memberships. */
    private long deleteAnalyses(String runId, Progress progress) {
        List<Map<String, Object>> analyses = cypher.read("MATCH (a:Analysis {run: $id}) RETURN a.id AS id",
                Map.of("id", runId));
        for (Map<String, Object> a : analyses) {
            // memberships first, a batch at a time: a community's DETACH DELETE would take all of its members at once
            RunLoading.inBatches(cypher, batch, MEMBERSHIPS_OF_ANALYSIS, Map.of("id", a.get("id")),
                    (done, round) -> progress.update("memberships of " + a.get("id"), done, done));
            RunLoading.inBatches(cypher, batch, COMMUNITIES_OF_ANALYSIS, Map.of("id", a.get("id")),
                    (done, round) -> progress.update("communities of " + a.get("id"), done, done));
            write("MATCH (a:Analysis {id: $id}) DETACH DELETE a", Map.of("id", a.get("id")));
        }
        return analyses.size();
    }

    private List<String> saesOf(String runId) {
        List<Map<String, Object>> rows = cypher.read("MATCH (r:Run {id: $id}) RETURN coalesce(r.saes, [r.sae]) AS saes",
                Map.of("id", runId));
        Object saes = rows.isEmpty() ? null : rows.get(0).get("saes");
        return saes instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    /**
     * Recounts {@code matchedIn} of every feature of {@code sae}: how many other SAEs hold a one-to-one
     * (assignment) match of it in a complete match run. Read run by run from the run index, counted here, written
     * in batches by feature index: every step is linear in the matches whatever the planner's statistics say (a
     * correlated per-feature subquery was planned, on a new database, as an index scan per feature: 13-17 s on the
     * demo instead of 0.3 s).
     */
    public static void updateMatchedIn(CypherExecutor cypher, String sae, int batch) {
        List<Map<String, Object>> runs = cypher.read("""
                MATCH (r:Run {kind: $kind, status: $complete}) WHERE $sae IN r.saes RETURN r.id AS id""",
                Map.of("kind", Vocabulary.KIND_MATCH, "complete", Vocabulary.STATUS_COMPLETE, "sae", sae));
        Map<Integer, java.util.Set<String>> partners = new java.util.HashMap<>();
        for (Map<String, Object> run : runs) {
            for (Map<String, Object> row : cypher.read("""
                    MATCH (f:Feature)-[m:MATCHES {run: $run}]-(g:Feature)
                    WHERE f.sae = $sae AND g.sae <> $sae AND m.method ENDS WITH $assignment
                    RETURN f.index AS index, g.sae AS other""",
                    Map.of("run", run.get("id"), "sae", sae, "assignment", "/" + MATCH_ASSIGNMENT))) {
                partners.computeIfAbsent(((Number) row.get("index")).intValue(), k -> new java.util.HashSet<>())
                        .add((String) row.get("other"));
            }
        }
        List<Map<String, Object>> top = cypher.read("MATCH (f:Feature {sae: $sae}) RETURN max(f.index) AS top",
                Map.of("sae", sae));
        if (top.isEmpty() || top.get(0).get("top") == null) {
            return;
        }
        int last = ((Number) top.get(0).get("top")).intValue();
        for (int from = 0; from <= last; from += batch) {
            List<Map<String, Object>> rows = new java.util.ArrayList<>();
            for (int i = from; i <= last && i < from + batch; i++) {
                java.util.Set<String> p = partners.get(i);
                rows.add(Map.of("i", (long) i, "n", (long) (p == null ? 0 : p.size())));
            }
            cypher.write("""
                    UNWIND $rows AS row
                    MATCH (f:Feature {sae: $sae, index: row.i})
                    SET f.%s = row.n""".formatted(Vocabulary.MATCHED_IN), Map.of("sae", sae, "rows", rows));
        }
    }

    /** Deletes an SAE with its runs, features, explanations and examples; fails when there is no such SAE. */
    public Deleted deleteSae(String sae, Progress progress) {
        long exists = count("MATCH (s:Sae {id: $sae}) RETURN count(s) AS n", sae);
        long orphans = count("MATCH (f:Feature {sae: $sae}) WITH f LIMIT 1 RETURN count(f) AS n", sae);
        if (exists == 0 && orphans == 0) {
            throw new AtlasException("no SAE " + sae + " in the database; './atlas runs list' shows the SAE of each run");
        }
        // its own runs and the runs joining it to other SAEs (matches, imported cross-SAE graphs)
        Deleted runs = new Deleted(0, 0, 0, 0, 0, 0);
        for (RunInfo run : runsTouching(sae)) {
            runs = runs.plus(deleteRun(run, sae, progress));
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
        // its error statistics: sampled tokens and per-token norms (COMPARES_ERRORS go with the SAE node)
        write("MATCH (t:ErrorToken {sae: $sae}) DETACH DELETE t", Map.of("sae", sae));
        write("MATCH (n:ErrorNorms {sae: $sae}) DETACH DELETE n", Map.of("sae", sae));
        write("MATCH (s:Sae {id: $sae}) DETACH DELETE s", Map.of("sae", sae));
        return runs.plus(new Deleted(0, 0, features, explanations, examples, exists));
    }

    /** Runs of {@code sae} and runs that join it to other SAEs ({@code saes} names it), newest first. */
    private List<RunInfo> runsTouching(String sae) {
        return cypher.read("MATCH (r:Run) WHERE r.sae = $sae OR $sae IN coalesce(r.saes, [])" + RUN_COLUMNS
                + " ORDER BY r.createdAt DESC, r.id", Map.of("sae", sae)).stream().map(RunStore::runInfo).toList();
    }

    private static long single(List<Map<String, Object>> rows) {
        return ((Number) rows.get(0).get("n")).longValue();
    }

    private long deleteInBatches(String stage, String sae, String cypher, String countCypher, Progress progress) {
        long total = count(countCypher, sae);
        return RunLoading.inBatches(this.cypher, batch, cypher, Map.of("sae", sae),
                (done, round) -> progress.update(stage, done, Math.max(total, done)));
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
