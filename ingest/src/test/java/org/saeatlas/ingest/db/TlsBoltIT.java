package org.saeatlas.ingest.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.saeatlas.compute.AtlasException;

/**
 * {@code --neo4j-uri} with the encrypted schemes a cluster or Aura needs, against a real Neo4j that refuses Bolt
 * without TLS: {@code bolt+ssc://} and {@code neo4j+ssc://} (TLS, routing for the second) with the user's password
 * connect, migrate, write and read; a wrong password, a plain {@code bolt://}, TLS to a port without TLS and a
 * {@code bolt+s://} that cannot trust the self-signed certificate fail with an error that names the URI and says
 * what to do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsBoltIT {

    private Path dir;
    private TlsNeo4j neo4j;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("tls-bolt-it");
        neo4j = TlsNeo4j.start(dir);
    }

    @AfterAll
    void stop() throws java.io.IOException {
        if (neo4j != null) {
            neo4j.close();
        }
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
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
        AtlasException e = assertThrows(AtlasException.class,
                () -> AtlasDatabase.open(Neo4jTarget.server(uri, "neo4j", "not-the-password")).close());
        assertTrue(e.getMessage().contains(uri) && e.getMessage().contains("--neo4j-password")
                && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("authentication"), e.getMessage());
    }

    @Test
    void plainBoltToAServerThatRequiresTlsFailsNamingTheUri() {
        String uri = neo4j.uris("bolt").get(0);
        AtlasException e = assertThrows(AtlasException.class,
                () -> AtlasDatabase.open(Neo4jTarget.server(uri, "neo4j", "x")).close());
        assertTrue(e.getMessage().contains(uri) && e.getMessage().contains("encryption")
                && e.getMessage().contains("neo4j+s://"), e.getMessage());
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
            AtlasException e = assertThrows(AtlasException.class,
                    () -> AtlasDatabase.open(Neo4jTarget.server(uri, "neo4j", "x")).close());
            assertTrue(e.getMessage().contains(uri) && e.getMessage().contains("TLS handshake failed"),
                    e.getMessage());
        }
    }

    @Test
    void anUntrustedCertificateFailsSayingHowToTrustIt() {
        String uri = neo4j.uris("bolt+s").get(0);
        AtlasException e = assertThrows(AtlasException.class,
                () -> AtlasDatabase.open(Neo4jTarget.server(uri, "neo4j", "x")).close());
        assertTrue(e.getMessage().contains(uri) && e.getMessage().contains("bolt+ssc://")
                && e.getMessage().contains("not trusted"), e.getMessage());
    }
}
