package org.saeatlas.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.InProcessCypher;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * The server's reader cannot write, on either path: a write statement sent through it (in-process on the embedded
 * database, and over Bolt) fails with an error that says the server only reads, and the database is unchanged; so
 * does a write attempted in one of the in-process Core API reads.
 */
class AtlasReaderReadOnlyIT {

    @Test
    void aWriteThroughTheReaderFailsClearlyAndChangesNothing() throws Exception {
        Path dir = Files.createTempDirectory("reader-read-only");
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"),
                EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "32m"))) {
            db.cypher().write("CREATE (:Model {id: 'm', name: 'original'})", Map.of());
            assertInstanceOf(InProcessCypher.class, db.cypher());
            // the Core API reads of the in-process path run in the same read-only transactions
            var refused = assertThrows(org.saeatlas.ingest.db.CypherException.class, () -> ((InProcessCypher) db.cypher())
                    .readCore(tx -> tx.createNode(org.neo4j.graphdb.Label.label("Model"))));
            assertTrue(refused.code() != null && refused.code().endsWith("Security.Forbidden"), refused.getMessage());
            for (CypherExecutor path : List.of(db.cypher(), db.boltCypher())) {
                AtlasReader reader = new AtlasReader(path, Duration.ofSeconds(10));
                assertEquals(List.of(new Model("m", "original")), reader.catalogue().models());
                long before = reader.queryCount();
                for (String write : List.of("MATCH (m:Model) SET m.name = 'changed' RETURN m.id AS id",
                        "CREATE (:Model {id: 'intruder'})", "MATCH (m:Model) DETACH DELETE m")) {
                    AtlasException e = assertThrows(AtlasException.class, () -> reader.statements().query(write, Map.of()));
                    assertTrue(e.getMessage().startsWith("the atlas server only reads"), path.describe() + ": "
                            + e.getMessage());
                }
                assertEquals(before + 3, reader.queryCount(), "each attempt is one round trip");
                assertEquals(List.of(new Model("m", "original")), reader.catalogue().models(),
                        "nothing changed through " + path.describe());
            }
        } finally {
            org.neo4j.io.fs.FileUtils.deleteDirectory(dir);
        }
    }
}
