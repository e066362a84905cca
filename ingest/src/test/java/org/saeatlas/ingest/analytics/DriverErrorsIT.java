package org.saeatlas.ingest.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.comparison.ComparisonParameters;
import org.saeatlas.ingest.DemoLoader;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.BoltCypher;
import org.saeatlas.ingest.db.CypherException;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.export.RunExport;

/**
 * Analytics, export and loaders reach Neo4j only through {@link CypherExecutor}: a server that refuses a statement or
 * stops while a command runs gives the project's error (a {@link CypherException} saying what happened), never the
 * driver's exception with a stack trace. Before every caller went through the executor, the run export (which read
 * with its own driver sessions), the demo's "already loaded" check, a match's SAE lookup and the GDS check let the
 * driver's {@code ServiceUnavailableException} through.
 */
class DriverErrorsIT {

    @TempDir
    Path dir;

    @Test
    void aServerThatRejectsOrStopsGivesTheProjectsErrorType() {
        AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"),
                EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "32m"));
        Driver driver = GraphDatabase.driver(db.boltUri(), AuthTokens.none(), Config.builder().withoutEncryption()
                .withConnectionTimeout(2, TimeUnit.SECONDS).withConnectionAcquisitionTimeout(2, TimeUnit.SECONDS)
                .withMaxTransactionRetryTime(1, TimeUnit.SECONDS).build());
        CypherExecutor bolt = new BoltCypher(driver, db.boltUri());
        boolean open = true;
        try {
            assertEquals(1L, bolt.read("RETURN 1 AS n", Map.of()).get(0).get("n"));
            CypherException refused = assertThrows(CypherException.class, () -> bolt.auto("RETURN 1 +", Map.of()));
            assertEquals(CypherException.Kind.CLIENT, refused.kind());
            assertEquals("Neo.ClientError.Statement.SyntaxError", refused.code());

            db.close(); // the server stops while the driver still points at it
            open = false;
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            unavailable(() -> new RunComparison(bolt, quiet).compare("run-a", "run-b", null,
                    ComparisonParameters.defaults()));
            unavailable(() -> new RunAnalysis(bolt, quiet).analyse("run-a", AnalysisParameters.defaults()));
            unavailable(() -> RunExport.write(bolt, "run-a", RunExport.Format.CSV, dir.resolve("run.csv"),
                    Progress.NONE));
            unavailable(() -> new DemoLoader(bolt, quiet).loaded(DemoParameters.small(3)));
            unavailable(() -> new MatchLoader(bolt, quiet).width("sae-a"));
            unavailable(() -> GdsProcedures.require(bolt));
            unavailable(() -> bolt.readEach("MATCH (f:Feature) RETURN f.id AS id", Map.of(), row -> { }));
        } finally {
            driver.close();
            if (open) {
                db.close();
            }
        }
    }

    /** {@code call} fails with the project's "unavailable" error, not a driver exception. */
    private static void unavailable(Executable call) {
        AtlasException e = assertThrows(AtlasException.class, call);
        assertTrue(e instanceof CypherException c && c.kind() == CypherException.Kind.UNAVAILABLE, e.toString());
        assertTrue(e.getMessage().startsWith("the atlas database is unavailable right now"), e.getMessage());
    }
}
