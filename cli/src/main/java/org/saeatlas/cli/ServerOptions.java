package org.saeatlas.cli;

import picocli.CommandLine.Option;

/** Where the atlas HTTP server listens. */
public class ServerOptions {

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Interface of the web/GraphQL server (default: ${DEFAULT-VALUE}; 0.0.0.0 to serve the network).")
    String host;

    @Option(names = "--port", converter = Converters.Port.class, defaultValue = "${env:ATLAS_PORT:-0}",
            description = "Port of the web/GraphQL server (0: 8080 if free, else any free port; env ATLAS_PORT).")
    int port;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN", arity = "1..*",
            description = "Allow browsers on these origins (e.g. https://notebooks.example.org) to call the API (CORS). Off by default.")
    java.util.List<String> corsOrigins = new java.util.ArrayList<>();

    @Option(names = "--token", defaultValue = "${env:ATLAS_TOKEN}", paramLabel = "SECRET",
            description = "Require 'Authorization: Bearer SECRET' on /graphql and /api (env ATLAS_TOKEN; prefer the variable). Off by default.")
    String token;

    /** Micronaut properties for these options. */
    java.util.Map<String, Object> properties() {
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        if (!corsOrigins.isEmpty()) {
            p.put("micronaut.server.cors.enabled", true);
            p.put("micronaut.server.cors.configurations.api.allowed-origins", corsOrigins);
        }
        if (token != null && !token.isBlank()) {
            p.put("atlas.token", token);
        }
        return p;
    }
}
