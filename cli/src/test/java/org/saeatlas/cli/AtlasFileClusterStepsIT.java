package org.saeatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.atlas.DemoFiles;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.server.AtlasServer;

/**
 * The "done when", locally: an atlas file with two generated models, three layers and two seeds per layer,
 * computed task by task as a cluster's job array would ({@code ./atlas task --index I --out RESULTS}), loaded with
 * {@code ./atlas load --from RESULTS}, and its matches and comparisons served by GraphQL.
 */
class AtlasFileClusterStepsIT {

    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    static String saeYaml(String model, int layer, int seed, DemoParameters p) {
        String id = DemoFiles.saeId(model, p, layer, seed);
        return "      - id: " + id + "\n        layer: " + layer + "\n        seed: " + seed + "\n        inputs:\n"
                + "          saelens: " + model + "/saes/" + id + "\n          activations: " + model + "/activations/"
                + id + ".npz\n          explanations: " + model + "/explanations/" + id + ".jsonl\n";
    }

    @Test
    void twoModelsThreeLayersTwoSeedsBuildTaskByTaskAndAreServed() throws Exception {
        DemoParameters p = new DemoParameters(9, 128, 5_000, 16, 3, 2, 2, 0.8);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        StringBuilder y = new StringBuilder("defaults:\n  communities: false\n  resamples: 10\nmodels:\n");
        for (String model : List.of("lm-a", "lm-b")) {
            DemoFiles.write(dir.resolve(model), p, 3, model, quiet);
            y.append("  - id: ").append(model).append("\n    saes:\n");
            for (int layer = 0; layer < 3; layer++) {
                for (int seed = 0; seed < 2; seed++) {
                    y.append(saeYaml(model, layer, seed, p));
                }
            }
        }
        y.append("matches:\n  seeds: same layer\ncomparisons:\n  seeds: same layer\n");
        Path file = dir.resolve("atlas.yaml");
        Files.writeString(file, y.toString());
        Path results = dir.resolve("results");
        Path data = dir.resolve("data");

        for (int i = 0; i < 12; i++) {
            AtlasCli.Run t = AtlasCli.run("task", file.toString(), "--index", String.valueOf(i),
                    "--out", results.toString(), "--device", "java", "--data", data.toString());
            assertEquals(0, t.exit(), t.out() + t.err());
        }
        AtlasCli.Run outOfRange = AtlasCli.run("task", file.toString(), "--index", "12", "--out",
                results.toString(), "--device", "java", "--data", data.toString());
        assertEquals(2, outOfRange.exit());
        assertTrue(outOfRange.err().contains("expected a compute task index in 0..11"), outOfRange.err());

        AtlasCli.Run load = AtlasCli.run("load", file.toString(), "--from", results.toString(),
                "--data", data.toString(), "--device", "java", "--bolt-port", String.valueOf(EmbeddedNeo4j.freePort()),
                "--neo4j-http-port", String.valueOf(EmbeddedNeo4j.freePort()));
        assertEquals(0, load.exit(), load.out() + load.err());
        AtlasCli.Run status = AtlasCli.run("status", file.toString(), "--results",
                results.toString());
        assertTrue(status.out().contains("24 built, 0 stale, 0 failed, 0 missing"), status.out());

        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, data.resolve("neo4j"),
                EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "64m"));
             AtlasServer server = AtlasServer.start(db, "127.0.0.1", EmbeddedNeo4j.freePort(), Map.of())) {
            String url = server.info().graphql();
            assertEquals(12, data(url, "{ saes { id } }").get("saes").size());
            JsonNode comparisons = data(url, "{ comparisons { runA runB matchRun matchedFeatures edgeJaccard } }")
                    .get("comparisons");
            assertEquals(6, comparisons.size(), comparisons.toString());
            for (JsonNode c : comparisons) {
                assertNotNull(c.get("matchRun").textValue(), c.toString());
                assertTrue(c.get("matchedFeatures").asInt() > 64, c.toString());
            }
            for (String model : List.of("lm-a", "lm-b")) {
                for (int layer = 0; layer < 3; layer++) {
                    String a = DemoFiles.saeId(model, p, layer, 0);
                    String b = DemoFiles.saeId(model, p, layer, 1);
                    int matched = 0;
                    for (int f = 0; f < 20; f++) {
                        JsonNode n = data(url, "{ feature(sae: \"" + a + "\", index: " + f + ") {"
                                + " neighbours(kind: MATCH, first: 5) { feature { id } weight } } }")
                                .get("feature").get("neighbours");
                        Set<String> saes = new HashSet<>();
                        for (JsonNode x : n) {
                            saes.add(x.get("feature").get("id").asText().split("/")[0]);
                        }
                        if (!saes.isEmpty()) {
                            matched++;
                            assertEquals(Set.of(b), saes, "matches of " + a + "/" + f + " are in the other seed");
                        }
                    }
                    assertTrue(matched >= 10, a + ": " + matched + " of 20 features matched (80% are shared)");
                }
            }
        }
    }

    static JsonNode data(String url, String query) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertTrue(!body.has("errors"), r.body());
        return body.get("data");
    }
}
