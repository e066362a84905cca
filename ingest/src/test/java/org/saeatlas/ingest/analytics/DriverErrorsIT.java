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
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.saeatlas.compute.AtlasException;
import org.saeatlas.compute.comparison.ComparisonParameters;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.CypherException;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * Analytics talk to Neo4j through the Bolt driver: a server that refuses a statement or stops while a command runs
 * must give the project's error (a {@link CypherException} saying what happened), not the driver's exception with
 * a stack trace, as it did for everything outside GdsCommunities.
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
        boolean open = true;
        try {
            Statements statements = new Statements(driver);
            assertEquals(1L, statements.read("RETURN 1 AS n", Map.of()).get(0).get("n").asLong());
            CypherException refused = assertThrows(CypherException.class,
                    () -> statements.read("RETURN 1 +", Map.of()));
            assertEquals(CypherException.Kind.CLIENT, refused.kind());
            assertEquals("Neo.ClientError.Statement.SyntaxError", refused.code());

            db.close(); // the server stops while the driver still points at it
            open = false;
            AtlasException stopped = assertThrows(AtlasException.class, () -> new RunComparison(driver,
                    new PrintStream(OutputStream.nullOutputStream())).compare("run-a", "run-b", null,
                    ComparisonParameters.defaults()));
            assertTrue(stopped instanceof CypherException c && c.kind() == CypherException.Kind.UNAVAILABLE,
                    stopped.toString());
            assertTrue(stopped.getMessage().startsWith("the atlas database is unavailable right now"),
                    stopped.getMessage());
            AtlasException analysis = assertThrows(AtlasException.class, () -> new RunAnalysis(driver,
                    new PrintStream(OutputStream.nullOutputStream())).analyse("run-a",
                    AnalysisParameters.defaults()));
            assertTrue(analysis.getMessage().contains("unavailable"), analysis.getMessage());
        } finally {
            driver.close();
            if (open) {
                db.close();
            }
        }
    }
}
