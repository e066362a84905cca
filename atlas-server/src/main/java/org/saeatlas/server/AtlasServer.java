package org.saeatlas.server;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;

/**
 * The atlas HTTP server (Micronaut): GraphQL at {@code /graphql}, the web UI at {@code /}, GraphiQL at
 * {@code /graphiql/}, {@code /api/info} and {@code /health}, over an already open {@link AtlasDatabase}.
 */
public final class AtlasServer implements AutoCloseable {

    public static final String VERSION = org.saeatlas.schema.AtlasVersion.NUMBER;

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final AtlasInfo info;

    private AtlasServer(ApplicationContext context, EmbeddedServer server, AtlasInfo info) {
        this.context = context;
        this.server = server;
        this.info = info;
    }

    /** Starts on {@code host:port} (port 0: 8080 if free, else any free port). */
    public static AtlasServer start(AtlasDatabase database, String host, int port, Map<String, Object> extra) {
        int chosen = port > 0 ? port : EmbeddedNeo4j.preferredOrFree(host, 8080);
        String base = "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + chosen;
        AtlasInfo info = new AtlasInfo(base + "/", base + "/graphql", base + "/graphiql/",
                database.browserUrl().orElse(null), database.boltUri(), VERSION);
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.host", host);
        props.put("micronaut.server.port", chosen);
        props.putAll(extra);
        ApplicationContext context = ApplicationContext.builder()
                .properties(props)
                .singletons(database, info)
                .banner(false)
                .deduceEnvironment(false)
                .start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        server.start();
        if (!"false".equals(String.valueOf(extra.getOrDefault("atlas.projection.warm", "true")))) {
            // project the newest complete runs into memory and index the explanations, in the background; reads use
            // Cypher and Neo4j's full-text index until each is ready
            org.saeatlas.server.store.AtlasReader reader = context.getBean(org.saeatlas.server.store.AtlasReader.class);
            context.getBean(org.saeatlas.server.store.RunProjections.class).warm(reader.runs());
            context.getBean(org.saeatlas.server.store.ExplanationIndex.class).warm(reader.search());
        }
        return new AtlasServer(context, server, info);
    }

    public AtlasInfo info() {
        return info;
    }

    /** A bean of the running server (for tests and embedding). */
    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        context.close();
    }
}
