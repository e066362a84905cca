package org.saeatlas.ingest.db;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.saeatlas.errors.AtlasException;

/**
 * The one way to the atlas's Neo4j, embedded or server: a Bolt driver (for tools and code that speak Bolt), a
 * {@link CypherExecutor} for the atlas's own reads and writes (in-process through the embedded database's
 * transactions when it is embedded, the driver otherwise), the embedded DBMS when there is one, and the schema
 * migrations applied on open, idempotently.
 */
public final class AtlasDatabase implements AutoCloseable {

    private final Driver driver;
    private final EmbeddedNeo4j embedded;
    private final String boltUri;
    private final CypherExecutor cypher;
    private double startSeconds = Double.NaN;
    private double migrateSeconds = Double.NaN;

    private AtlasDatabase(Driver driver, EmbeddedNeo4j embedded, String boltUri) {
        this.driver = driver;
        this.embedded = embedded;
        this.boltUri = boltUri;
        this.cypher = embedded != null ? new InProcessCypher(embedded.database()) : new BoltCypher(driver, boltUri);
    }

    /** Opens (starting the embedded DBMS if needed), checks connectivity and applies pending migrations. */
    public static AtlasDatabase open(Neo4jTarget target) {
        long t0 = System.nanoTime();
        EmbeddedNeo4j embedded = null;
        String uri = target.uri();
        if (target.embedded()) {
            embedded = EmbeddedNeo4j.start(target.dataDir(), target.boltPort(), target.httpPort(), target.pageCache());
            uri = embedded.boltUri();
        }
        // fail fast when the server is away (clear errors, then recovery by reconnecting) instead of retrying 30 s
        Config.ConfigBuilder builder = Config.builder()
                .withConnectionAcquisitionTimeout(10, TimeUnit.SECONDS)
                .withConnectionTimeout(3, TimeUnit.SECONDS)
                .withMaxTransactionRetryTime(3, TimeUnit.SECONDS)
                .withMaxConnectionPoolSize(64);
        Config config = uri.contains("+s") ? builder.build() : builder.withoutEncryption().build();
        Driver driver = target.embedded() || target.user() == null || target.password() == null
                ? GraphDatabase.driver(uri, AuthTokens.none(), config)
                : GraphDatabase.driver(uri, AuthTokens.basic(target.user(), target.password()), config);
        AtlasDatabase db = new AtlasDatabase(driver, embedded, uri);
        try {
            driver.verifyConnectivity();
            long t1 = System.nanoTime();
            db.migrate();
            db.startSeconds = (t1 - t0) / 1e9;
            db.migrateSeconds = (System.nanoTime() - t1) / 1e9;
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e instanceof AtlasException ae ? ae : new AtlasException("Neo4j at " + uri + " is not usable: "
                    + e.getMessage() + (target.embedded() ? "" : hint(uri, e)), e);
        }
    }

    /** What to try when a server cannot be used: TLS first (certificates, schemes), then the usual suspects. */
    static String hint(String uri, Throwable e) {
        boolean handshake = false;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.neo4j.driver.exceptions.AuthenticationException) {
                return " (check --neo4j-user and --neo4j-password)";
            }
            if (c instanceof java.security.cert.CertificateException
                    || c instanceof java.security.cert.CertPathValidatorException
                    || String.valueOf(c.getMessage()).contains("PKIX")) {
                return " (the server's TLS certificate is not trusted here: for a self-signed certificate use"
                        + " bolt+ssc:// or neo4j+ssc://; for one of your own CA, add the CA to the JVM's trust store;"
                        + " Aura's certificates are trusted as they are)";
            }
            handshake |= c instanceof javax.net.ssl.SSLException
                    || String.valueOf(c.getMessage()).contains("SSL handshake");
        }
        if (handshake) {
            return " (the TLS handshake failed: is TLS on for this port? a server without TLS needs bolt:// or"
                    + " neo4j://)";
        }
        String scheme = uri.substring(0, uri.indexOf("://"));
        String tls = scheme.contains("+") ? "" : "; a server that requires TLS, as Aura and most clusters do, needs"
                + " neo4j+s://, or bolt+ssc:// / neo4j+ssc:// for a self-signed certificate";
        return " (check --neo4j-uri, --neo4j-user and --neo4j-password" + tls + ")";
    }

    /** Applies the schema migrations of the schema module ({@link SchemaMigrations}); one read when up to date. */
    public void migrate() {
        SchemaMigrations.apply(cypher);
    }

    /** Seconds {@link #open} took to start the embedded DBMS (if any) and connect. */
    public double startSeconds() {
        return startSeconds;
    }

    /** Seconds {@link #open} took to apply the migrations (creating constraints populates their indexes). */
    public double migrateSeconds() {
        return migrateSeconds;
    }

    /**
     * The Bolt driver, for what must speak Bolt itself (the server's health check of the Bolt port, the naive-ingest
     * benchmark baseline, tests of what a Bolt client sees). The atlas's own reads and writes go through
     * {@link #cypher()}, so that driver errors never reach callers as the driver's exceptions.
     */
    public Driver driver() {
        return driver;
    }

    /**
     * Where the atlas's reads and writes go: in-process when the database is embedded (same Cypher, same rows,
     * no Bolt round trip), over the driver for a server.
     */
    public CypherExecutor cypher() {
        return cypher;
    }

    /** The same statements over Bolt even when embedded (for comparisons and tests of the server path). */
    public CypherExecutor boltCypher() {
        return new BoltCypher(driver, boltUri);
    }

    public boolean embedded() {
        return embedded != null;
    }

    public String boltUri() {
        return boltUri;
    }

    /** Neo4j Browser's URL when the database is embedded. */
    public Optional<String> browserUrl() {
        return Optional.ofNullable(embedded).map(EmbeddedNeo4j::browserUrl);
    }

    @Override
    public void close() {
        try {
            driver.close();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
