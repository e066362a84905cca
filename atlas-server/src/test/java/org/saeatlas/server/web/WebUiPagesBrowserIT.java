package org.saeatlas.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.server.AtlasServer;

/**
 * The catalogue, SAE, run and compare pages in headless Chromium driven like a user (clicks, typing, keys) against a
 * real server over the atlas the browser tests share ({@link WebUiAtlas}: the small demo atlas with two seeds of one
 * layer, their matches, communities and seed comparison, plus an SAE known only by its explanations and a run left
 * loading). Every number checked on a page is compared with what GraphQL says of the same
 * object, fetched here; every page is saved as a screenshot under target/web-screenshots; the page never asks
 * anything of another host. The browser tests are skipped (and reported as skipped) where no Chromium is installed;
 * the export endpoint is tested over plain HTTP everywhere.
 */
@ExtendWith(WebUiAtlas.Shared.class)
class WebUiPagesBrowserIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BARE_SAE = WebUiAtlas.BARE_SAE;
    static final String LOADING_RUN = WebUiAtlas.LOADING_RUN;
    static final Path SHOTS = Path.of("target", "web-screenshots");

    @TempDir
    static Path dir;
    static AtlasDatabase db;
    static AtlasServer server;
    static String chromium;
    static String base;

    ChromiumSession page;
    String test;

    @BeforeAll
    static void start(WebUiAtlas atlas) {
        chromium = ChromiumSession.executable();
        db = atlas.db;
        server = atlas.server;
        base = server.info().web();
    }

    @BeforeEach
    void open(TestInfo info) throws Exception {
        test = info.getTestMethod().orElseThrow().getName();
        if (chromium != null && !info.getTags().contains("http")) {
            page = new ChromiumSession(chromium, Files.createTempDirectory(dir, "chrome"));
        }
    }

    /** Browser tests start here: skipped (and reported as skipped) where no Chromium is installed. */
    void browser() {
        assumeTrue(chromium != null, "no Chromium installed: the browser tests need one (.ci/run installs it)");
    }

    /** Whatever the test did, the page asked nothing of another host and threw nothing. */
    @AfterEach
    void offlineAndClean() throws Exception {
        if (page == null) {
            return;
        }
        try {
            List<String> external = page.requests().stream()
                    .filter(u -> !u.startsWith(base) && !u.startsWith("data:") && !u.startsWith("blob:")
                            && !u.equals("about:blank"))
                    .toList();
            assertEquals(List.of(), external, "requests to other hosts");
            assertEquals(List.of(), page.consoleErrors(), "JavaScript errors");
        } finally {
            page.close();
        }
    }

    static JsonNode graphql(String query, Map<String, Object> variables) throws Exception {
        String body = JSON.writeValueAsString(Map.of("query", query, "variables", variables));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.info().graphql()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        assertFalse(json.has("errors"), "GraphQL errors: " + json.get("errors"));
        return json.get("data");
    }

    void shot(String name) throws Exception {
        page.screenshot(SHOTS.resolve(test + "-" + name + ".png"));
    }

    /** data-value of the element at a selector (the exact number the page got), or its text when it has none. */
    String value(String selector) throws Exception {
        return page.eval("(() => { const e = document.querySelector(" + JSON.writeValueAsString(selector)
                + "); if (!e) return '<missing " + selector.replace("'", "") + ">'; const v = e.querySelector('[data-value]');"
                + " return v ? v.dataset.value : e.innerText.trim(); })()").asText();
    }

    /** The number GraphQL gave, or "not loaded" when it gave null. */
    static void assertShown(JsonNode expected, String shown, String what) {
        if (expected == null || expected.isNull()) {
            assertEquals("not loaded", shown, what + ": absent in GraphQL, so 'not loaded' (never 0)");
        } else {
            assertEquals(expected.asDouble(), Double.parseDouble(shown), 0.0, what);
        }
    }

    /** Runs the Cypher a page shows (its "open in Neo4j Browser" box) and returns how many rows it gives. */
    int runShownCypher() throws Exception {
        String cypher = page.eval("(document.querySelector('[data-cypher]') || {dataset: {}}).dataset.cypher || ''").asText();
        assertFalse(cypher.isBlank(), "the page shows its Cypher");
        try (var session = db.driver().session()) {
            return session.run(cypher).list().size();
        }
    }

    static final String CATALOGUE = """
            { models { id saes { id featureCount l0 fvu runs(all: true) { id status saes kind } } } }""";

    @Test
    void catalogueGridShowsEverySaeWithGraphQLsNumbersAndLeadsToItsPage() throws Exception {
        browser();
        JsonNode models = graphql(CATALOGUE, Map.of()).get("models");
        page.navigate(base);
        page.waitFor("document.querySelector('.catalogue-grid .sae-card')", "the catalogue grid");
        shot("catalogue");
        int cards = 0;
        for (JsonNode m : models) {
            for (JsonNode s : m.get("saes")) {
                String card = ".sae-card[data-sae=\"" + s.get("id").asText() + "\"]";
                assertShown(s.get("featureCount"), value(card + " [data-field=featureCount]"), s.get("id") + " features");
                assertShown(s.get("l0"), value(card + " [data-field=l0]"), s.get("id") + " L0");
                assertShown(s.get("fvu"), value(card + " [data-field=fvu]"), s.get("id") + " FVU");
                for (JsonNode r : s.get("runs")) {
                    if (!r.get("kind").asText().equals("match") || r.get("saes").get(0).asText().equals(s.get("id").asText())) {
                        assertEquals(r.get("status").asText(), page.eval("(document.querySelector('" + card
                                + " [data-run=\"" + r.get("id").asText() + "\"]') || {dataset: {}}).dataset.status").asText(),
                                "run " + r.get("id") + " with its status on " + s.get("id"));
                    }
                }
                cards++;
            }
        }
        assertEquals(cards, page.eval("document.querySelectorAll('.sae-card').length").asInt(), "one card per SAE");
        assertTrue(runShownCypher() >= cards, "the catalogue's Cypher returns a row per SAE at least");

        // the search box finds SAEs and runs as you type; Enter on an SAE id opens it
        String sae = models.get(0).get("saes").get(0).get("id").asText();
        page.eval("(() => { const i = document.getElementById('home-search'); i.focus(); i.value = "
                + JSON.writeValueAsString(sae) + "; i.dispatchEvent(new Event('input')); })()");
        page.waitFor("[...document.querySelectorAll('.catalogue-hits a')].some(a => a.textContent === "
                + JSON.writeValueAsString(sae) + ")", "the SAE among the catalogue hits");
        page.press("Enter", 13);
        page.waitFor("location.hash.startsWith('#/sae/') && document.querySelector('.sae-distributions')", "the SAE page");
        assertEquals(sae, page.text("main h1"));

        // a word searches the explanations
        page.navigate(base);
        page.waitFor("document.querySelector('.catalogue-grid')", "the catalogue");
        page.eval("(() => { const i = document.getElementById('home-search'); i.value = 'legal'; })()");
        page.click(".hero button[type=submit]");
        page.waitFor("location.hash.startsWith('#/search') && document.querySelector('mark')", "explanation search hits");
    }

    /**
     * Presses Tab (Shift+Tab when back) until the focused element matches the selector. Every stop on the way must be
     * a visible focus: an element other than the body, inside the viewport, matching :focus-visible and drawn with an
     * outline.
     */
    void tabTo(String selector, boolean back) throws Exception {
        String s = JSON.writeValueAsString(selector);
        for (int k = 0; k < 150; k++) {
            page.press("Tab", 9, back ? 8 : 0);
            JsonNode f = page.eval("(() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
                    + " const st = getComputedStyle(e); return { body: e === document.body || e === null,"
                    + " what: e.outerHTML.slice(0, 120), visible: e.matches(':focus-visible'),"
                    + " drawn: st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) > 0,"
                    + " inView: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0"
                    + " && r.left < innerWidth && r.top < innerHeight, match: e.matches(" + s + ") }; })()");
            assertFalse(f.get("body").asBoolean(), "Tab left the focus on the body (stop " + k + " towards " + selector + ")");
            String what = f.get("what").asText();
            assertTrue(f.get("visible").asBoolean(), "focus not :focus-visible on " + what);
            assertTrue(f.get("drawn").asBoolean(), "no focus outline drawn on " + what);
            assertTrue(f.get("inView").asBoolean(), "focused element outside the viewport: " + what);
            if (f.get("match").asBoolean()) {
                return;
            }
        }
        throw new AssertionError("150 Tab presses never reached " + selector);
    }

    /** The whole path by keyboard only: skip link, catalogue -> SAE -> run -> back, a feature's neighbour tabs. */
    @Test
    void everyPageIsReachableByKeyboardWithVisibleFocus() throws Exception {
        browser();
        String sae = graphql(CATALOGUE, Map.of()).get("models").get(0).get("saes").get(0).get("id").asText();
        String runId = runOf("dependence");
        page.navigate(base);
        page.waitFor("document.querySelector('.catalogue-grid .sae-card')", "the catalogue grid");
        // back from the search box (focused on load) to the skip link; Enter on it puts the focus on the content
        tabTo("#skip", true);
        page.press("Enter", 13);
        assertEquals("main", page.eval("document.activeElement.id").asText(), "the skip link moves focus to main");
        tabTo(".sae-card[data-sae=\"" + sae + "\"] a.sae-link", false);
        shot("keyboard-catalogue");
        page.press("Enter", 13);
        page.waitFor("location.hash === '#/sae/" + sae + "' && document.querySelector('.sae-runs a[data-run]')",
                "the SAE page opened by Enter");
        tabTo(".sae-runs a[data-run=\"" + runId + "\"]", false);
        page.press("Enter", 13);
        page.waitFor("location.hash === '#/run/" + runId + "' && document.querySelector('.run-fdr')",
                "the run page opened by Enter");
        shot("keyboard-run");
        // back to the catalogue by the header's brand link
        tabTo("a.brand", true);
        page.press("Enter", 13);
        page.waitFor("(location.hash === '#/' || location.hash === '') && document.querySelector('.catalogue-grid')",
                "the catalogue again");

        // a feature's neighbour tabs: Tab reaches the selected tab only, arrows move selection and focus together
        String feature;
        try (var session = db.driver().session()) {
            feature = session.run("MATCH (f:Feature)--(:Feature) RETURN f.id AS id, count(*) AS n ORDER BY n DESC, id LIMIT 1")
                    .single().get("id").asString();
        }
        int cut = feature.lastIndexOf('/');
        page.navigate(base + "#/feature/" + feature.substring(0, cut) + "/" + feature.substring(cut + 1));
        page.waitFor("document.querySelector('#panel-neighbours')", "the feature page's neighbour tabs");
        assertEquals(1, page.eval("[...document.querySelectorAll('[role=tablist] [role=tab]')]"
                + ".filter(t => t.tabIndex === 0).length").asInt(), "one tab in the Tab order");
        tabTo("[role=tab][aria-selected=true]", false);
        String first = page.eval("document.activeElement.id").asText();
        page.press("ArrowRight", 39);
        String second = page.eval("document.activeElement.id").asText();
        assertFalse(first.equals(second), "ArrowRight moves the focus to the next tab");
        assertEquals("true", page.eval("document.activeElement.getAttribute('aria-selected')").asText(),
                "the focused tab is the selected one");
        assertEquals(second, page.eval("document.getElementById('panel-neighbours').getAttribute('aria-labelledby')")
                .asText(), "the panel shows the focused tab");
        page.press("ArrowLeft", 37);
        assertEquals(first, page.eval("document.activeElement.id").asText(), "ArrowLeft goes back");
        assertEquals("false", page.eval("document.getElementById(" + JSON.writeValueAsString(second)
                + ").getAttribute('aria-selected')").asText(), "only one tab selected");
        shot("keyboard-tabs");
        // into the panel: a neighbour's link opens that feature
        tabTo("#panel-neighbours a[href^='#/feature/']", false);
        String href = page.eval("document.activeElement.getAttribute('href')").asText();
        page.press("Enter", 13);
        page.waitFor("location.hash === " + JSON.writeValueAsString(href) + " && document.querySelector('#panel-neighbours')",
                "the neighbour's feature page opened by Enter");
    }

    /**
     * A server started with --token: the page URL gives the token once; the UI keeps it for the tab (out of the address
     * bar), sends it with every API call (the run page loads) and puts it on the download links, which then download;
     * without it the same link is refused, and a POST with it as a query parameter is refused too.
     */
    @Test
    void withATokenTheUiSendsItOnApiCallsAndDownloadLinks() throws Exception {
        browser();
        String runId = runOf("dependence");
        try (AtlasServer guarded = AtlasServer.start(db, "127.0.0.1", EmbeddedNeo4j.freePort(),
                Map.of("atlas.token", "s3 cret/+"))) {
            String web = guarded.info().web();
            String root = web.endsWith("/") ? web : web + "/";
            page.navigate(root + "?token=" + java.net.URLEncoder.encode("s3 cret/+", java.nio.charset.StandardCharsets.UTF_8)
                    + "#/run/" + runId);
            page.waitFor("document.querySelector('.run-fdr')", "the run page over the guarded API");
            assertEquals("", page.eval("location.search").asText(), "the token leaves the address bar");
            assertEquals("#/run/" + runId, page.eval("location.hash").asText());
            assertEquals("s3 cret/+", page.eval("sessionStorage.getItem('atlas-token')").asText());
            String href = page.eval("document.querySelector('.export a[data-format=csv]').href").asText();
            assertTrue(href.contains("access_token="), href);
            JsonNode got = page.eval("fetch(" + JSON.writeValueAsString(href) + ").then(async r => ({status: r.status,"
                    + " head: (await r.text()).slice(0, 200)}))");
            assertEquals(200, got.get("status").asInt(), "the download link downloads: " + got);
            String bare = href.replaceAll("&access_token=[^&]*", "");
            assertEquals(401, page.eval("fetch(" + JSON.writeValueAsString(bare) + ").then(r => r.status)").asInt(),
                    "the link without the token is refused");
            assertEquals(401, page.eval("fetch('/graphql?access_token=' + encodeURIComponent('s3 cret/+'), {method: 'POST',"
                    + " headers: {'Content-Type': 'application/json'}, body: JSON.stringify({query: '{ models { id } }'})})"
                    + ".then(r => r.status)").asInt(), "the query parameter is for GET links only");
            // the next page of the same tab still has it (another route, more GraphQL)
            page.eval("location.hash = '#/'");
            page.waitFor("document.querySelector('.catalogue-grid .sae-card')", "the catalogue over the guarded API");
            // a fresh tab without the token is told what is wrong, not shown an empty atlas
            page.eval("sessionStorage.clear(); location.hash = '#/run/" + runId + "'");
            page.waitFor("document.body.innerText.includes('bearer token')", "the refusal shown");
            // offline check here against the guarded server (the refused calls log 401s in the console on purpose)
            assertEquals(List.of(), page.requests().stream().filter(u -> !u.startsWith(root) && !u.startsWith("data:")
                    && !u.startsWith("blob:") && !u.equals("about:blank")).toList(), "requests to other hosts");
            page.close();
            page = null;
        } finally {
            base = server.info().web();
        }
    }

    /**
     * GraphiQL of a server started with --token: GraphiQL opens in a new tab, which does not share the UI tab's
     * sessionStorage, so the UI's GraphiQL link carries the token; there the token leaves the address bar and every
     * query sends it as a bearer token, so a query runs. Opened without the token, the same query is refused and
     * GraphiQL shows why.
     */
    @Test
    void graphiqlOfAGuardedServerSendsTheTokenTheUiGaveIt() throws Exception {
        browser();
        String secret = "s3 cret/+";
        try (AtlasServer guarded = AtlasServer.start(db, "127.0.0.1", EmbeddedNeo4j.freePort(),
                Map.of("atlas.token", secret))) {
            String web = guarded.info().web();
            String root = web.endsWith("/") ? web : web + "/";
            page.close(); // this test's pages talk to the guarded server: each checked here, not by offlineAndClean
            page = null;
            String link;
            try (ChromiumSession ui = new ChromiumSession(chromium, Files.createTempDirectory(dir, "chrome"))) {
                ui.navigate(root + "?token=" + java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8)
                        + "#/");
                ui.waitFor("document.querySelector('.catalogue-grid .sae-card')"
                        + " && document.getElementById('link-graphiql').href.includes('token=')",
                        "the catalogue over the guarded API, its GraphiQL link with the token");
                link = ui.eval("document.getElementById('link-graphiql').href").asText();
            }
            // the new tab: another profile, so it shares nothing with the UI's tab but the link
            try (ChromiumSession tab = new ChromiumSession(chromium, Files.createTempDirectory(dir, "chrome"))) {
                tab.navigate(link);
                String answer = runInGraphiql(tab, CATALOGUE_OPERATION);
                assertTrue(answer.contains("\"models\"") && !answer.contains("errors"), "the query ran: " + answer);
                assertEquals("", tab.eval("location.search").asText(), "the token leaves the address bar");
                tab.screenshot(SHOTS.resolve(test + "-graphiql.png"));
                assertEquals(List.of(), tab.requests().stream().filter(u -> !u.startsWith(root) && !u.startsWith("data:")
                        && !u.startsWith("blob:") && !u.equals("about:blank")).toList(), "requests to other hosts");
                assertEquals(List.of(), tab.consoleErrors(), "JavaScript errors");
            }
            try (ChromiumSession tab = new ChromiumSession(chromium, Files.createTempDirectory(dir, "chrome"))) {
                tab.navigate(guarded.info().graphiql());
                String answer = runInGraphiql(tab, CATALOGUE_OPERATION);
                assertTrue(answer.contains("missing or wrong bearer token"), "refused without the token: " + answer);
            }
        }
    }

    /**
     * What the test runs in GraphiQL: named as the first operation of GraphiQL's default document, since GraphiQL
     * updates the operation name it sends a moment after an edit (under load, after the click that runs it).
     */
    static final String CATALOGUE_OPERATION = "query Catalogue { models { id } }";

    /**
     * Types a query into GraphiQL's editor, presses its run button and returns the response pane's text. GraphiQL
     * parses an edit a moment later: until then the run button still offers the default document's two operations as a
     * menu (aria-haspopup), so it waits for a plain button; if a press still goes unanswered (a loaded machine), it
     * presses again, up to four times.
     */
    static String runInGraphiql(ChromiumSession tab, String query) throws Exception {
        tab.waitFor("document.querySelector('.graphiql-query-editor .CodeMirror')"
                + " && document.querySelector('.graphiql-execute-button')", "GraphiQL's editor", 30);
        String response = "(document.querySelector('.graphiql-response .CodeMirror') || {CodeMirror: {getValue: () => ''}})"
                + ".CodeMirror.getValue().trim()";
        for (int attempt = 1; ; attempt++) {
            tab.eval("document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue("
                    + JSON.writeValueAsString(query) + ")");
            try {
                tab.waitFor("!document.querySelector('.graphiql-execute-button').hasAttribute('aria-haspopup')",
                        "GraphiQL's run button for the one operation typed", 10);
            } catch (AssertionError stillAMenu) {
                // press anyway: the menu opens, and the next attempt presses again
            }
            tab.click(".graphiql-execute-button");
            try {
                tab.waitFor(response + ".length > 0", "GraphiQL's response", 15);
                return tab.eval(response).asText();
            } catch (AssertionError unanswered) {
                if (attempt == 4) {
                    tab.screenshot(SHOTS.resolve("graphiql-unanswered.png"));
                    throw unanswered;
                }
            }
        }
    }

    static final String SAE = """
            query($id: ID!) { sae(id: $id) { id featureCount l0 fvu
              firingRate: distribution(statistic: FIRING_RATE) { features missing zeros median mean min max counts }
              maxActivation: distribution(statistic: MAX_ACTIVATION) { features missing zeros median mean min max counts }
              runs(all: true) { id kind status saes shareMatchedA shareMatchedB analyses { id } } } }""";

    @Test
    void saePageShowsDistributionsRunsMatchesAndCommunitiesAsGraphQLGivesThem() throws Exception {
        browser();
        String saeId = graphql(CATALOGUE, Map.of()).get("models").get(0).get("saes").get(0).get("id").asText();
        JsonNode sae = graphql(SAE, Map.of("id", saeId)).get("sae");
        page.navigate(base);
        page.waitFor("document.querySelector('.sae-card')", "the catalogue");
        page.click(".sae-card[data-sae=\"" + saeId + "\"] a.sae-link");
        page.waitFor("document.querySelector('.sae-distributions')", "the SAE page");
        shot("sae");
        assertEquals("#/sae/" + saeId, page.eval("location.hash").asText(), "a shareable URL");
        assertShown(sae.get("featureCount"), value("header [data-field=featureCount]"), "features");
        assertShown(sae.get("l0"), value("header [data-field=l0]"), "L0");
        assertShown(sae.get("fvu"), value("header [data-field=fvu]"), "FVU");
        for (String stat : List.of("firingRate", "maxActivation")) {
            JsonNode d = sae.get(stat);
            String fig = "figure[data-statistic=" + (stat.equals("firingRate") ? "FIRING_RATE" : "MAX_ACTIVATION") + "]";
            List<String> shown = new ArrayList<>();
            page.eval("[...document.querySelectorAll('" + fig + " dd [data-value]')].map(e => e.dataset.value)")
                    .forEach(v -> shown.add(v.asText()));
            // features with it, (missing when some), zeros, median, mean, min, max: in that order
            List<JsonNode> expected = new ArrayList<>(List.of(JSON.valueToTree(d.get("features").asInt()
                    - d.get("missing").asInt())));
            if (d.get("missing").asInt() > 0) {
                expected.add(d.get("missing"));
            }
            expected.addAll(List.of(d.get("zeros"), d.get("median"), d.get("mean"), d.get("min"), d.get("max")));
            assertEquals(expected.size(), shown.size(), stat + " summary: " + shown);
            for (int k = 0; k < expected.size(); k++) {
                assertShown(expected.get(k), shown.get(k), stat + " summary value " + k);
            }
            assertEquals(d.get("counts").size(), page.eval("document.querySelectorAll('" + fig + " rect.bar').length")
                    .asInt(), stat + ": one bar per bin");
        }
        for (JsonNode r : sae.get("runs")) {
            assertTrue(page.eval("!!document.querySelector('.sae-runs a[data-run=\"" + r.get("id").asText() + "\"]')")
                    .asBoolean(), "run " + r.get("id") + " listed");
        }
        JsonNode match = null;
        for (JsonNode r : sae.get("runs")) {
            if (r.get("kind").asText().equals("match")) {
                match = r;
            }
        }
        assertTrue(match != null, "the demo's seeds are matched");
        String other = match.get("saes").get(1).asText();
        assertTrue(page.text(".sae-matches").contains(other), "the matched SAE is named");
        assertTrue(page.eval("[...document.querySelectorAll('.sae-matches td [data-value]')].map(e => +e.dataset.value)"
                + ".includes(" + match.get("shareMatchedA").asDouble() + ")").asBoolean(), "share matched as GraphQL");
        assertTrue(page.eval("document.querySelectorAll('.sae-communities a[data-community]').length").asInt() > 0,
                "links to communities");
        assertTrue(page.eval("!!document.querySelector('.sae-comparisons a.compare-link')").asBoolean(),
                "links to the seed comparison");
        assertTrue(runShownCypher() > 0, "the page's Cypher returns its SAE");
    }

    @Test
    void saeWithoutActivationsSaysNotLoadedNeverZero() throws Exception {
        browser();
        JsonNode sae = graphql(SAE, Map.of("id", BARE_SAE)).get("sae");
        assertEquals(sae.get("firingRate").get("features").asInt(), sae.get("firingRate").get("missing").asInt());
        page.navigate(base + "#/sae/" + BARE_SAE);
        page.waitFor("document.querySelector('.sae-distributions')", "the SAE page");
        shot("bare-sae");
        for (String fig : List.of("FIRING_RATE", "MAX_ACTIVATION", "MEAN_ACTIVATION")) {
            assertEquals("not loaded", page.text("figure[data-statistic=" + fig + "] .not-loaded"), fig);
            assertEquals(0, page.eval("document.querySelectorAll('figure[data-statistic=" + fig + "] rect').length").asInt());
        }
        assertEquals("not loaded", value("header [data-field=l0]"));
        String text = page.text("main");
        assertFalse(text.contains("0.000%"), "no invented zero firing rate: " + text);
        assertTrue(text.contains("mentions of lighthouses"), "its explained feature is listed");
    }

    @Test
    void unknownSaeSaysSo() throws Exception {
        browser();
        page.navigate(base + "#/sae/no-such-sae");
        page.waitFor("document.querySelector('main .error, main h1')", "an answer");
        assertTrue(page.text("main").contains("no-such-sae"), page.text("main"));
        shot("unknown-sae");
    }

    static final String RUN = """
            query($id: ID!) { run(id: $id) { id kind rStar estimatedChanceFdr estimatedIndirectShare estimatedTotalError
              edgeCount degreeCounts fdrTable { r observed expectedNull fdrEstimate }
              analyses { communities(first: 10) { totalCount edges { node { id } } } } } }""";

    /** The first run of the demo's first SAE of a kind. */
    static String runOf(String kind) throws Exception {
        String sae = graphql(CATALOGUE, Map.of()).get("models").get(0).get("saes").get(0).get("id").asText();
        for (JsonNode r : graphql(SAE, Map.of("id", sae)).get("sae").get("runs")) {
            if (r.get("kind").asText().equals(kind)) {
                return r.get("id").asText();
            }
        }
        throw new AssertionError("no " + kind + " run on " + sae);
    }

    @Test
    void runPageShowsTheFdrChartDegreesCommunitiesAndExportsAsGraphQLGivesThem() throws Exception {
        browser();
        String runId = runOf("dependence");
        JsonNode run = graphql(RUN, Map.of("id", runId)).get("run");
        String sae = graphql(CATALOGUE, Map.of()).get("models").get(0).get("saes").get(0).get("id").asText();
        page.navigate(base + "#/sae/" + sae);
        page.waitFor("document.querySelector('.sae-runs a[data-run]')", "the SAE's runs");
        page.click(".sae-runs a[data-run=\"" + runId + "\"]");
        page.waitFor("document.querySelector('.run-fdr')", "the run page");
        shot("run");
        assertEquals("#/run/" + runId, page.eval("location.hash").asText(), "a shareable URL");
        for (String field : List.of("rStar", "estimatedChanceFdr", "estimatedIndirectShare", "estimatedTotalError", "edgeCount")) {
            String shown = value("[data-field=" + field + "]");
            if (field.equals("estimatedIndirectShare") && run.get(field).isNull()) {
                assertEquals("not estimated", shown, "an indirect share the run did not estimate");
            } else {
                assertShown(run.get(field), shown, field);
            }
        }
        JsonNode fdr = run.get("fdrTable");
        assertTrue(fdr.size() > 1, "the demo's dependence run has an FDR table");
        assertEquals(fdr.size(), page.eval("document.querySelectorAll('table.fdr tbody tr').length").asInt());
        for (int k = 0; k < fdr.size(); k++) {
            JsonNode row = fdr.get(k);
            List<String> cells = new ArrayList<>();
            page.eval("[...document.querySelectorAll('table.fdr tbody tr')[" + k + "].querySelectorAll('[data-value]')]"
                    + ".map(e => e.dataset.value)").forEach(v -> cells.add(v.asText()));
            assertShown(row.get("observed"), cells.get(0), "observed at r = " + row.get("r"));
            assertShown(row.get("expectedNull"), cells.get(1), "expected null at r = " + row.get("r"));
            assertShown(row.get("fdrEstimate"), cells.get(2), "chance FDR at r = " + row.get("r"));
        }
        assertEquals(2 * fdr.size(), page.eval("document.querySelectorAll('.fdr-chart circle').length").asInt(),
                "observed and null-expected points for every r");
        if (!run.get("rStar").isNull()) {
            assertEquals("r* = " + run.get("rStar").asInt(), page.text(".fdr-chart .mark-label"), "r* marked");
        }
        assertEquals(run.get("degreeCounts").size(), page.eval("document.querySelectorAll('.degree-chart circle').length")
                .asInt(), "a point per degree");
        JsonNode communities = run.get("analyses").get(0).get("communities").get("edges");
        assertEquals(communities.size(), page.eval("document.querySelectorAll('.run-communities a[data-community]').length").asInt());
        assertEquals("#/community/" + communities.get(0).get("node").get("id").asText(),
                page.eval("document.querySelector('.run-communities a[data-community]').getAttribute('href')").asText()
                        .replace("%2F", "/"), "community links as the community page reads them");
        // the export buttons download what ./atlas export writes
        for (String format : List.of("csv", "graphml", "nodelink")) {
            String href = page.eval("document.querySelector('.export-buttons a[data-format=" + format + "]').href").asText();
            assertEquals(expectedExport(runId, format), download(href).body(), format + " download as ./atlas export");
        }
        assertTrue(runShownCypher() > 0, "the run page's Cypher returns the run");
    }

    static String expectedExport(String run, String format) throws Exception {
        Path file = dir.resolve("expected-" + run + "." + format);
        org.saeatlas.ingest.export.RunExport.write(db.cypher(), run,
                org.saeatlas.ingest.export.RunExport.Format.parse(format), file, org.saeatlas.compute.Progress.NONE);
        return Files.readString(file);
    }

    static HttpResponse<String> download(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Tag("http")
    void exportEndpointStreamsEachFormatAndRefusesUnknownRunsAndFormats() throws Exception {
        String runId = runOf("coactivation");
        long edges = graphql(RUN, Map.of("id", runId)).get("run").get("edgeCount").asLong();
        String url = base + "api/runs/" + runId + "/export";
        HttpResponse<String> csv = download(url + "?format=csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Disposition").orElse("").contains(runId + ".csv"));
        assertEquals(expectedExport(runId, "csv"), csv.body());
        List<String> lines = csv.body().lines().toList();
        assertTrue(lines.get(0).startsWith("i,j,"), lines.get(0));
        assertEquals(edges, lines.size() - 1, "one row per edge of the run");
        HttpResponse<String> json = download(url + "?format=nodelink");
        assertEquals(edges, JSON.readTree(json.body()).get("links").size(), "node-link: one link per edge");
        HttpResponse<String> xml = download(url + "?format=graphml");
        assertEquals(edges, xml.body().split("<edge ", -1).length - 1, "GraphML: one edge element per edge");
        assertEquals(download(url).body(), csv.body(), "CSV by default");

        HttpResponse<String> unknown = download(base + "api/runs/no-such-run/export?format=csv");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("no-such-run") && unknown.body().contains("not a complete run"), unknown.body());
        HttpResponse<String> format = download(url + "?format=xlsx");
        assertEquals(400, format.statusCode());
        assertTrue(format.body().contains("expected csv, graphml or nodelink") && format.body().contains("xlsx"),
                format.body());
    }

    static final String COMPARE = """
            query($a: ID!, $b: ID!) { compare(a: $a, b: $b) { of
              matchRuns { id saes shareMatchedA shareMatchedB }
              comparisons { id runA runB matchedFeatures ari nmi sharedEdges matchedEdgesA matchedEdgesB edgeJaccard
                degreeJsd erDegreeJsd rewiredDegreeJsd strengthJsd erStrengthJsd rewiredStrengthJsd
                distributions { degreeCountsA degreeCountsB strengthCountsA strengthCountsB strengthBinWidth
                  erDegreeCountsA erDegreeCountsB erStrengthCountsA erStrengthCountsB rewiredStrengthCountsA
                  rewiredStrengthCountsB }
                graphA { degreeCounts } graphB { degreeCounts } }
              matches(first: 50) { run totalCount edges { node { a { id explanation } b { id explanation } score } } } } }""";

    @Test
    void comparePageShowsSharesJsdAgainstBaselinesAndMatchedFeaturesLeadingToTheOtherSeed() throws Exception {
        browser();
        JsonNode saes = graphql(CATALOGUE, Map.of()).get("models").get(0).get("saes");
        String a = saes.get(0).get("id").asText();
        String b = saes.get(1).get("id").asText();
        page.navigate(base + "#/sae/" + a);
        page.waitFor("document.querySelector('.sae-matches a.compare-link')", "the SAE page's matches");
        page.click(".sae-matches a.compare-link");
        page.waitFor("document.querySelector('.compare-matches table.matched-features tbody tr')", "the compare page");
        shot("compare-saes");
        assertEquals("#/compare/" + a + "/" + b, page.eval("location.hash").asText(), "a shareable URL");
        JsonNode c = graphql(COMPARE, Map.of("a", a, "b", b)).get("compare");
        assertEquals("SAE", c.get("of").asText());
        JsonNode match = c.get("matchRuns").get(0);
        boolean aFirst = match.get("saes").get(0).asText().equals(a);
        assertShown(match.get(aFirst ? "shareMatchedA" : "shareMatchedB"), value(".match-runs [data-field=shareA]"), "share of A matched");
        assertShown(match.get(aFirst ? "shareMatchedB" : "shareMatchedA"), value(".match-runs [data-field=shareB]"), "share of B matched");

        JsonNode cmp = c.get("comparisons").get(0);
        String article = "article[data-comparison=\"" + cmp.get("id").asText() + "\"]";
        for (String field : List.of("matchedFeatures", "ari", "nmi", "sharedEdges", "edgeJaccard")) {
            assertShown(cmp.get(field), value(article + " [data-field=" + field + "]"), field);
        }
        assertShown(JSON.valueToTree(cmp.get("matchedEdgesA").asLong() - cmp.get("sharedEdges").asLong()),
                value(article + " [data-field=onlyA]"), "edges only in A");
        for (String kind : List.of("degree", "strength")) {
            String k = kind.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + kind.substring(1);
            List<Double> shown = new ArrayList<>();
            page.eval("[...document.querySelectorAll('" + article + " .jsd-" + kind + " rect.bar')].map(e => +e.dataset.value)")
                    .forEach(v -> shown.add(v.asDouble()));
            assertEquals(List.of(cmp.get(kind + "Jsd").asDouble(), cmp.get("er" + k + "Jsd").asDouble(),
                    cmp.get("rewired" + k + "Jsd").asDouble()), shown, kind + " JSD and both baselines");
        }
        // both graphs' distributions and their random graphs' (the baselines as distributions), point by point
        for (String field : List.of("degreeCountsA", "degreeCountsB", "erDegreeCountsA", "erDegreeCountsB",
                "strengthCountsA", "strengthCountsB", "erStrengthCountsA", "erStrengthCountsB", "rewiredStrengthCountsA",
                "rewiredStrengthCountsB")) {
            JsonNode counts = cmp.get("distributions").get(field);
            assertTrue(counts.isArray() && counts.size() > 1, field + " stored by compare: " + counts);
            boolean strength = field.toLowerCase(java.util.Locale.ROOT).contains("strength");
            double width = strength ? cmp.get("distributions").get("strengthBinWidth").asDouble() : 1;
            double total = 0;
            for (JsonNode n : counts) {
                total += n.asDouble();
            }
            JsonNode points = page.eval("[...document.querySelectorAll('" + article + " ." + (strength ? "strength"
                    : "degree") + "-baselines circle[data-series=" + field + "]')].map(c => [+c.dataset.x, +c.dataset.y])");
            assertEquals(counts.size(), points.size(), field + ": a point per " + (strength ? "bin" : "degree"));
            for (int k = 0; k < counts.size(); k++) {
                assertEquals(k * width, points.get(k).get(0).asDouble(), 1e-12, field + " x of point " + k);
                assertEquals(counts.get(k).asDouble() / total, points.get(k).get(1).asDouble(), 1e-12,
                        field + " share at point " + k);
            }
        }
        assertEquals(cmp.get("graphA").get("degreeCounts"), cmp.get("distributions").get("degreeCountsA"),
                "the comparison's degrees of A are its run's");

        JsonNode pairs = c.get("matches").get("edges");
        assertEquals(Math.min(50, c.get("matches").get("totalCount").asInt()),
                page.eval("document.querySelectorAll('table.matched-features tbody tr').length").asInt());
        JsonNode best = pairs.get(0).get("node");
        String firstRow = page.text("table.matched-features tbody tr");
        assertTrue(firstRow.contains(best.get("a").get("id").asText()) && firstRow.contains(best.get("b").get("id").asText()),
                firstRow);
        for (String side : List.of("a", "b")) {
            JsonNode x = best.get(side).get("explanation");
            assertTrue(x.isNull() || firstRow.contains(x.asText()), "both explanations: " + firstRow);
        }
        assertTrue(runShownCypher() > 0, "the first Cypher of the page (the comparison) returns it");

        // to the matched feature in the other seed
        page.click("table.matched-features tbody tr a.partner");
        String partner = best.get("b").get("id").asText();
        page.waitFor("location.hash.startsWith('#/feature/') && document.querySelector('main h1')", "the partner's page");
        shot("matched-feature");
        assertEquals("#/feature/" + partner, page.eval("decodeURIComponent(location.hash)").asText().split("\\?")[0],
                "the partner's page (its tab in the query)");
        if (!best.get("b").get("explanation").isNull()) {
            page.waitFor("document.querySelector('main').innerText.includes(" + JSON.writeValueAsString(
                    best.get("b").get("explanation").asText()) + ")", "the partner's explanation");
        }
    }

    @Test
    void comparePageOfTwoRunsAndOfUnknownIds() throws Exception {
        browser();
        String sae = graphql(CATALOGUE, Map.of()).get("models").get(0).get("saes").get(0).get("id").asText();
        page.navigate(base + "#/sae/" + sae);
        page.waitFor("document.querySelector('.sae-comparisons a.compare-link')", "the SAE page's comparisons");
        page.click(".sae-comparisons a.compare-link");
        page.waitFor("document.querySelector('.compare-comparisons article.comparison')", "the runs compared");
        shot("compare-runs");
        String[] ids = page.eval("decodeURIComponent(location.hash)").asText().substring("#/compare/".length()).split("/");
        JsonNode c = graphql(COMPARE, Map.of("a", ids[0], "b", ids[1])).get("compare");
        assertEquals("RUN", c.get("of").asText());
        assertEquals(c.get("comparisons").size(), page.eval("document.querySelectorAll('article.comparison').length").asInt());
        assertTrue(page.text(".compare-side[data-side=A]").contains(ids[0]), "run A named");

        page.navigate(base + "#/compare/no-such-a/no-such-b");
        page.waitFor("document.querySelector('main .error')", "an error");
        String text = page.text("main .error");
        assertTrue(text.contains("no-such-a") && text.contains("not in the atlas"), text);
        shot("compare-unknown");
    }

    /** compare(a, b) orients each matched pair from a to b whichever way the match run was stored; bad ids say why. */
    @Test
    @Tag("http")
    void compareQueryOrientsPairsFromItsFirstSaeAndRefusesMixedIds() throws Exception {
        JsonNode saes = graphql(CATALOGUE, Map.of()).get("models").get(0).get("saes");
        String a = saes.get(0).get("id").asText();
        String b = saes.get(1).get("id").asText();
        String q = "query($a: ID!, $b: ID!) { compare(a: $a, b: $b) { matches(first: 100) { run totalCount"
                + " edges { node { a { id sae { id } } b { id sae { id } } score } } } } }";
        JsonNode ab = graphql(q, Map.of("a", a, "b", b)).get("compare").get("matches");
        JsonNode ba = graphql(q, Map.of("a", b, "b", a)).get("compare").get("matches");
        assertEquals(ab.get("run"), ba.get("run"), "the same match run either way");
        assertEquals(ab.get("totalCount"), ba.get("totalCount"));
        assertTrue(ab.get("totalCount").asInt() > 0);
        java.util.Set<String> forward = new java.util.HashSet<>();
        for (JsonNode e : ab.get("edges")) {
            assertEquals(a, e.get("node").get("a").get("sae").get("id").asText());
            assertEquals(b, e.get("node").get("b").get("sae").get("id").asText());
            forward.add(e.get("node").get("a").get("id").asText() + ">" + e.get("node").get("b").get("id").asText());
        }
        java.util.Set<String> backward = new java.util.HashSet<>();
        for (JsonNode e : ba.get("edges")) {
            assertEquals(b, e.get("node").get("a").get("sae").get("id").asText());
            backward.add(e.get("node").get("b").get("id").asText() + ">" + e.get("node").get("a").get("id").asText());
        }
        if (ab.get("totalCount").asInt() <= 100) {
            assertEquals(forward, backward, "the same pairs, turned around");
        }
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode e : ab.get("edges")) {
            assertTrue(e.get("node").get("score").asDouble() <= previous, "best score first");
            previous = e.get("node").get("score").asDouble();
        }
        String run = graphql("query($id: ID!) { sae(id: $id) { runs { id } } }", Map.of("id", a)).get("sae").get("runs")
                .get(0).get("id").asText();
        String body = JSON.writeValueAsString(Map.of("query", "query($a: ID!, $b: ID!) { compare(a: $a, b: $b) { of } }",
                "variables", Map.of("a", a, "b", run)));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.info().graphql()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        String message = JSON.readTree(r.body()).path("errors").path(0).path("message").asText();
        assertTrue(message.contains("expected two SAE ids or two complete run ids") && message.contains("an SAE")
                && message.contains("a run"), message);
    }

    @Test
    void aRunLeftLoadingIsMarkedInTheCatalogueAndItsPageSaysSo() throws Exception {
        browser();
        page.navigate(base);
        page.waitFor("document.querySelector('.sae-card')", "the catalogue");
        String chip = ".sae-card a.chip[data-run=\"" + LOADING_RUN + "\"]";
        assertEquals("loading", page.eval("document.querySelector('" + chip + "').dataset.status").asText());
        assertTrue(page.eval("document.querySelector('" + chip + "').classList.contains('incomplete')").asBoolean());
        page.click(chip);
        page.waitFor("document.querySelector('.run-incomplete')", "the incomplete run's page");
        shot("loading-run");
        assertEquals("loading", page.text(".run-incomplete [data-field=status]"));
        assertTrue(page.text("main").contains("serves complete runs only"), page.text("main"));
    }
}
