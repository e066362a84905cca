package org.saeatlas.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.DemoLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * Deleting a run or an SAE leaves nothing derived from it behind, on the small demo atlas (two seeds of one SAE with
 * co-activation, cosine and dependence runs, community analyses, matches between the seeds, seed comparisons and the
 * seed stability they mark): no comparison or analysis of a deleted run, no seed stability naming it, no run joining
 * a deleted SAE, and {@code matchedIn} recounted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeleteCascadeIT {

    @TempDir
    static Path dir;
    static AtlasDatabase db;
    static RunStore store;

    @BeforeAll
    static void load() {
        db = AtlasDatabase.open(Neo4jTarget.embedded(dir.resolve("neo4j")));
        new DemoLoader(db, new PrintStream(OutputStream.nullOutputStream())).load(DemoParameters.small(11));
        store = new RunStore(db.cypher(), 50);
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    private static long count(String cypher, Map<String, Object> params) {
        return ((Number) db.cypher().read(cypher, params).get(0).get("n")).longValue();
    }

    private static long count(String cypher) {
        return count(cypher, Map.of());
    }

    @Test
    @Order(1)
    void deletingARunTakesItsAnalysesItsComparisonsAndTheSeedStabilityTheyMarked() {
        Map<String, Object> c = db.cypher().read("""
                MATCH (c:Comparison) MATCH (a:Run {id: c.runA}), (b:Run {id: c.runB})
                RETURN c.runA AS x, c.runB AS y, b.edgesRevision AS revision""",
                Map.of()).get(0);
        String x = (String) c.get("x");
        String y = (String) c.get("y");
        Map<String, Object> ids = Map.of("x", x, "y", y);
        // what the delete must take: present before
        assertTrue(count("MATCH ()-[e {run: $y}]->() WHERE $x IN e.seedStableRuns RETURN count(e) AS n", ids) > 0);
        long analyses = count("MATCH (a:Analysis {run: $x}) RETURN count(a) AS n", ids);
        assertTrue(analyses > 0);
        assertTrue(count("MATCH ()-[m:MEMBER_OF {run: $x}]->() RETURN count(m) AS n", ids) > 0);
        long comparisons = count("MATCH (c:Comparison) WHERE $x IN [c.runA, c.runB] RETURN count(c) AS n", ids);
        long communitiesOfOthers = count("""
                MATCH (c:Community) WHERE NOT EXISTS { MATCH (a:Analysis {id: c.analysis, run: $x}) }
                RETURN count(c) AS n""", ids);

        // the structural match run built on the two graphs (it names them in graphRuns) means nothing without x
        long built = count("MATCH (r:Run) WHERE $x IN coalesce(r.graphRuns, []) RETURN count(r) AS n", ids);
        assertTrue(built > 0, "the demo matches its seeds' co-activation graphs structurally");

        Bounded bounded = new Bounded(db.cypher());
        RunStore.Deleted d = new RunStore(bounded, 50).deleteRun(x, Progress.NONE);

        assertTrue(bounded.most <= 100, "every transaction of the delete removes at most a batch of relationships"
                + " (and one per community): " + bounded.most + " in " + bounded.worst);
        assertEquals(1 + built, d.runs(), "the run and the structural match runs built on it");
        assertEquals(0, count("MATCH (r:Run) WHERE $x IN coalesce(r.graphRuns, []) RETURN count(r) AS n", ids));
        assertEquals(0, count("""
                MATCH ()-[m:MATCHES]->() WHERE NOT EXISTS { MATCH (:Run {id: m.run}) } RETURN count(m) AS n"""));
        assertEquals(analyses, d.analyses());
        assertEquals(comparisons, d.comparisons());
        assertEquals(0, count("MATCH (r:Run {id: $x}) RETURN count(r) AS n", ids));
        assertEquals(0, count("MATCH (c:Comparison) WHERE $x IN [c.runA, c.runB] RETURN count(c) AS n", ids));
        assertEquals(0, count("MATCH (a:Analysis {run: $x}) RETURN count(a) AS n", ids));
        assertEquals(0, count("MATCH ()-[m:MEMBER_OF {run: $x}]->() RETURN count(m) AS n", ids));
        assertEquals(0, count("MATCH (c:Community) WHERE NOT EXISTS { MATCH (:Analysis {id: c.analysis}) }"
                + " RETURN count(c) AS n"));
        assertEquals(communitiesOfOthers, count("MATCH (c:Community) RETURN count(c) AS n"), "other runs' communities stay");
        // the other run's edges no longer name the deleted run, and their counts agree with what is left
        assertEquals(0, count("MATCH ()-[e]->() WHERE $x IN e.seedStableRuns RETURN count(e) AS n", ids));
        assertEquals(0, count("""
                MATCH ()-[e {run: $y}]->() WHERE e.seedStableRuns IS NOT NULL
                  AND (e.seedStableIn <> size(e.seedStableRuns) OR e.seedStable <> (size(e.seedStableRuns) > 0))
                RETURN count(e) AS n""", ids));
        long revision = ((Number) db.cypher().read("MATCH (r:Run {id: $y}) RETURN r.edgesRevision AS r", ids)
                .get(0).get("r")).longValue();
        assertTrue(revision > ((Number) c.get("revision")).longValue(), "the other run's edges changed: revision moves on");
    }

    /**
     * A comparison needs the match run that paired the two SAEs' features: deleting the match run takes the
     * comparisons that used it and the seed stability they marked on both compared runs.
     */
    @Test
    @Order(2)
    void deletingAMatchRunTakesTheComparisonsThatUsedItAndTheirSeedStability() {
        // the seeds' dependence graphs compared through the newest match run between the two SAEs
        List<String> dependence = db.cypher().read("MATCH (r:Run {kind: 'dependence', status: 'complete'})"
                + " RETURN r.id AS id ORDER BY r.sae", Map.of()).stream().map(r -> (String) r.get("id")).toList();
        assertEquals(2, dependence.size());
        new org.saeatlas.ingest.analytics.RunComparison(db.cypher(), new PrintStream(OutputStream.nullOutputStream()))
                .compare(dependence.get(0), dependence.get(1), null,
                        org.saeatlas.compute.comparison.ComparisonParameters.defaults());
        List<Map<String, Object>> used = db.cypher().read("""
                MATCH (c:Comparison) WHERE c.matchRun IS NOT NULL
                MATCH (a:Run {id: c.runA}), (b:Run {id: c.runB})
                RETURN c.matchRun AS m, c.runA AS a, c.runB AS b, a.edgesRevision AS ra, b.edgesRevision AS rb
                ORDER BY c.id""", Map.of());
        assertTrue(!used.isEmpty(), "the demo compares its seeds through a match run");
        String m = (String) used.get(0).get("m");
        String a = (String) used.get(0).get("a");
        String b = (String) used.get(0).get("b");
        Map<String, Object> ids = Map.of("m", m, "a", a, "b", b);
        long usingM = count("MATCH (c:Comparison {matchRun: $m}) RETURN count(c) AS n", ids);
        assertTrue(count("MATCH ()-[e {run: $a}]->() WHERE $b IN e.seedStableRuns RETURN count(e) AS n", ids)
                + count("MATCH ()-[e {run: $b}]->() WHERE $a IN e.seedStableRuns RETURN count(e) AS n", ids) > 0,
                "the comparison marked seed stability");
        assertEquals(0, count("""
                MATCH (c:Comparison) WHERE (c.runA = $a AND c.runB = $b OR c.runA = $b AND c.runB = $a)
                  AND coalesce(c.matchRun, '') <> $m RETURN count(c) AS n""", ids), "no other comparison of the pair");

        Bounded bounded = new Bounded(db.cypher());
        RunStore.Deleted d = new RunStore(bounded, 50).deleteRun(m, Progress.NONE);

        assertTrue(bounded.most <= 100, bounded.most + " in " + bounded.worst);
        assertEquals(usingM, d.comparisons());
        assertEquals(0, count("MATCH (r:Run {id: $m}) RETURN count(r) AS n", ids));
        assertEquals(0, count("MATCH (c:Comparison {matchRun: $m}) RETURN count(c) AS n", ids));
        assertEquals(0, count("MATCH ()-[e {run: $a}]->() WHERE $b IN e.seedStableRuns RETURN count(e) AS n", ids));
        assertEquals(0, count("MATCH ()-[e {run: $b}]->() WHERE $a IN e.seedStableRuns RETURN count(e) AS n", ids));
        assertEquals(0, count("""
                MATCH ()-[e]->() WHERE e.run IN [$a, $b] AND e.seedStableRuns IS NOT NULL
                  AND (e.seedStableIn <> size(e.seedStableRuns) OR e.seedStable <> (size(e.seedStableRuns) > 0))
                RETURN count(e) AS n""", ids));
        for (String[] run : new String[][] {{a, "ra"}, {b, "rb"}}) {
            long revision = ((Number) db.cypher().read("MATCH (r:Run {id: $id}) RETURN r.edgesRevision AS r",
                    Map.of("id", run[0])).get(0).get("r")).longValue();
            Object before = used.get(0).get(run[1]);
            assertTrue(revision > (before == null ? 0 : ((Number) before).longValue()), run[0] + ": edges changed");
        }
        // the compared runs stay whole
        assertTrue(count("MATCH ()-[e {run: $a}]->() RETURN count(e) AS n", ids) > 0);
        assertTrue(count("MATCH ()-[e {run: $b}]->() RETURN count(e) AS n", ids) > 0);
    }

    /**
     * Counts, around each write, how many relationships it removed (from Neo4j's count store: no scan), and keeps
     * the most and the statement that removed them.
     */
    static final class Bounded implements org.saeatlas.ingest.db.CypherExecutor {
        private final org.saeatlas.ingest.db.CypherExecutor cypher;
        long most;
        String worst;

        Bounded(org.saeatlas.ingest.db.CypherExecutor cypher) {
            this.cypher = cypher;
        }

        private long relationships() {
            return ((Number) cypher.read("MATCH ()-[r]->() RETURN count(r) AS n", Map.of()).get(0).get("n"))
                    .longValue();
        }

        @Override
        public List<Map<String, Object>> read(String statement, Map<String, Object> params) {
            return cypher.read(statement, params);
        }

        @Override
        public List<Map<String, Object>> auto(String statement, Map<String, Object> params) {
            return measured(statement, () -> cypher.auto(statement, params));
        }

        @Override
        public List<Map<String, Object>> write(String statement, Map<String, Object> params) {
            return measured(statement, () -> cypher.write(statement, params));
        }

        /** Runs {@code call} (one transaction) and keeps what it removed if it is the most so far. */
        private List<Map<String, Object>> measured(String statement,
                                                   java.util.function.Supplier<List<Map<String, Object>>> call) {
            long before = relationships();
            List<Map<String, Object>> rows = call.get();
            long removed = before - relationships();
            if (removed > most) {
                most = removed;
                worst = statement;
            }
            return rows;
        }

        @Override
        public org.saeatlas.ingest.db.CypherExecutor withTimeout(java.time.Duration timeout) {
            return new Bounded(cypher.withTimeout(timeout));
        }

        @Override
        public String describe() {
            return cypher.describe();
        }
    }

    @Test
    @Order(3)
    void deletingAnSaeTakesTheRunsJoiningItToOthersAndRecountsMatchedIn() {
        List<String> saes = db.cypher().read("MATCH (s:Sae) RETURN s.id AS id ORDER BY id", Map.of()).stream()
                .map(r -> (String) r.get("id")).toList();
        assertEquals(2, saes.size());
        String keep = saes.get(0);
        String gone = saes.get(1);
        Map<String, Object> p = Map.of("keep", keep, "gone", gone);
        long joining = count("MATCH (r:Run) WHERE r.sae <> $gone AND $gone IN r.saes RETURN count(r) AS n", p);
        assertTrue(count("MATCH (r:Run {kind: 'match'}) WHERE $gone IN r.saes RETURN count(r) AS n", p) > 0);
        assertTrue(count("MATCH (f:Feature {sae: $keep}) WHERE f.matchedIn > 0 RETURN count(f) AS n", p) > 0);
        long runs = count("MATCH (r:Run) WHERE r.sae = $gone OR $gone IN coalesce(r.saes, []) RETURN count(r) AS n", p);

        RunStore.Deleted d = store.deleteSae(gone, Progress.NONE);

        assertEquals(runs, d.runs(), "its own runs and the " + joining + " joining it to the other SAE");
        assertEquals(0, count("MATCH (r:Run) WHERE r.sae = $gone OR $gone IN coalesce(r.saes, []) RETURN count(r) AS n", p));
        assertEquals(0, count("MATCH (f:Feature {sae: $gone}) RETURN count(f) AS n", p));
        assertEquals(0, count("MATCH ()-[m:MATCHES]->() RETURN count(m) AS n"));
        assertEquals(0, count("MATCH (f:Feature {sae: $keep}) WHERE f.matchedIn <> 0 RETURN count(f) AS n", p),
                "no other SAE holds a match of the kept SAE's features any more");
        // nothing names a run that is gone
        assertEquals(0, count("""
                MATCH (c:Comparison) WHERE NOT EXISTS { MATCH (:Run {id: c.runA}) } OR NOT EXISTS { MATCH (:Run {id: c.runB}) }
                RETURN count(c) AS n"""));
        assertEquals(0, count("MATCH (a:Analysis) WHERE NOT EXISTS { MATCH (:Run {id: a.run}) } RETURN count(a) AS n"));
        assertEquals(0, count("""
                MATCH ()-[e]->() WHERE e.seedStableRuns IS NOT NULL
                  AND any(x IN e.seedStableRuns WHERE NOT EXISTS { MATCH (:Run {id: x}) })
                RETURN count(e) AS n"""));
        // the kept SAE's own runs are whole
        assertTrue(count("MATCH (r:Run {sae: $keep, status: 'complete'}) RETURN count(r) AS n", p) >= 2);
        assertEquals(0, count("""
                MATCH (r:Run {sae: $keep, status: 'complete'}) WHERE r.kind IN ['coactivation', 'cosine', 'dependence']
                  AND NOT EXISTS { MATCH ()-[e {run: r.id}]->() } RETURN count(r) AS n""", p));
    }
}
