package org.saeatlas.server.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.saeatlas.compute.connections.ConnectionParameters;
import org.saeatlas.compute.connections.MlpBaseline;
import org.saeatlas.compute.demo.DemoAtlas;
import org.saeatlas.compute.demo.DemoAtlasGenerator;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.DemoLoader;
import org.saeatlas.ingest.SaeInput;
import org.saeatlas.ingest.SaeLoader;
import org.saeatlas.ingest.analytics.ConnectionLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.formats.Folders;
import org.saeatlas.ingest.formats.NodeLinkJson;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.store.GraphFileImport;
import org.saeatlas.ingest.store.Rows;
import org.saeatlas.server.AtlasServer;

/**
 * The one atlas and server the browser tests share (built once per test JVM, closed when the whole test run ends):
 * the small demo atlas (two seeds of one layer with matches, communities and a seed comparison), connections from one
 * seed to the other, an SAE known only by its explanations, an SAE from an export with logit tables, a run a build
 * left loading, and an imported directed graph with a link attribute. Every browser test only reads it, so their
 * order does not matter. A test class gets it as a parameter of its {@code @BeforeAll} with
 * {@code @ExtendWith(WebUiAtlas.Shared.class)}.
 */
final class WebUiAtlas implements AutoCloseable {

    static final DemoParameters PARAMS = DemoParameters.small(9);
    static final DemoAtlas TRUTH = DemoAtlasGenerator.generate(PARAMS);
    /** An SAE known only by its explanations (as add-sae stores it): no activations, so no statistics. */
    static final String BARE_SAE = "9-bare";
    static final String BARE_EXPLANATION = "mentions of lighthouses and harbours";
    /** An SAE known from an export with logit tables (as add-sae stores a SAEDashboard batch's). */
    static final String LOGIT_SAE = "9-export";
    /** A run a build left loading: the catalogue marks it, its page says so. */
    static final String LOADING_RUN = "dependence-still-loading";

    final Path dir;
    final AtlasDatabase db;
    final AtlasServer server;
    /** The seed-1 feature with the most stable connections, which also has an imported edge out and one in. */
    final String importedFeature;

    private WebUiAtlas() throws IOException {
        dir = Files.createTempDirectory("web-ui-atlas");
        db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"), EmbeddedNeo4j.freePort(),
                EmbeddedNeo4j.freePort(), "64m"));
        try {
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
            new DemoLoader(db, quiet).load(PARAMS);
            // connections from one seed to the other: the feature page shows a formula and what a feature feeds
            new ConnectionLoader(db.cypher(), quiet).load(TRUTH.saes().get(0).id(), TRUTH.saes().get(0).activations(),
                    TRUTH.saes().get(1).id(), TRUTH.saes().get(1).activations(),
                    ConnectionParameters.defaults().withResamples(4), new MlpBaseline(8, 10));
            Rows.SaeRow bare = new Rows.SaeRow(BARE_SAE, TRUTH.modelId(), "explanations only", 9,
                    "blocks.9.hook_resid_pre", 4, null, null, null);
            new SaeLoader(db, quiet, null).load(new SaeInput(bare, null, null,
                    List.of(new Rows.ExplanationRow(2, BARE_EXPLANATION, "test", null)), List.of(), "no activations"),
                    null, null, Map.of());
            Rows.SaeRow exported = new Rows.SaeRow(LOGIT_SAE, TRUTH.modelId(), "export", 9, "blocks.9.hook_resid_pre", 4,
                    null, null, null);
            new SaeLoader(db, quiet, null).load(new SaeInput(exported, null, null,
                    List.of(new Rows.ExplanationRow(1, "military units", "test", null)), List.of(), "export",
                    List.of(new Rows.LogitRow(1, List.of(" Brigade", " \"battalion\""), new double[] {3.753, 3.063},
                            List.of("sequence"), new double[] {-0.707}))),
                    null, null, Map.of());
            try (var session = db.driver().session()) {
                session.run("""
                        CREATE (:Run {id: $id, kind: 'dependence', method: 'nodewise-lasso-stability', sae: $sae,
                                      status: 'loading', createdAt: '2026-12-05T00:00:00Z'})""",
                        Map.of("id", LOADING_RUN, "sae", TRUTH.saes().get(0).id())).consume();
                importedFeature = session.run("""
                        MATCH (a:Feature)-[e:CONNECTS {stable: true}]->(b:Feature)
                        WITH b, count(e) AS n WHERE n >= 1
                        MATCH (b)<-[:CONNECTS {stable: true}]-(a:Feature)
                        RETURN b.id AS id ORDER BY n DESC, b.id LIMIT 1""").single().get("id").asString();
            }
            importGraph(quiet);
            server = AtlasServer.start(db, "127.0.0.1", EmbeddedNeo4j.freePort(), Map.of());
        } catch (RuntimeException | IOException e) {
            db.close();
            throw e;
        }
    }

    /**
     * An imported directed graph on {@link #importedFeature} (networkx node-link, a 'measure' attribute on each
     * link): one edge out, one in.
     */
    private void importGraph(PrintStream quiet) throws IOException {
        String sae = importedFeature.substring(0, importedFeature.lastIndexOf('/'));
        int index = Integer.parseInt(importedFeature.substring(importedFeature.lastIndexOf('/') + 1));
        int a = (index + 1) % TRUTH.saes().get(1).width();
        int c = (index + 2) % TRUTH.saes().get(1).width();
        Path graph = Files.writeString(dir.resolve("imported.json"), ("{\"directed\": true, \"multigraph\": false,"
                + " \"graph\": {}, \"nodes\": [{\"id\": %d}, {\"id\": %d}, {\"id\": %d}], \"links\": ["
                + "{\"source\": %d, \"target\": %d, \"weight\": 0.8, \"measure\": \"attribution\"},"
                + " {\"source\": %d, \"target\": %d, \"weight\": -0.4, \"measure\": \"ablation\"}]}")
                .formatted(index, a, c, index, a, c, index));
        new GraphFileImport(db.cypher(), new ProgressPrinter(quiet)).load(graph, NodeLinkJson.read(graph),
                new GraphFileImport.Mapping(Map.of("", sae), null, null, null, Map.of()));
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            db.close();
            Folders.deleteTree(dir);
        }
    }

    /**
     * Gives a {@code WebUiAtlas} parameter the shared atlas: built on first use and kept in the root context's store,
     * which closes it after the last test class of the run.
     */
    static final class Shared implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == WebUiAtlas.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(WebUiAtlas.class, k -> {
                        try {
                            return new WebUiAtlas();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, WebUiAtlas.class);
        }
    }
}
