package org.saeatlas.cli;

import java.util.concurrent.Callable;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.store.RunStore;
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
        AtlasDatabase db = AtlasDatabase.open(database.target());
        try {
            if (new RunStore(db.cypher()).saeCount() == 0) {
                System.out.println("note: the atlas in " + (database.uri != null ? database.uri : database.data)
                        + " is empty; load SAEs with './atlas build ...' or try './atlas demo' (see the README)");
            }
        } catch (RuntimeException e) {
            db.close(); // the database was opened here: a failure before serving must not leave it running
            throw e;
        }
        Serving.serveUntilInterrupted(db, server, System.out);
        return 0;
    }
}
