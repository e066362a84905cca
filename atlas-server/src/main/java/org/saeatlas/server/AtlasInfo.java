package org.saeatlas.server;

/**
 * Where the parts of a running atlas are, as printed by the CLI and served at {@code /api/info}.
 *
 * @param browser Neo4j Browser's URL, or null when the database is a server the atlas does not host
 */
public record AtlasInfo(String web, String graphql, String graphiql, String browser, String bolt, String version) { }
