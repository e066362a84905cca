package org.saeatlas.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.SchemaIndexes;
import org.saeatlas.server.AtlasInfo;
import org.saeatlas.server.AtlasServer;

/** Starts the server over an open database, prints where everything is, and serves until Ctrl-C. */
final class Serving {

    private Serving() {
    }

    static void serveUntilInterrupted(AtlasDatabase db, ServerOptions options, PrintStream out) {
        String indexes = SchemaIndexes.warning(db.cypher()); // a missing index serves, many times slower
        if (indexes != null) {
            System.err.println(indexes);
        }
        AtlasServer server = AtlasServer.start(db, options.host, options.port, options.properties());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the atlas ...");
            try {
                server.close();
            } finally {
                db.close();
                stopped.countDown();
            }
        }, "atlas-shutdown"));
        AtlasInfo info = server.info();
        out.println();
        out.println("SAE Feature Atlas is running");
        out.println("  Web UI:         " + info.web());
        out.println("  GraphQL:        " + info.graphql());
        out.println("  GraphiQL:       " + info.graphiql());
        if (info.browser() != null) {
            out.println("  Neo4j Browser:  " + info.browser());
            // Browser fetches guides only from allowlisted hosts: 'localhost' is on its default list
            String web = info.web().replace("://127.0.0.1:", "://localhost:");
            String guide = web + (web.endsWith("/") ? "" : "/") + "browser-guide";
            out.println("  Browser guide:  " + info.browser() + "&cmd=guide&arg="
                    + java.net.URLEncoder.encode(guide, java.nio.charset.StandardCharsets.UTF_8)
                    + "\n                  (or type  :guide " + guide + "  in Browser)");
        }
        out.println("  Bolt:           " + info.bolt() + (info.browser() != null ? "  (no authentication)" : ""));
        out.println("Press Ctrl-C to stop.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
