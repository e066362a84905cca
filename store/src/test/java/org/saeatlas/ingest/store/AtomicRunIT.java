package org.saeatlas.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.store.SyntheticAtlas;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.schema.Vocabulary;

/**
 * A run is atomic as users see it and idempotent: an ingest killed (SIGKILL) in the middle of a run's edges leaves
 * the run invisible ({@code loading}); the next ingest completes it with exactly the right edges and no duplicate
 * nodes or relationships; loading it again changes nothing. The run is written by {@link AtlasWriter}, whose run
 * states, leftover clearing and batches are the one protocol every run kind and analysis uses ({@link RunLoading},
 * whose own test {@code RunLoadingIT} covers both database paths and analyses).
 */
class AtomicRunIT {

    static final int FEATURES = 2_048;
    static final int EDGES = 30_000;
    static final int BATCH = 1_000;

    @TempDir
    Path dir;

    @Test
    void killedIngestLeavesNoVisibleRunAndTheNextIngestCompletesIt() throws Exception {
        Path folder = dir.resolve("neo4j");
        int doneBeforeKill = startAndKillMidRun(folder);
        assertTrue(doneBeforeKill > 0 && doneBeforeKill < EDGES, "killed after " + doneBeforeKill + " edges");

        BulkImport.Content atlas = SyntheticAtlas.generate(FEATURES, EDGES, 7);
        String runId = atlas.runs().get(0).run().id();
        try (AtlasDatabase db = AtlasDatabase.open(ChildIngestMain.target(folder))) {
            Driver driver = db.driver();
            assertEquals(Vocabulary.STATUS_LOADING, status(driver, runId), "an interrupted run stays loading");
            assertEquals(0, count(driver, "MATCH (r:Run {status: 'complete'}) RETURN count(r) AS n"),
                    "no complete run is visible after the kill");
            long partial = edges(driver);
            assertTrue(partial >= doneBeforeKill - BATCH && partial < EDGES, "partial edges " + partial);

            // in-process, with two concurrent edge writers on node-disjoint buckets
            AtlasWriter writer = new AtlasWriter(db.cypher(), Progress.NONE, 7_000, 2);
            assertTrue(ChildIngestMain.load(writer, atlas), "the re-run loads the interrupted run");
            Map<String, Long> counts = counts(driver);
            assertEquals(Vocabulary.STATUS_COMPLETE, status(driver, runId));
            assertEquals(EDGES, counts.get("edges"));
            assertEquals(EDGES, counts.get("distinctPairs"), "no duplicate edges");
            assertEquals(FEATURES, counts.get("features"));
            assertEquals(FEATURES, counts.get("distinctFeatures"), "no duplicate features");
            assertEquals(FEATURES, counts.get("inSae"), "one IN_SAE per feature");
            assertEquals(1, counts.get("runs"));
            assertEquals(EDGES, count(driver, "MATCH (r:Run) RETURN r.edgeCount AS n"));

            assertFalse(ChildIngestMain.load(writer, atlas), "a complete run is not loaded again");
            assertEquals(counts, counts(driver), "loading the same run twice changes nothing");
        }
    }

    /** Starts the ingest in a child JVM and kills it once some but not all edges of the run are committed. */
    private int startAndKillMidRun(Path folder) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ChildIngestMain.class.getName(), folder.toString(), String.valueOf(FEATURES), String.valueOf(EDGES),
                String.valueOf(BATCH)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        int done = -1;
        List<String> seen = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                seen.add(line);
                String[] p = line.split(" ");
                if (p.length == 4 && p[0].equals("PROGRESS") && p[1].startsWith("edges") && Integer.parseInt(p[2]) >= 5 * BATCH) {
                    done = Integer.parseInt(p[2]);
                    child.destroyForcibly();
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
        }
        assertNotEquals(-1, done, "the child never reached the edges: " + String.join("\n", seen));
        return done;
    }

    private static String status(Driver driver, String runId) {
        try (Session s = driver.session()) {
            return s.run("MATCH (r:Run {id: $id}) RETURN r.status AS s", Map.of("id", runId)).single().get("s").asString();
        }
    }

    private static long edges(Driver driver) {
        return count(driver, "MATCH ()-[e:DEPENDS]->() RETURN count(e) AS n");
    }

    private static Map<String, Long> counts(Driver driver) {
        return Map.of(
                "edges", edges(driver),
                "distinctPairs", count(driver, "MATCH (a)-[e:DEPENDS]->(b) WITH DISTINCT a, b RETURN count(*) AS n"),
                "features", count(driver, "MATCH (f:Feature) RETURN count(f) AS n"),
                "distinctFeatures", count(driver, "MATCH (f:Feature) RETURN count(DISTINCT f.index) AS n"),
                "inSae", count(driver, "MATCH (:Feature)-[r:IN_SAE]->(:Sae) RETURN count(r) AS n"),
                "runs", count(driver, "MATCH (r:Run) RETURN count(r) AS n"),
                "nodes", count(driver, "MATCH (n) RETURN count(n) AS n"),
                "relationships", count(driver, "MATCH ()-[r]->() RETURN count(r) AS n"));
    }

    private static long count(Driver driver, String cypher) {
        try (Session s = driver.session()) {
            return s.run(cypher).single().get("n").asLong();
        }
    }
}
