package org.saeatlas.ingest.db;

import java.nio.file.Path;
import org.saeatlas.errors.AtlasException;

/**
 * Where the atlas lives: the embedded Neo4j in a data folder (the default), or a Neo4j server reached over Bolt
 * ({@code bolt://}, {@code neo4j://}, {@code neo4j+s://} for a cluster or Aura).
 *
 * @param uri       server URI, or null for the embedded database
 * @param user      server user (ignored for embedded)
 * @param password  server password (ignored for embedded)
 * @param dataDir   folder of the embedded database
 * @param boltPort  Bolt port of the embedded database (0: 7687 if free, else any free port)
 * @param httpPort  HTTP port of the embedded database, where Neo4j Browser lives (0: 7474 if free, else any)
 * @param pageCache page cache size of the embedded database, e.g. "256m"
 */
public record Neo4jTarget(String uri, String user, String password, Path dataDir, int boltPort, int httpPort,
                          String pageCache) {

    public Neo4jTarget {
        if (uri != null && !uri.matches("(bolt|neo4j)(\\+s|\\+ssc)?://.+")) {
            throw new AtlasException("--neo4j-uri: expected bolt://, neo4j://, bolt+s:// or neo4j+s:// followed by a"
                    + " host, found '" + uri + "'");
        }
        if (uri == null && dataDir == null) {
            throw new AtlasException("neo4j: either a server URI or a data folder for the embedded database is needed");
        }
    }

    public boolean embedded() {
        return uri == null;
    }

    public static Neo4jTarget embedded(Path dataDir) {
        return new Neo4jTarget(null, null, null, dataDir, 0, 0, "256m");
    }

    public static Neo4jTarget server(String uri, String user, String password) {
        return new Neo4jTarget(uri, user, password, null, 0, 0, null);
    }
}
