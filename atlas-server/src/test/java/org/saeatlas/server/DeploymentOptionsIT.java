package org.saeatlas.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;

/** The bearer token and CORS settings of a deployed server, over real HTTP. */
class DeploymentOptionsIT {

    @TempDir
    Path dir;

    @Test
    void tokenGuardsTheApiAndCorsAllowsOnlyConfiguredOrigins() throws Exception {
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir, EmbeddedNeo4j.freePort(),
                EmbeddedNeo4j.freePort(), "32m"));
             AtlasServer server = AtlasServer.start(db, "127.0.0.1", EmbeddedNeo4j.freePort(), Map.of(
                     "atlas.token", "s3cret",
                     "micronaut.server.cors.enabled", true,
                     "micronaut.server.cors.configurations.api.allowed-origins", List.of("https://lab.example.org")))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String body = "{\"query\":\"{ models { id } }\"}";
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(server.info().graphql()))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> none = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode());
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").contains("missing or wrong bearer token"),
                    none.headers().map().toString());
            HttpResponse<String> wrong = http.send(post.copy().header("Authorization", "Bearer nope").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());
            HttpResponse<String> ok = http.send(post.copy().header("Authorization", "Bearer s3cret").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(ok.body().contains("\"models\":[]"), ok.body());
            // static UI and health stay open
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(server.info().web() + "health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            HttpRequest preflight = HttpRequest.newBuilder(URI.create(server.info().graphql()))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://lab.example.org")
                    .header("Access-Control-Request-Method", "POST").build();
            HttpResponse<String> allowed = http.send(preflight, HttpResponse.BodyHandlers.ofString());
            assertEquals("https://lab.example.org",
                    allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            HttpRequest other = HttpRequest.newBuilder(URI.create(server.info().graphql()))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://evil.example.com")
                    .header("Access-Control-Request-Method", "POST").build();
            HttpResponse<String> refused = http.send(other, HttpResponse.BodyHandlers.ofString());
            assertTrue(refused.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "no CORS for other origins");
        }
    }
}
