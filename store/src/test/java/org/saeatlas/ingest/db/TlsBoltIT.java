package org.saeatlas.ingest.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.errors.AtlasException;

/**
 * {@code --neo4j-uri} with the encrypted schemes a cluster or Aura needs, against a real Neo4j that refuses Bolt
 * without TLS: {@code bolt+ssc://} and {@code neo4j+ssc://} (TLS, routing for the second) with the user's password
 * connect, migrate, write and read; a wrong password, a plain {@code bolt://}, TLS to a port without TLS and a
 * {@code bolt+s://} that cannot trust the self-signed certificate fail with an error that names the URI and says
 * what to do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsBoltIT {

    @TempDir
    static Path dir;
    private TlsNeo4j neo4j;

    @BeforeAll
    void start() throws Exception {
        neo4j = TlsNeo4j.start(dir);
    }

    @AfterAll
    void stop() {
        if (neo4j != null) {
            neo4j.close();
        }
    }

    /** The message of the error opening {@code uri} with {@code password} fails with. */
    private static String refusal(String uri, String password) {
        return assertThrows(AtlasException.class,
                () -> AtlasDatabase.open(Neo4jTarget.server(uri, "neo4j", password)).close()).getMessage();
    }

    @Test
    void encryptedSchemesConnectMigrateWriteAndRead() {
        long n = 0;
        for (String uri : neo4j.uris("bolt+ssc", "neo4j+ssc")) {
            try (AtlasDatabase db = AtlasDatabase.open(Neo4jTarget.server(uri, "neo4j", TlsNeo4j.PASSWORD))) {
                assertFalse(db.embedded());
                assertEquals(SchemaMigrations.bundled().size(), ((Number) db.cypher().read(
                        "MATCH (m:__AtlasMigration) RETURN count(m) AS n", Map.of()).get(0).get("n")).intValue(), uri);
                db.cypher().write("CREATE (:Probe {uri: $uri})", Map.of("uri", uri));
                n++;
                assertEquals(List.of(Map.of("n", n)), db.cypher().read("MATCH (p:Probe) RETURN count(p) AS n",
                        Map.of()), uri);
            }
        }
    }

    @Test
    void aWrongPasswordFailsNamingTheUriAndTheOptions() {
        String uri = neo4j.uris("neo4j+ssc").get(0);
        String message = refusal(uri, "not-the-password");
        assertTrue(message.contains(uri) && message.contains("--neo4j-password")
                && message.toLowerCase(java.util.Locale.ROOT).contains("authentication"), message);
    }

    @Test
    void plainBoltToAServerThatRequiresTlsFailsNamingTheUri() {
        String uri = neo4j.uris("bolt").get(0);
        String message = refusal(uri, "x");
        assertTrue(message.contains(uri) && message.contains("encryption") && message.contains("neo4j+s://"),
                message);
    }

    @Test
    void tlsToAServerWithoutTlsFailsSayingSo() throws Exception {
        // a port that takes the connection and closes it, as a server without TLS does on a TLS client hello
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        try (java.net.ServerSocket plain = new java.net.ServerSocket(0, 50, loopback)) {
            Thread closer = new Thread(() -> {
                while (!plain.isClosed()) {
                    try (java.net.Socket s = plain.accept()) {
                        s.getInputStream().read(new byte[64]);
                    } catch (java.io.IOException ignored) {
                        // closed at the end of the test
                    }
                }
            });
            closer.setDaemon(true);
            closer.start();
            String uri = "bolt+ssc://127.0.0.1:" + plain.getLocalPort();
            String message = refusal(uri, "x");
            assertTrue(message.contains(uri) && message.contains("TLS handshake failed"), message);
        }
    }

    @Test
    void anUntrustedCertificateFailsSayingHowToTrustIt() {
        String uri = neo4j.uris("bolt+s").get(0);
        String message = refusal(uri, "x");
        assertTrue(message.contains(uri) && message.contains("bolt+ssc://") && message.contains("not trusted"),
                message);
    }
}
