package org.saeatlas.cli;

import java.util.concurrent.Callable;
import org.saeatlas.ingest.db.AtlasDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve an atlas already in Neo4j: web UI, GraphQL, GraphiQL (and Neo4j Browser when embedded).")
class ServeCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() {
        Serving.serveUntilInterrupted(AtlasDatabase.open(database.target()), server, System.out);
        return 0;
    }
}
