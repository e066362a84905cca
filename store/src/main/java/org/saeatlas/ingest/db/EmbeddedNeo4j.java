package org.saeatlas.ingest.db;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.saeatlas.errors.AtlasException;

/**
 * An embedded Neo4j 5 DBMS in a data folder, with Bolt (for the driver, Browser and any client) and HTTP (Neo4j
 * Browser at {@code /browser/}) on loopback, sized for a laptop. Authentication is off: it only listens on
 * 127.0.0.1.
 */
public final class EmbeddedNeo4j implements AutoCloseable {

    private final DatabaseManagementService dbms;
    private final int boltPort;
    private final int httpPort;
    private final java.util.List<EmbeddedProcedures.Registration> procedures;

    private EmbeddedNeo4j(DatabaseManagementService dbms, int boltPort, int httpPort,
                          java.util.List<EmbeddedProcedures.Registration> procedures) {
        this.dbms = dbms;
        this.boltPort = boltPort;
        this.httpPort = httpPort;
        this.procedures = procedures;
    }

    public static EmbeddedNeo4j start(Path dataDir, int boltPort, int httpPort, String pageCache) {
        int bolt = boltPort > 0 ? boltPort : preferredOrFree(7687);
        int http = httpPort > 0 ? httpPort : preferredOrFree(7474);
        try {
            return start(dataDir, bolt, http, pageCache, boltPort > 0 && httpPort > 0);
        } catch (PortTaken e) {
            // an automatically chosen port was taken between the probe and the bind: take any free ones
            return start(dataDir, boltPort > 0 ? boltPort : freePort(), httpPort > 0 ? httpPort : freePort(),
                    pageCache, true);
        }
    }

    private static final class PortTaken extends RuntimeException {
        PortTaken(Throwable cause) {
            super(cause);
        }
    }

    private static EmbeddedNeo4j start(Path dataDir, int bolt, int http, String pageCache, boolean lastTry) {
        // Bolt on port 0 would bind but advertise 7687 to Browser: pick the port first, set listen and advertised
        SocketAddress boltAddress = new SocketAddress("127.0.0.1", bolt);
        SocketAddress httpAddress = new SocketAddress("127.0.0.1", http);
        try {
            DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(dataDir.toAbsolutePath())
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, boltAddress)
                    .setConfig(BoltConnector.advertised_address, boltAddress)
                    .setConfig(HttpConnector.enabled, true)
                    .setConfig(HttpConnector.listen_address, httpAddress)
                    .setConfig(HttpConnector.advertised_address, httpAddress)
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, org.neo4j.io.ByteUnit.parse(pageCache))
                    .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10))
                    // Graph Data Science (registered below) needs unrestricted access to the kernel
                    .setConfig(GraphDatabaseSettings.procedure_unrestricted, java.util.List.of("gds.*"))
                    // shutdown in well under a second instead of ~10 s
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(1))
                    .build();
            // procedures from the layers above (GDS, from analytics) join in the background: most commands never call
            // them, and analytics wait for them
            return new EmbeddedNeo4j(dbms, bolt, http, java.util.ServiceLoader.load(EmbeddedProcedures.class).stream()
                    .map(p -> p.get().register(dbms)).toList());
        } catch (RuntimeException e) {
            if (!lastTry && String.valueOf(rootMessage(e)).contains("Address already in use")) {
                throw new PortTaken(e);
            }
            String cause = String.valueOf(rootMessage(e));
            String hint = cause.contains("Address already in use")
                    ? "port " + bolt + " (Bolt) or " + http + " (HTTP) is taken: choose others with --bolt-port and --neo4j-http-port"
                    : "is another atlas using this data folder? stop it or choose another with --data";
            throw new AtlasException("embedded Neo4j in " + dataDir + " did not start: " + cause + " (" + hint + ")", e);
        }
    }

    public String boltUri() {
        return "bolt://127.0.0.1:" + boltPort;
    }

    public String browserUrl() {
        return "http://127.0.0.1:" + httpPort + "/browser/?dbms=" + boltUri() + "&preselectAuthMethod=NO_AUTH";
    }

    /** The default database, for in-process transactions. */
    public org.neo4j.kernel.internal.GraphDatabaseAPI database() {
        return (org.neo4j.kernel.internal.GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    }

    public DatabaseManagementService dbms() {
        return dbms;
    }

    @Override
    public void close() {
        procedures.forEach(EmbeddedProcedures.Registration::cancelAndAwait);
        dbms.shutdown();
    }

    static int preferredOrFree(int port) {
        return preferredOrFree("127.0.0.1", port);
    }

    /** {@code port} when it is free on {@code host}, otherwise a free port chosen by the OS. */
    public static int preferredOrFree(String host, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, port));
            return port;
        } catch (IOException busy) {
            return freePort();
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AtlasException("no free TCP port on loopback: " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
