package org.saeatlas.ingest.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.configuration.ssl.ClientAuth;
import org.neo4j.configuration.ssl.SslPolicyConfig;
import org.neo4j.configuration.ssl.SslPolicyScope;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * A Neo4j that accepts Bolt only over TLS and only with a password (user {@code neo4j}, {@link #PASSWORD}), with
 * a self-signed certificate made here by the JDK's {@code keytool} (a cluster or Aura requires TLS too, though with a
 * certificate a public CA signed): the peer of the tests of {@code bolt+ssc://} and {@code neo4j+ssc://}.
 */
final class TlsNeo4j implements AutoCloseable {

    static final String PASSWORD = "atlas-tls-test";

    final DatabaseManagementService dbms;
    final int boltPort;

    private TlsNeo4j(DatabaseManagementService dbms, int boltPort) {
        this.dbms = dbms;
        this.boltPort = boltPort;
    }

    static TlsNeo4j start(Path dir) throws IOException, InterruptedException {
        Path certificates = dir.resolve("certificates");
        selfSignedCertificate(certificates);
        int port = EmbeddedNeo4j.freePort();
        SocketAddress bolt = new SocketAddress("127.0.0.1", port);
        SslPolicyConfig policy = SslPolicyConfig.forScope(SslPolicyScope.BOLT);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(dir.resolve("neo4j").toAbsolutePath())
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.REQUIRED)
                .setConfig(policy.enabled, true)
                .setConfig(policy.base_directory, certificates.toAbsolutePath())
                .setConfig(policy.client_auth, ClientAuth.NONE)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, org.neo4j.io.ByteUnit.mebiBytes(64))
                .build();
        // as on a server: authentication on, the user's password set by an administrator
        try (var tx = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).beginTx()) {
            tx.execute("ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", java.util.Map.of("password",
                    PASSWORD)).close();
            tx.commit();
        } catch (RuntimeException e) {
            dbms.shutdown();
            throw e;
        }
        return new TlsNeo4j(dbms, port);
    }

    /** {@code private.key} (PKCS#8) and {@code public.crt} (X.509) in PEM, for localhost and 127.0.0.1. */
    private static void selfSignedCertificate(Path folder) throws IOException, InterruptedException {
        Files.createDirectories(folder.resolve("trusted"));
        Files.createDirectories(folder.resolve("revoked"));
        Path store = folder.resolve("bolt.p12");
        char[] password = "changeit".toCharArray();
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "bolt", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(password)).redirectErrorStream(true)
                .redirectOutput(folder.resolve("keytool.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool failed: " + Files.readString(folder.resolve("keytool.log")));
        }
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password);
            Key key = ks.getKey("bolt", password);
            Certificate certificate = ks.getCertificate("bolt");
            Files.writeString(folder.resolve("private.key"), pem("PRIVATE KEY", key.getEncoded()));
            Files.writeString(folder.resolve("public.crt"), pem("CERTIFICATE", certificate.getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    List<String> uris(String... schemes) {
        return java.util.Arrays.stream(schemes).map(s -> s + "://127.0.0.1:" + boltPort).toList();
    }

    @Override
    public void close() {
        dbms.shutdown();
    }
}
