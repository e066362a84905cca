package org.saeatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.atlas.DemoFiles;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.server.AtlasServer;

/**
 * An atlas file's connections train the nonlinear baseline on the build's engine: DJL's PyTorch engine with
 * {@code --device cpu} (pure Java with {@code --device java}: {@code DjlMlpBaselineTest}); the stored run says which,
 * and it finds the planted connections between two generated layers and evaluates their linearity.
 */
class AtlasFileConnectionsBaselineIT {

    @TempDir
    static Path dir;

    @Test
    void theConnectionRunsBaselineFollowsTheBuildsDevice() throws Exception {
        DemoParameters p = new DemoParameters(13, 128, 3_000, 16, 3, 2, 2, 0.8);
        DemoFiles.write(dir.resolve("lm"), p, 2, "lm", new PrintStream(new ByteArrayOutputStream()));
        StringBuilder y = new StringBuilder("defaults:\n  communities: false\n  dependence: false\nmodels:\n"
                + "  - id: lm\n    saes:\n");
        for (int layer = 0; layer < 2; layer++) {
            y.append(AtlasFileClusterStepsIT.saeYaml("lm", layer, 0, p));
        }
        y.append("connections:\n  layers: adjacent\n");
        Path file = dir.resolve("atlas.yaml");
        Files.writeString(file, y.toString());
        for (String[] device : new String[][] {{"cpu", "djl-pytorch-mlp"}}) {
            Path data = dir.resolve("data-" + device[0]);
            AtlasCli.Run r = AtlasCli.run("build", file.toString(), "--data", data.toString(), "--device", device[0],
                    "--jobs", "1", "--bolt-port", String.valueOf(EmbeddedNeo4j.freePort()), "--neo4j-http-port",
                    String.valueOf(EmbeddedNeo4j.freePort()));
            assertEquals(0, r.exit(), r.out() + r.err());
            try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, data.resolve("neo4j"),
                    EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "64m"));
                 AtlasServer server = AtlasServer.start(db, "127.0.0.1", EmbeddedNeo4j.freePort(), Map.of())) {
                JsonNode runs = AtlasFileClusterStepsIT.data(server.info().graphql(),
                        "{ runs { id kind baseline stableConnections linearEvaluated } }").get("runs");
                JsonNode connection = null;
                for (JsonNode run : runs) {
                    if (run.get("kind").asText().equals("connection")) {
                        assertEquals(null, connection, "one connection run: " + runs);
                        connection = run;
                    }
                }
                assertTrue(connection != null, runs.toString());
                assertEquals(device[1], connection.get("baseline").asText(), "--device " + device[0]);
                assertTrue(connection.get("linearEvaluated").asInt() > 0, connection.toString());
                assertTrue(connection.get("stableConnections").asInt() > 0, "layer 1 reads layer 0: " + connection);
            }
        }
    }
}
