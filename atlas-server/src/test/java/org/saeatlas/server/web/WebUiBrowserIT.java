package org.saeatlas.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.demo.DemoAtlas;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.server.AtlasServer;

/**
 * The web UI in headless Chromium against a real server on a real embedded Neo4j: the pages run their JavaScript
 * (ES modules, GraphQL over fetch) and render the feature, its explanation, examples and neighbours, search results
 * and GraphiQL, all offline, over the atlas the browser tests share ({@link WebUiAtlas}). Skipped (and reported as
 * skipped) where no Chromium is installed; .ci/run installs it.
 */
@ExtendWith(WebUiAtlas.Shared.class)
class WebUiBrowserIT {

    static final DemoAtlas TRUTH = WebUiAtlas.TRUTH;
    static final String BARE_SAE = WebUiAtlas.BARE_SAE;
    static final String BARE_EXPLANATION = WebUiAtlas.BARE_EXPLANATION;

    @TempDir
    static Path dir;
    static AtlasDatabase db;
    static AtlasServer server;
    static String chromium;

    @BeforeAll
    static void start(WebUiAtlas atlas) {
        chromium = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        assumeTrue(chromium != null, "no Chromium installed: the browser test needs one (.ci/run installs it)");
        db = atlas.db;
        server = atlas.server;
    }

    /** The DOM after the page's scripts ran, as Chromium renders it. */
    static String render(String url) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "chrome"),
                "--virtual-time-budget=15000", "--run-all-compositor-stages-before-draw", "--dump-dom", url));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void featurePageShowsExplanationExamplesAndPlantedNeighbours() throws Exception {
        int[] module = TRUTH.truth().modules().get(0);
        DemoAtlas.Sae sae = TRUTH.saes().get(0);
        String dom = render(server.info().web() + "#/feature/" + sae.id() + "/" + module[0] + "?tab=coactivation");
        String explanation = sae.explanations().get(module[0]).replace("\"", "&quot;");
        assertTrue(dom.contains(sae.explanations().get(module[0])) || dom.contains(explanation),
                "explanation rendered: " + excerpt(dom));
        String neighbourText = sae.explanations().get(module[1]);
        assertTrue(dom.contains(neighbourText) || dom.contains(neighbourText.replace("\"", "&quot;"))
                        || dom.contains(sae.id() + "/" + module[1]) || dom.contains(">" + module[1] + "<"),
                "a planted module neighbour is listed: " + excerpt(dom));
        assertTrue(dom.contains("<svg"), "neighbourhood drawing");
        assertTrue(dom.contains("aria-label=\"Activation histogram\""), "activation histogram: " + excerpt(dom));
        int bars = dom.split("class=\"bar\"", -1).length - 1;
        assertEquals(16, bars, "one bar per bin");
    }

    @Test
    void featureWithoutActivationsShowsNoInventedStatistics() throws Exception {
        String dom = render(server.info().web() + "#/feature/" + BARE_SAE + "/2");
        assertTrue(dom.contains(BARE_EXPLANATION), "explanation rendered: " + excerpt(dom));
        assertTrue(dom.contains("No activations loaded"), "says no activations are loaded: " + excerpt(dom));
        assertFalse(dom.contains("aria-label=\"Activation histogram\""), "no histogram: " + excerpt(dom));
        assertFalse(dom.contains("0.000%"), "no zero firing rate: " + excerpt(dom));
    }

    @Test
    void featurePageShowsTheFormulaWithUpstreamExplanationsAndWhatItFeeds() throws Exception {
        org.neo4j.driver.Record r;
        try (var session = db.driver().session()) {
            r = session.run("""
                    MATCH (a:Feature)-[e:CONNECTS {stable: true}]->(b:Feature)
                    RETURN a.id AS a, a.explanation AS explanation, b.id AS b ORDER BY abs(e.weight) DESC, b.id
                    LIMIT 1""").single();
        }
        String down = r.get("b").asString();
        String up = r.get("a").asString();
        String dom = render(server.info().web() + "#/feature/" + down);
        assertTrue(dom.contains("Computed from the layer below"), "formula section: " + excerpt(dom));
        assertTrue(dom.contains(down + " \u2248 ") && dom.contains(up), "the formula names the upstream feature: "
                + excerpt(dom));
        String explanation = r.get("explanation").asString();
        assertTrue(dom.contains(explanation) || dom.contains(explanation.replace("\"", "&quot;")),
                "the upstream feature's explanation: " + excerpt(dom));
        String upDom = render(server.info().web() + "#/feature/" + up);
        assertTrue(upDom.contains("Feeds into the layer above") && upDom.contains(down), excerpt(upDom));
    }

    @Test
    void searchPageListsHitsWithHighlights() throws Exception {
        String dom = render(server.info().web() + "#/search?q=legal");
        assertTrue(dom.contains("<mark>"), "highlighted hits: " + excerpt(dom));
        assertTrue(dom.toLowerCase(java.util.Locale.ROOT).contains("legal"));
    }

    /** A query the parser refuses says so once: the error box shows the path, then the message without it again. */
    @Test
    void unparsableSearchSaysWhyWithoutRepeatingThePath() throws Exception {
        String dom = render(server.info().web() + "#/search?q=court%20AND%20(");
        assertTrue(dom.contains("Search failed") && dom.contains("<code>search</code>: cannot parse"),
                "the parser's refusal is shown: " + excerpt(dom));
        assertFalse(dom.contains("search: search:") || dom.contains("</code>: search: "), excerpt(dom));
    }

    @Test
    void graphiqlLoadsFromLocalAssets() throws Exception {
        for (String url : List.of(server.info().graphiql(), server.info().web() + "graphiql")) {
            String dom = render(url);
            assertTrue(dom.contains("graphiql-container"), url + ": GraphiQL rendered offline: " + excerpt(dom));
        }
    }

    /** Neo4j Browser (served by the embedded database) opened on the atlas's guide, as the serve banner says. */
    @Test
    void neo4jBrowserPlaysTheAtlasGuide() throws Exception {
        String guide = server.info().web().replace("://127.0.0.1:", "://localhost:") + "browser-guide";
        String dom = render(server.info().browser() + "&cmd=guide&arg="
                + java.net.URLEncoder.encode(guide, StandardCharsets.UTF_8));
        assertTrue(dom.contains("graph, in Cypher"), "the guide's first slide in Browser: " + excerpt(dom));
        assertTrue(dom.contains("COUNT { (s)"), "its runnable Cypher: " + excerpt(dom));
    }

    private static String excerpt(String dom) {
        return dom.length() > 3000 ? dom.substring(0, 3000) + "..." : dom;
    }
}
