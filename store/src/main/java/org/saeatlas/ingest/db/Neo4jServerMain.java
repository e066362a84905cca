package org.saeatlas.ingest.db;

import java.nio.file.Path;

/**
 * Runs the embedded DBMS as a stand-alone Neo4j server (Bolt + HTTP) until stdin closes or the process is killed:
 * a real Bolt peer in another process, for tests of the {@code --neo4j-uri} path and for users without a Neo4j
 * installation. Arguments: data folder, Bolt port, HTTP port. Prints {@code READY <bolt uri>} when it accepts
 * connections.
 */
public final class Neo4jServerMain {

    private Neo4jServerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Neo4jServerMain <data folder> <bolt port> <http port>");
            System.exit(2);
        }
        EmbeddedNeo4j neo4j = EmbeddedNeo4j.start(Path.of(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]), "64m");
        Runtime.getRuntime().addShutdownHook(new Thread(neo4j::close));
        System.out.println("READY " + neo4j.boltUri());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until stdin closes
        }
        System.exit(0);
    }
}
