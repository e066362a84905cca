package org.saeatlas.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.schema.Vocabulary;

/**
 * The one run-loading protocol ({@link RunLoading}) that edge runs, imported graphs, match and connection runs and
 * community analyses all use, on both database paths (in-process and Bolt): a load that dies after some batches
 * leaves its node {@code loading} (invisible) with part of its rows; the next load of the same id clears exactly
 * those leftovers, in transactions of at most one batch, writes everything once and marks it complete; a third load
 * finds it complete and writes nothing. {@code AtomicRunIT} kills a real ingest process (SIGKILL) mid-run on top.
 */
class RunLoadingIT {

    static final int FEATURES = 40;
    static final int EDGES = 95;
    static final int BATCH = 10;

    @TempDir
    static Path dir;
    static AtlasDatabase db;

    @BeforeAll
    static void open() {
        db = AtlasDatabase.open(Neo4jTarget.embedded(dir.resolve("neo4j")));
        db.cypher().write("""
                CREATE (s:Sae {id: 'rl', width: $n}) WITH s UNWIND range(0, $n - 1) AS i
                CREATE (:Feature {id: 'rl/' + i, sae: 'rl', index: i})-[:IN_SAE]->(s)""", Map.of("n", FEATURES));
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    private static final String BEGIN_RUN = """
            MATCH (s:Sae {id: 'rl'})
            MERGE (r:Run {id: $id})
            ON CREATE SET r.kind = 'coactivation', r.sae = 'rl', r.status = $loading
            MERGE (r)-[:ON_SAE]->(s)
            RETURN r.status AS status""";

    private static final String WRITE_EDGES = """
            UNWIND $rows AS row
            MATCH (a:Feature {id: row.a}), (b:Feature {id: row.b})
            CREATE (a)-[:COACTIVATES {run: $run, weight: row.w}]->(b)""";

    private static List<Map<String, Object>> edges() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int k = 0; k < EDGES; k++) {
            int i = k % FEATURES;
            int j = (i + 1 + k / FEATURES) % FEATURES;
            rows.add(Map.of("a", "rl/" + Math.min(i, j), "b", "rl/" + Math.max(i, j), "w", (double) k));
        }
        return rows;
    }

    private static long count(String cypher, String id) {
        return ((Number) db.cypher().read(cypher, Map.of("id", id)).get(0).get("n")).longValue();
    }

    @Test
    void anInterruptedRunStaysInvisibleAndTheNextLoadCompletesItOnceInProcess() {
        interruptedThenCompleted(db.cypher(), "run-in-process");
    }

    @Test
    void anInterruptedRunStaysInvisibleAndTheNextLoadCompletesItOverBolt() {
        interruptedThenCompleted(db.boltCypher(), "run-bolt");
    }

    private void interruptedThenCompleted(CypherExecutor cypher, String id) {
        List<Map<String, Object>> edges = edges();
        // first load: dies after three batches (an exception here; AtomicRunIT does it with SIGKILL)
        RunLoading first = new RunLoading(cypher, Progress.NONE, BATCH);
        RunLoading.Load load = first.begin("Run", id, BEGIN_RUN, Map.of(), () -> "no SAE");
        assertFalse(load.alreadyComplete());
        int[] batches = {0};
        assertThrows(IllegalStateException.class, () -> first.write("edges", edges, rows -> {
            if (batches[0]++ == 3) {
                throw new IllegalStateException("killed");
            }
            cypher.write(WRITE_EDGES, Map.of("rows", rows, "run", id));
        }));
        assertEquals(Vocabulary.STATUS_LOADING, db.cypher().read("MATCH (r:Run {id: $id}) RETURN r.status AS s",
                Map.of("id", id)).get(0).get("s"), "an interrupted run stays loading");
        assertEquals(3L * BATCH, count("MATCH ()-[e:COACTIVATES {run: $id}]->() RETURN count(e) AS n", id));

        // second load: clears the leftovers in bounded transactions, writes all, completes
        DeleteCascadeIT.Bounded bounded = new DeleteCascadeIT.Bounded(cypher);
        RunLoading again = new RunLoading(bounded, Progress.NONE, BATCH);
        RunLoading.Load redo = again.begin("Run", id, BEGIN_RUN, Map.of(), () -> "no SAE");
        assertFalse(redo.alreadyComplete(), "a loading run is loaded again");
        assertEquals(3L * BATCH, redo.clearEdges(List.of(Vocabulary.COACTIVATES)));
        assertTrue(bounded.most <= BATCH, "a clearing transaction removed " + bounded.most + ": " + bounded.worst);
        again.write("edges", edges, WRITE_EDGES, Map.of("run", id), row -> row);
        redo.complete(Map.of("edgeCount", edges.size()));
        assertEquals(EDGES, count("MATCH ()-[e:COACTIVATES {run: $id}]->() RETURN count(e) AS n", id));
        assertEquals(EDGES, count("""
                MATCH ()-[e:COACTIVATES {run: $id}]->() RETURN count(DISTINCT e.weight) AS n""", id),
                "every edge once");
        Map<String, Object> stored = redo.stored();
        assertEquals(Vocabulary.STATUS_COMPLETE, stored.get("status"));
        assertEquals((long) EDGES, stored.get("edgeCount"));
        assertTrue(stored.get("completedAt") instanceof String);

        // third load: complete, nothing to do
        RunLoading.Load third = new RunLoading(cypher, Progress.NONE, BATCH).begin("Run", id, BEGIN_RUN, Map.of(),
                () -> "no SAE");
        assertTrue(third.alreadyComplete());
        assertEquals(EDGES, count("MATCH ()-[e:COACTIVATES {run: $id}]->() RETURN count(e) AS n", id));
    }

    @Test
    void anInterruptedAnalysisLosesItsCommunitiesAndMembershipsInBoundedTransactions() {
        CypherExecutor cypher = db.cypher();
        String id = "analysis-rl";
        String begin = """
                MERGE (a:Analysis {id: $id})
                ON CREATE SET a.run = 'none', a.status = $loading
                RETURN a.status AS status""";
        RunLoading loading = new RunLoading(cypher, Progress.NONE, BATCH);
        loading.begin("Analysis", id, begin, Map.of(), () -> "unreachable");
        // leftovers: 3 communities holding every feature (memberships far more than one batch)
        cypher.write("""
                MATCH (a:Analysis {id: $id}) UNWIND range(0, 2) AS c
                CREATE (:Community {id: $id + '/' + c, analysis: $id, index: c})-[:IN_ANALYSIS]->(a)""",
                Map.of("id", id));
        cypher.write("""
                MATCH (f:Feature {sae: 'rl'}), (c:Community {analysis: $id})
                CREATE (f)-[:MEMBER_OF {analysis: $id}]->(c)""", Map.of("id", id));
        assertEquals(3L * FEATURES, count("MATCH ()-[m:MEMBER_OF {analysis: $id}]->() RETURN count(m) AS n", id));

        DeleteCascadeIT.Bounded bounded = new DeleteCascadeIT.Bounded(cypher);
        RunLoading.Load redo = new RunLoading(bounded, Progress.NONE, BATCH).begin("Analysis", id, begin, Map.of(),
                () -> "unreachable");
        assertFalse(redo.alreadyComplete());
        assertEquals(3L * FEATURES, redo.clear(RunStore.MEMBERSHIPS_OF_ANALYSIS));
        assertEquals(3L, redo.clear(RunStore.COMMUNITIES_OF_ANALYSIS));
        assertTrue(bounded.most <= BATCH, "a clearing transaction removed " + bounded.most + ": " + bounded.worst);
        assertEquals(0, count("MATCH (c:Community {analysis: $id}) RETURN count(c) AS n", id));
        redo.complete(Map.of("communityCount", 0));
        assertEquals(Vocabulary.STATUS_COMPLETE, redo.stored().get("status"));
    }

    @Test
    void aLoadWhoseNodeCannotBeMadeFailsWithTheCallersMessage() {
        AtlasException e = assertThrows(AtlasException.class, () -> new RunLoading(db.cypher(), Progress.NONE)
                .begin("Run", "orphan", BEGIN_RUN.replace("'rl'", "'no-such-sae'"), Map.of(),
                        () -> "run orphan: SAE no-such-sae is not in the database"));
        assertEquals("run orphan: SAE no-such-sae is not in the database", e.getMessage());
        assertEquals(0, count("MATCH (r:Run {id: $id}) RETURN count(r) AS n", "orphan"));
    }
}
