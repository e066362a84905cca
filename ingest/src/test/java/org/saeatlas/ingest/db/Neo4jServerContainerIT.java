package org.saeatlas.ingest.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.DemoLoader;
import org.testcontainers.containers.Neo4jContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The {@code --neo4j-uri} path against the official Neo4j 5.26 server image, with authentication and the Graph Data
 * Science plugin, as the docker compose file runs it. Needs Docker: where there is none, JUnit reports it skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class Neo4jServerContainerIT {

    @Container
    static final Neo4jContainer<?> NEO4J = new Neo4jContainer<>(DockerImageName.parse("neo4j:5.26"))
            .withAdminPassword("atlas-test-password")
            .withPlugins("graph-data-science");

    @Test
    void migratesLoadsAndReloadsIdempotentlyOnANeo4jServer() {
        Neo4jTarget target = Neo4jTarget.server(NEO4J.getBoltUrl(), "neo4j", "atlas-test-password");
        DemoParameters params = DemoParameters.small(4);
        try (AtlasDatabase db = AtlasDatabase.open(target)) {
            DemoLoader loader = new DemoLoader(db, new PrintStream(new ByteArrayOutputStream()));
            assertTrue(loader.load(params));
            assertTrue(loader.loaded(params));
            try (var session = db.driver().session()) {
                long features = session.run("MATCH (f:Feature) RETURN count(f) AS n").single().get("n").asLong();
                assertEquals(2L * params.features(), features);
            }
        }
        try (AtlasDatabase again = AtlasDatabase.open(target)) {
            // migrations are applied once; a second load writes nothing
            DemoLoader loader = new DemoLoader(again, new PrintStream(new ByteArrayOutputStream()));
            assertTrue(!loader.load(params));
        }
    }
}
