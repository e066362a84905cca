package org.saeatlas.server;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** {@code GET /api/info}: where GraphQL, GraphiQL, Neo4j Browser and Bolt are, for the web UI. */
@Controller("/api")
public class InfoController {

    private final AtlasInfo info;

    public InfoController(AtlasInfo info) {
        this.info = info;
    }

    @Get("/info")
    public AtlasInfo info() {
        return info;
    }
}
