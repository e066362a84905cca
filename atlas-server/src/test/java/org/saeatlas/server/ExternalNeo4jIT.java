package org.saeatlas.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.DemoLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jServerMain;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * The {@code --neo4j-uri} path against a Neo4j in another process (the same embedded DBMS run as a server by
 * {@link Neo4jServerMain}, a real Bolt peer): ingest and GraphQL work over Bolt; when the server is killed GraphQL
 * answers with a clear error, and when it comes back the atlas recovers by itself.
 */
class ExternalNeo4jIT {

    @TempDir
    Path dir;

    @Test
    void ingestAndServeOverBoltSurviveAServerRestart() throws Exception {
        int bolt = EmbeddedNeo4j.freePort();
        int http = EmbeddedNeo4j.freePort();
        Process neo4j = startServer(bolt, http);
        AtlasDatabase db = null;
        AtlasServer server = null;
        try {
            db = AtlasDatabase.open(Neo4jTarget.server("bolt://127.0.0.1:" + bolt, null, null));
            DemoParameters params = DemoParameters.small(3);
            new DemoLoader(db, new PrintStream(new ByteArrayOutputStream())).load(params);
            server = AtlasServer.start(db, "127.0.0.1", EmbeddedNeo4j.freePort(), Map.of());
            GraphQLClient client = new GraphQLClient(server.info().graphql());
            String query = "{ saes { id featureCount } }";
            JsonNode saes = client.data(query, Map.of()).get("saes");
            assertEquals(2, saes.size());
            assertEquals(params.features(), saes.get(0).get("featureCount").asInt());
            assertEquals(null, server.info().browser(), "no Browser URL for a server the atlas does not host");

            neo4j.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            JsonNode down = client.post(query, Map.of());
            assertTrue(down.has("errors"), down.toString());
            String message = down.get("errors").get(0).get("message").asText();
            assertTrue(message.contains("unavailable"), message);
            assertTrue(GraphQLClient.get(server.info().web() + "health").startsWith("503"), "health reports DOWN");

            neo4j = startServer(bolt, http);
            JsonNode again = null;
            for (int attempt = 0; attempt < 30; attempt++) {
                again = client.post(query, Map.of());
                if (!again.has("errors")) {
                    break;
                }
                Thread.sleep(500);
            }
            assertEquals(2, again.get("data").get("saes").size(), "recovered after restart: " + again);
            // loading again over Bolt is a no-op: the demo's runs are already complete
            assertTrue(new DemoLoader(db, new PrintStream(new ByteArrayOutputStream())).loaded(params));
        } finally {
            if (server != null) {
                server.close();
            }
            if (db != null) {
                db.close();
            }
            neo4j.destroy();
            neo4j.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process startServer(int bolt, int http) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Neo4jServerMain.class.getName(),
                dir.resolve("server-db").toString(), String.valueOf(bolt), String.valueOf(http))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("READY ")) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "neo4j-server-output");
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        p.destroyForcibly();
        throw new AssertionError("Neo4j server process did not start:\n" + seen);
    }
}
