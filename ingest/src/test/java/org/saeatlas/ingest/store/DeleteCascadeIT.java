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

        RunStore.Deleted d = store.deleteRun(x, Progress.NONE);

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

    @Test
    @Order(2)
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
