package org.saeatlas.cli;

import picocli.CommandLine.Option;

/** Where the atlas HTTP server listens. */
public class ServerOptions {

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Interface of the web/GraphQL server (default: ${DEFAULT-VALUE}; 0.0.0.0 to serve the network).")
    String host;

    @Option(names = "--port", defaultValue = "${env:ATLAS_PORT:-0}",
            description = "Port of the web/GraphQL server (0: 8080 if free, else any free port; env ATLAS_PORT).")
    int port;
}
