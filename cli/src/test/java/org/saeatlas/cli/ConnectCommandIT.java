package org.saeatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.cli.AtlasCli.Run;
import org.saeatlas.compute.connections.PlantedLayers;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.CypherRow;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.formats.ScipySparseNpz;

/**
 * {@code ./atlas connect} as a user runs it: two SAEs built from planted layers' activation files, connected with the
 * Java baseline; what it prints is what it stored, a second run changes nothing, and bad input exits 2 naming it.
 */
class ConnectCommandIT {

    static final PlantedLayers PLANTED = PlantedLayers.generate(new PlantedLayers.Spec(4000, 60, 6, 8, 3, 2, 1, 1, 4,
            5));

    @TempDir
    Path dir;

    @Test
    void connectsTwoBuiltSaesAndPrintsWhatItStored() throws Exception {
        Path data = dir.resolve("data");
        int bolt = EmbeddedNeo4j.freePort();
        int http = EmbeddedNeo4j.freePort();
        Path up = dir.resolve("l0.npz");
        Path down = dir.resolve("l1.npz");
        ScipySparseNpz.write(up, PLANTED.upstream(), true);
        ScipySparseNpz.write(down, PLANTED.downstream(), true);
        for (String[] sae : new String[][] {{"l0", "0", up.toString()}, {"l1", "1", down.toString()}}) {
            Run b = AtlasCli.run(AtlasCli.withDatabase(data, bolt, http, "build", "--device", "java", "--model", "m",
                    "--sae", sae[0], "--layer", sae[1], "--activations", sae[2], "--no-dependence"));
            assertEquals(0, b.exit(), b.out() + b.err());
        }
        String[] connect = {"connect", "l0", "l1", "--activations-a", up.toString(), "--activations-b",
            down.toString(), "--resamples", "4", "--threads", "2", "--baseline", "java"};
        Run c = AtlasCli.run(AtlasCli.withDatabase(data, bolt, http, connect));
        assertEquals(0, c.exit(), c.out() + c.err());
        Matcher run = Pattern.compile("(?m)^connection run (connection-\\S+)$").matcher(c.out());
        assertTrue(run.find(), c.out());
        String runId = run.group(1);
        // the table's row: upstream, downstream, connections, stable, linear/evaluated, share
        Matcher row = Pattern.compile("(?m)^l0\\s+l1\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)/(\\d+)\\s+").matcher(c.out());
        assertTrue(row.find(), c.out());
        long printed = Long.parseLong(row.group(1));
        long printedStable = Long.parseLong(row.group(2));
        assertTrue(printed > 0 && printedStable > 0, c.out());

        Run again = AtlasCli.run(AtlasCli.withDatabase(data, bolt, http, connect));
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("connection run " + runId + " (l0 -> l1) already loaded"), again.out());
        assertTrue(again.out().contains("connection run " + runId + "\n"), again.out());

        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, data.resolve("neo4j"), bolt,
                http, "64m"))) {
            CypherRow r = CypherRow.of(db.cypher().read("""
                    MATCH (r:Run {id: $run})
                    RETURN r.status AS status, r.edgeCount AS edges, r.stableConnections AS stable,
                           COUNT { ()-[c:CONNECTS {run: $run}]->() } AS stored,
                           COUNT { ()-[c:CONNECTS {run: $run, stable: true}]->() } AS storedStable""",
                    Map.of("run", runId))).get(0);
            assertEquals("complete", r.string("status"));
            assertEquals(printed, r.asLong("edges"));
            assertEquals(printed, r.asLong("stored"));
            assertEquals(printedStable, r.asLong("storedStable"));
        }
    }

    @Test
    void badInputExitsTwoNamingIt() {
        Path data = dir.resolve("data");
        Run baseline = AtlasCli.run(AtlasCli.withDatabase(data, EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(),
                "connect", "a", "b", "--activations-a", "x.npz", "--activations-b", "y.npz", "--baseline", "gpu"));
        assertEquals(2, baseline.exit(), baseline.out() + baseline.err());
        assertTrue(baseline.err().contains("--baseline: expected auto, djl or java, found 'gpu'"), baseline.err());
        Path missing = dir.resolve("missing.npz");
        Run file = AtlasCli.run(AtlasCli.withDatabase(data, EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(),
                "connect", "a", "b", "--activations-a", missing.toString(), "--activations-b", "y.npz", "--baseline",
                "java"));
        assertEquals(2, file.exit(), file.out() + file.err());
        assertTrue(file.err().contains(missing.toString()), file.err());
    }
}
