package org.saeatlas.cli;

import java.nio.file.Path;
import org.saeatlas.ingest.db.Neo4jTarget;
import picocli.CommandLine.Option;

/** Where the atlas's Neo4j is: the embedded database in {@code --data} unless {@code --neo4j-uri} names a server. */
public class DatabaseOptions {

    @Option(names = "--data", defaultValue = "${env:ATLAS_DATA:-atlas-data}",
            description = "Folder of the embedded Neo4j database and of generated files (default: ${DEFAULT-VALUE}; env ATLAS_DATA).")
    Path data;

    @Option(names = "--neo4j-uri", defaultValue = "${env:NEO4J_URI}",
            description = "Use this Neo4j server instead of the embedded database: bolt://host:7687, neo4j://..., neo4j+s://... for a cluster or Aura (env NEO4J_URI).")
    String uri;

    @Option(names = "--neo4j-user", defaultValue = "${env:NEO4J_USER:-neo4j}",
            description = "User for --neo4j-uri (default: ${DEFAULT-VALUE}; env NEO4J_USER).")
    String user;

    @Option(names = "--neo4j-password", defaultValue = "${env:NEO4J_PASSWORD}", arity = "0..1", interactive = false,
            description = "Password for --neo4j-uri (env NEO4J_PASSWORD; prefer the variable to keep it out of shell history).")
    String password;

    @Option(names = "--bolt-port", converter = Converters.Port.class, defaultValue = "0",
            description = "Bolt port of the embedded database (0: 7687 if free, else any free port).")
    int boltPort;

    @Option(names = "--neo4j-http-port", converter = Converters.Port.class, defaultValue = "0",
            description = "HTTP port of the embedded database, where Neo4j Browser is served (0: 7474 if free, else any free port).")
    int httpPort;

    @Option(names = "--page-cache", defaultValue = "256m",
            description = "Page cache of the embedded database (default: ${DEFAULT-VALUE}); raise it for large atlases.")
    String pageCache;

    Neo4jTarget target() {
        if (uri != null && !uri.isBlank()) {
            return Neo4jTarget.server(uri, user, password);
        }
        return new Neo4jTarget(null, null, null, data.resolve("neo4j"), boltPort, httpPort, pageCache);
    }
}
