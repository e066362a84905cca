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
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Record;
import org.saeatlas.compute.demo.DemoAtlas;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.server.AtlasServer;

/**
 * The graph view, the finished feature page and the community page, driven in headless Chromium (DevTools protocol,
 * {@link ChromiumSession}) against a real server over a small demo atlas with communities, matches between its two
 * seeds and connections from one seed to the other: a user's path from search to a feature, to its community, to a
 * neighbour by clicking a node of the drawing; the cross-layer cone; values on hover. What is rendered is compared
 * with GraphQL, and the Cypher each view shows is run on the database and must return the rows the view shows.
 * Screenshots go to target/web-screenshots. Over the atlas the browser tests share ({@link WebUiAtlas}). Skipped
 * (and reported as skipped) where no Chromium is installed.
 */
@ExtendWith(WebUiAtlas.Shared.class)
class WebUiGraphBrowserIT {

    static final DemoAtlas TRUTH = WebUiAtlas.TRUTH;
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LOGIT_SAE = WebUiAtlas.LOGIT_SAE;
    static final Path SHOTS = Path.of(System.getProperty("basedir", "."), "target", "web-screenshots");

    @TempDir
    static Path dir;
    static WebUiAtlas atlas;
    static AtlasDatabase db;
    static AtlasServer server;
    static String chromium;

    @BeforeAll
    static void start(WebUiAtlas shared) {
        chromium = ChromiumSession.executable();
        assumeTrue(chromium != null, "no Chromium installed: the browser test needs one (.ci/run installs it)");
        atlas = shared;
        db = shared.db;
        server = shared.server;
    }

    ChromiumSession browser(String name) throws Exception {
        return new ChromiumSession(chromium, Files.createDirectories(dir.resolve("chrome-" + name)));
    }

    static JsonNode graphql(String query, Map<String, Object> variables) throws Exception {
        String body = JSON.writeValueAsString(Map.of("query", query, "variables", variables));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.info().graphql()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        assertFalse(json.has("errors"), "GraphQL errors: " + json.path("errors"));
        return json.path("data");
    }

    static List<Record> cypher(String query) {
        try (var session = db.driver().session()) {
            return session.run(query).list();
        }
    }

    /** Every shown Cypher block (data-cypher) of the page, by its heading. */
    static Map<String, String> shownCypher(ChromiumSession b) throws Exception {
        JsonNode blocks = b.eval("[...document.querySelectorAll('[data-cypher]')].map(e => [e.querySelector('h3').textContent, e.dataset.cypher])");
        Map<String, String> out = new java.util.LinkedHashMap<>();
        blocks.forEach(x -> out.put(x.get(0).asText(), x.get(1).asText()));
        return out;
    }

    /** The page asked the server for everything: no request left it (data: URLs are inline). */
    static void assertOffline(ChromiumSession b) {
        String origin = server.info().web();
        List<String> outside = b.requests().stream()
                .filter(u -> !u.startsWith(origin) && !u.startsWith("data:") && !u.equals("about:blank")).toList();
        assertEquals(List.of(), outside, "requests outside the atlas server");
        assertEquals(List.of(), b.consoleErrors(), "script errors in the page");
    }

    /** Clicks the centre of the first element matching a CSS selector, as a user would. */
    static void clickElement(ChromiumSession b, String selector) throws Exception {
        b.eval("document.querySelector(" + JSON.writeValueAsString(selector) + ").scrollIntoView({block: 'center'})");
        JsonNode r = b.eval("(() => { const r = document.querySelector(" + JSON.writeValueAsString(selector)
                + ").getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()");
        b.clickAt(r.get(0).asDouble(), r.get(1).asDouble());
    }

    @Test
    void fromSearchToAFeatureToItsCommunityToANeighbourByClickingTheGraph() throws Exception {
        // a community of the seed-0 dependence run with at least 3 members (a planted module)
        Record c = cypher("""
                MATCH (f:Feature)-[:MEMBER_OF]->(c:Community {kind: 'community'})
                MATCH (r:Run {id: c.run, kind: 'dependence'})
                WITH c, f ORDER BY f.index
                WITH c, collect(f) AS fs WHERE size(fs) >= 3
                RETURN c.id AS id, fs[0].id AS first, fs[0].explanation AS explanation ORDER BY c.id LIMIT 1""").get(0);
        String communityId = c.get("id").asString();
        String featureId = c.get("first").asString();
        String word = c.get("explanation").asString().split("\\s+")[0].replaceAll("[^A-Za-z]", "");
        try (ChromiumSession b = browser("path")) {
            // search for the feature's explanation, open the hit
            b.navigate(server.info().web() + "#/search?q=" + java.net.URLEncoder.encode(
                    "\"" + c.get("explanation").asString().replace("\"", "") + "\"", java.nio.charset.StandardCharsets.UTF_8));
            String hit = "a[href$='/" + featureId.substring(featureId.lastIndexOf('/') + 1) + "'][href*='" + featureId.substring(0, featureId.lastIndexOf('/')) + "']";
            b.waitFor("document.querySelector(\"" + hit.replace("\"", "\\\"") + "\")", "the feature among the search hits (" + word + ")", 30);
            b.screenshot(SHOTS.resolve("graph-1-search.png"));
            // the hits' Cypher (Neo4j's full-text index) returns the hits listed, in order
            b.waitFor("document.querySelector('[data-cypher]')", "the search's Cypher", 10);
            List<String> hits = new ArrayList<>();
            b.eval("[...document.querySelectorAll('.hit-title .feature-id')].map(e => e.textContent)").forEach(x -> hits.add(x.asText()));
            assertFalse(hits.isEmpty());
            assertEquals(hits, cypher(shownCypher(b).get("Cypher of these hits")).stream()
                    .map(x -> x.get("feature").asString()).toList(), "the search's Cypher returns the hits in order");
            clickElement(b, hit);
            b.waitFor("document.querySelector('.feature-id') && document.querySelector('h1 .feature-id').textContent === " + JSON.writeValueAsString(featureId),
                    "the feature page of " + featureId, 30);
            b.waitFor("document.querySelector('.col-side .graph-view') && document.querySelector('.col-side .graph-view').cy",
                    "the neighbourhood drawn", 30);
            b.screenshot(SHOTS.resolve("graph-2-feature.png"));
            // its community, by the link in the communities table
            String link = "a[href='#/community/" + communityId + "']";
            b.waitFor("document.querySelector(\"" + link + "\")", "a link to community " + communityId, 10);
            clickElement(b, link);
            b.waitFor("document.querySelector('table.members') && document.querySelector('.graph-view') && document.querySelector('.graph-view').cy",
                    "the community page drawn", 30);
            b.screenshot(SHOTS.resolve("graph-3-community.png"));

            JsonNode community = graphql("""
                    query($id: ID!) { community(id: $id) { type reason size members(first: 200) { id }
                      subgraph { nodes { id } edges { source target } } } }""", Map.of("id", communityId)).path("community");
            List<String> members = new ArrayList<>();
            community.path("members").forEach(m -> members.add(m.path("id").asText()));
            JsonNode shown = b.eval("[...document.querySelectorAll('table.members a[data-id]')].map(a => a.dataset.id)");
            List<String> shownMembers = new ArrayList<>();
            shown.forEach(x -> shownMembers.add(x.asText()));
            assertEquals(members, shownMembers, "members listed as GraphQL gives them");
            assertEquals(community.path("type").asText().replace('_', ' '), b.eval("document.querySelector('.shape-type').textContent").asText());
            assertEquals(community.path("reason").asText(), b.eval("document.querySelector('.shape-reason').textContent").asText());
            // the drawing holds the members and the run's edges among them
            Set<String> drawnNodes = strings(b.eval("document.querySelector('.graph-view').cy.nodes().map(n => n.id())"));
            assertEquals(new TreeSet<>(members), drawnNodes, "nodes drawn");
            Set<String> drawnEdges = strings(b.eval("document.querySelector('.graph-view').cy.edges().map(e => e.source().id() + '>' + e.target().id())"));
            Set<String> graphqlEdges = new TreeSet<>();
            community.path("subgraph").path("edges").forEach(e -> graphqlEdges.add(e.path("source").asText() + ">" + e.path("target").asText()));
            assertEquals(graphqlEdges, drawnEdges, "edges drawn");
            assertFalse(drawnEdges.isEmpty(), "a planted community has edges");

            // its Cypher returns what is shown: the members and the same edges
            Map<String, String> queries = shownCypher(b);
            List<Record> rows = cypher(queries.get("Cypher of the members and edges"));
            assertEquals(members, rows.stream().map(r -> r.get("member").asString()).toList(), "Cypher members");
            Set<String> cypherEdges = new TreeSet<>();
            for (Record r : rows) {
                for (var t : r.get("targets").asList(v -> v.get("id").asString())) {
                    cypherEdges.add(r.get("member").asString() + ">" + t);
                }
            }
            assertEquals(graphqlEdges, cypherEdges, "Cypher edges");
            // counterparts: same communities and overlap counts as the table
            Map<String, Long> counterparts = new java.util.LinkedHashMap<>();
            for (Record r : cypher(queries.get("Cypher of the counterparts"))) {
                counterparts.put(r.get("counterpart").asString(), r.get("sharedMembers").asLong());
            }
            JsonNode table = b.eval("[...document.querySelectorAll('table.counterparts tbody tr')].map(tr => [tr.querySelector('a[data-id]').dataset.id, tr.querySelector('.shared').textContent])");
            Map<String, Long> shownCounterparts = new java.util.LinkedHashMap<>();
            table.forEach(x -> shownCounterparts.put(x.get(0).asText(), Long.parseLong(x.get(1).asText().replace(",", ""))));
            assertEquals(counterparts, shownCounterparts, "counterparts in the other seed");
            assertFalse(shownCounterparts.isEmpty(), "a planted module shared by both seeds has a counterpart");

            // click another member's node in the drawing: its feature page opens
            String target = members.stream().filter(m -> !m.equals(featureId)).findFirst().orElseThrow();
            // scroll first and let the page settle: Cytoscape refreshes its idea of where its canvas is on scroll
            b.eval("document.querySelector('.graph-view').scrollIntoView({block: 'center'})");
            Thread.sleep(500);
            JsonNode at = b.eval("(() => { const v = document.querySelector('.graph-view');"
                    + " const p = v.cy.getElementById(" + JSON.writeValueAsString(target) + ").renderedPosition();"
                    + " const r = v.cy.container().getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; })()");
            b.mouseMove(at.get(0).asDouble() - 30, at.get(1).asDouble() - 30);
            b.mouseMove(at.get(0).asDouble(), at.get(1).asDouble());
            b.waitFor("!document.querySelector('.graph-tip').hidden", "the hovered node's explanation", 5);
            String tip = b.eval("document.querySelector('.graph-tip').textContent").asText();
            assertTrue(tip.startsWith(target), "tooltip names the node: " + tip);
            b.clickAt(at.get(0).asDouble(), at.get(1).asDouble());
            b.waitFor("document.querySelector('h1 .feature-id') && document.querySelector('h1 .feature-id').textContent === " + JSON.writeValueAsString(target),
                    "the clicked neighbour's feature page", 30);
            b.screenshot(SHOTS.resolve("graph-4-neighbour.png"));
            assertOffline(b);
        }
    }

    @Test
    void featurePageConeHoverValuesHistogramAndNeighbourCypher() throws Exception {
        // a seed-1 feature computed from seed-0 features by stable connections, on which the shared atlas imported a
        // directed graph (a 'measure' attribute on each link): one edge out, one in
        String featureId = atlas.importedFeature;
        try (ChromiumSession b = browser("feature")) {
            b.navigate(server.info().web() + "#/feature/" + featureId + "?tab=dependence");
            b.waitFor("document.querySelector('.cone .graph-view') && document.querySelector('.cone .graph-view').cy",
                    "the cross-layer cone drawn", 40);
            b.waitFor("document.querySelector('.col-side .graph-view') && document.querySelector('.col-side .graph-view').cy",
                    "the neighbourhood drawn", 30);
            b.screenshot(SHOTS.resolve("feature-1-top.png"));

            // the cone: its Cypher returns the connections drawn, each an arrow from upstream to downstream,
            // upstream features in a column left of the feature
            Map<String, String> queries = shownCypher(b);
            Set<String> cypherEdges = new TreeSet<>();
            for (Record row : cypher(queries.get("Cypher of the cone"))) {
                cypherEdges.add(row.get("upstream").asString() + ">" + row.get("downstream").asString());
            }
            String cone = "document.querySelector('.cone .graph-view').cy";
            Set<String> drawn = strings(b.eval(cone + ".edges().map(e => e.source().id() + '>' + e.target().id())"));
            assertEquals(cypherEdges, drawn, "the cone's Cypher returns the connections drawn");
            assertFalse(drawn.isEmpty());
            assertTrue(b.eval(cone + ".edges().every(e => e.hasClass('directed') && e.style('target-arrow-shape') === 'triangle')").asBoolean(), "arrows");
            assertTrue(b.eval("(() => { const cy = " + cone + "; const x = cy.getElementById(" + JSON.writeValueAsString(featureId)
                    + ").position('x'); return cy.edges().filter(e => e.target().id() === " + JSON.writeValueAsString(featureId)
                    + ").every(e => e.source().position('x') < x); })()").asBoolean(), "upstream columns left of the feature");

            // examples: per-token values equal GraphQL's, and hovering a token shows its value
            JsonNode feature = graphql("""
                    query($id: ID!) { feature(id: $id) { maxActivation examples(first: 8) { tokens values }
                      histogram { counts } sae { runs { id rStar parameters } }
                      dependence: neighbours(kind: DEPENDENCE, first: 20) { run feature { id } } } }""",
                    Map.of("id", featureId)).path("feature");
            JsonNode ex = feature.path("examples").get(0);
            int peak = 0;
            for (int i = 0; i < ex.path("values").size(); i++) {
                if (Math.abs(ex.path("values").get(i).asDouble()) > Math.abs(ex.path("values").get(peak).asDouble())) {
                    peak = i;
                }
            }
            String tok = ".example .tok[data-position='" + peak + "']";
            assertEquals(ex.path("values").get(peak).asDouble(), b.eval("Number(document.querySelector(\"" + tok + "\").dataset.value)").asDouble(), 1e-6);
            b.eval("document.querySelector(\"" + tok + "\").scrollIntoView({block: 'center'})");
            JsonNode box = b.eval("(() => { const r = document.querySelector(\"" + tok + "\").getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()");
            b.mouseMove(box.get(0).asDouble(), box.get(1).asDouble());
            b.waitFor("document.querySelector('.example .tok-value').textContent.includes('position " + peak + "')", "the hovered token's value", 5);
            String readout = b.eval("document.querySelector('.example .tok-value').textContent").asText();
            assertTrue(readout.contains(String.format(java.util.Locale.ROOT, "%.4f", ex.path("values").get(peak).asDouble())), readout);
            b.screenshot(SHOTS.resolve("feature-2-hover.png"));
            // full context: every token of the example
            if (b.eval("!!document.querySelector('.example .context-toggle')").asBoolean()) {
                clickElement(b, ".example .context-toggle");
                assertEquals(ex.path("tokens").size(), b.eval("document.querySelector('.example').querySelectorAll('.tok').length").asInt());
            }

            // histogram: one bar per bin, counts equal GraphQL's, with axes
            List<Integer> counts = new ArrayList<>();
            feature.path("histogram").path("counts").forEach(x -> counts.add(x.asInt()));
            List<Integer> bars = new ArrayList<>();
            b.eval("[...document.querySelectorAll('.histogram rect.bar')].map(x => Number(x.dataset.count))").forEach(x -> bars.add(x.asInt()));
            assertEquals(counts, bars, "histogram bars");
            assertTrue(b.eval("document.querySelector('.histogram').textContent").asText().contains("activation (SAE units"), "x axis label");

            // the dependence tab: r* and R of its run as GraphQL gives them, and its Cypher returns the rows listed
            String run = feature.path("dependence").get(0).path("run").asText();
            JsonNode runNode = null;
            for (JsonNode x : feature.path("sae").path("runs")) {
                if (x.path("id").asText().equals(run)) {
                    runNode = x;
                }
            }
            assertEquals(runNode.path("rStar").asInt(), b.eval("Number(document.querySelector('.run-note .r-star').textContent)").asInt());
            assertEquals(JSON.readTree(runNode.path("parameters").asText()).path("resamples").asInt(),
                    b.eval("Number(document.querySelector('.run-note .resamples').textContent)").asInt());
            List<String> listed = new ArrayList<>();
            feature.path("dependence").forEach(x -> listed.add(x.path("feature").path("id").asText()));
            List<String> shownRows = new ArrayList<>();
            b.eval("[...document.querySelectorAll('table.neighbours tbody tr a.feature-id')].map(a => a.title)").forEach(x -> shownRows.add(x.asText()));
            assertEquals(listed, shownRows, "the tab lists GraphQL's neighbours");
            String neighbourQuery = shownCypher(b).get("Cypher");
            assertEquals(listed, cypher(neighbourQuery).stream().map(x -> x.get("neighbour").asString()).toList(),
                    "the tab's Cypher returns its rows in order");
            // the imported tab: one column per link attribute and the direction, as GraphQL gives them
            clickElement(b, "#tab-imported");
            b.waitFor("document.querySelector('#tab-imported').getAttribute('aria-selected') === 'true' && document.querySelector('table.neighbours')", "the imported tab", 10);
            JsonNode imported = graphql("query($id: ID!) { feature(id: $id) { neighbours(kind: IMPORTED) { feature { id } outgoing attributes } } }",
                    Map.of("id", featureId)).path("feature").path("neighbours");
            assertEquals(2, imported.size(), imported.toString());
            JsonNode headers = b.eval("[...document.querySelectorAll('table.neighbours thead th')].map(th => th.textContent)");
            List<String> heads = new ArrayList<>();
            headers.forEach(x -> heads.add(x.asText()));
            int measure = heads.indexOf("measure");
            int direction = heads.indexOf("Direction");
            assertTrue(measure >= 0 && direction >= 0, "attribute and direction columns: " + heads);
            JsonNode cells = b.eval("[...document.querySelectorAll('table.neighbours tbody tr')].map(tr => [tr.querySelector('a.feature-id').title,"
                    + " tr.children[" + measure + "].textContent, tr.children[" + direction + "].textContent])");
            assertEquals(2, cells.size());
            for (int i = 0; i < imported.size(); i++) {
                JsonNode n = imported.get(i);
                assertEquals(n.path("feature").path("id").asText(), cells.get(i).get(0).asText());
                assertEquals(JSON.readTree(n.path("attributes").asText()).path("measure").asText(), cells.get(i).get(1).asText());
                assertEquals(n.path("outgoing").asBoolean() ? "to \u2192" : "\u2190 from", cells.get(i).get(2).asText());
            }
            b.screenshot(SHOTS.resolve("feature-3-imported.png"));
            // every neighbour tab: the rows are GraphQL's, and the tab's Cypher returns them in order
            int compared = 0;
            for (String tab : List.of("coactivation", "dependence", "cosine", "match", "structural", "imported")) {
                clickElement(b, "#tab-" + tab);
                b.waitFor("document.querySelector('#tab-" + tab + "').getAttribute('aria-selected') === 'true'", "tab " + tab);
                List<String> rows = new ArrayList<>();
                b.eval("[...document.querySelectorAll('table.neighbours tbody tr a.feature-id')].map(a => a.title)").forEach(x -> rows.add(x.asText()));
                if (rows.isEmpty()) {
                    continue;
                }
                List<String> columns = new ArrayList<>();
                b.eval("[...document.querySelectorAll('table.neighbours thead th')].map(th => th.textContent.toLowerCase())").forEach(x -> columns.add(x.asText()));
                assertEquals(new TreeSet<>(columns).size(), columns.size(), "tab " + tab + ": each column once: " + columns);
                String q = shownCypher(b).get("Cypher");
                assertEquals(rows, cypher(q).stream().map(x -> x.get("neighbour").asString()).toList(), "tab " + tab + ": " + q);
                compared++;
            }
            assertTrue(compared >= 3, "tabs with rows compared: " + compared);
            // the feature's own Cypher returns the statistics GraphQL gave the page
            JsonNode stats = graphql("query($id: ID!) { feature(id: $id) { firingRate maxActivation } }", Map.of("id", featureId)).path("feature");
            Record own = cypher(shownCypher(b).get("Cypher of this feature")).get(0);
            assertEquals(stats.path("firingRate").asDouble(), own.get("firingRate").asDouble(), 1e-12);
            assertEquals(stats.path("maxActivation").asDouble(), own.get("maxActivation").asDouble(), 1e-9);
            // the formula's Cypher returns the terms listed
            List<String> terms = new ArrayList<>();
            b.eval("[...document.querySelectorAll('table.formula-terms tbody tr td:nth-child(2) a')].map(a => a.textContent)").forEach(x -> terms.add(x.asText()));
            assertEquals(terms, cypher(queries.get("Cypher of the formula")).stream().map(x -> x.get("upstream").asString()).toList());
            assertFalse(terms.isEmpty());
            assertOffline(b);
        }
    }

    @Test
    void logitTablesOfAnExportAreShownAsStoredAndServed() throws Exception {
        JsonNode logits = graphql("query { feature(id: \"" + LOGIT_SAE + "/1\") { logits { positive { token value } negative { token value } } } }",
                Map.of()).path("feature").path("logits");
        assertEquals(" Brigade", logits.path("positive").get(0).path("token").asText());
        assertEquals(3.753, logits.path("positive").get(0).path("value").asDouble());
        assertEquals(" \"battalion\"", logits.path("positive").get(1).path("token").asText());
        assertEquals(-0.707, logits.path("negative").get(0).path("value").asDouble());
        try (ChromiumSession b = browser("logits")) {
            b.navigate(server.info().web() + "#/feature/" + LOGIT_SAE + "/1");
            b.waitFor("document.querySelector('.logit-tables')", "the logit tables", 30);
            JsonNode shown = b.eval("['pos', 'neg'].map(c => [...document.querySelectorAll('table.logits.' + c + ' tbody tr')]"
                    + ".map(tr => [JSON.parse(tr.querySelector('.logit-token').textContent), Number(tr.querySelector('.logit-value').dataset.value)]))");
            for (int side = 0; side < 2; side++) {
                JsonNode expected = logits.path(side == 0 ? "positive" : "negative");
                assertEquals(expected.size(), shown.get(side).size());
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i).path("token").asText(), shown.get(side).get(i).get(0).asText());
                    assertEquals(expected.get(i).path("value").asDouble(), shown.get(side).get(i).get(1).asDouble(), 1e-12);
                }
            }
            assertTrue(b.text("#main").contains("No activations loaded"), "an export without activations says so");
            b.screenshot(SHOTS.resolve("feature-4-logits.png"));
            assertOffline(b);
        }
        // a feature of an SAE loaded without logit tables has none (null, not an empty table)
        assertTrue(graphql("query { feature(id: \"" + TRUTH.saes().get(0).id() + "/0\") { logits { positive { token } } } }",
                Map.of()).path("feature").path("logits").isNull());
    }

    /**
     * A graph of 1,000 features and 2,000 edges in each layout: every element is drawn, and the time to draw it and
     * to redraw after a zoom and pan step is printed (a figure for the README, not asserted: the machine's load decides it).
     */
    @Test
    void aGraphOfThreeThousandElementsIsDrawnInEachLayout() throws Exception {
        try (ChromiumSession b = browser("large")) {
            b.navigate(server.info().web() + "#/search");
            b.waitFor("typeof window.cytoscape === 'function' && document.querySelector('#main')", "the app", 30);
            JsonNode r = b.eval("""
                    (async () => {
                      const { graphView } = await import('/js/graph.js');
                      const N = 1000, E = 2000;
                      let seed = 7;
                      const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
                      const nodes = [...Array(N)].map((_, i) => ({ id: 'big/' + i, explanation: 'feature ' + i, layer: i % 4, sae: 'big' + (i % 4) }));
                      const edges = [...Array(E)].map(() => ({ source: 'big/' + Math.floor(rnd() * N), target: 'big/' + Math.floor(rnd() * N),
                        weight: rnd() - 0.3, kind: 'DEPENDENCE', directed: true }));
                      const out = [];
                      for (const layout of ['concentric', 'force', 'layers']) {
                        const t0 = performance.now();
                        const el = graphView({ nodes, edges, layout, label: 'large' });
                        document.querySelector('#main').replaceChildren(el);
                        await new Promise((ok) => { const w = () => (el.cy ? ok() : setTimeout(w, 5)); w(); });
                        await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
                        const drawn = performance.now() - t0;
                        const frames = [];
                        for (let k = 0; k < 20; k++) {
                          const f0 = performance.now();
                          el.cy.zoom({ level: el.cy.zoom() * (k % 2 ? 1.15 : 0.87), renderedPosition: { x: 300, y: 200 } });
                          el.cy.panBy({ x: 7, y: 4 });
                          await new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)));
                          frames.push(performance.now() - f0);
                        }
                        frames.sort((a, b) => a - b);
                        out.push({ layout, nodes: el.cy.nodes().length, edges: el.cy.edges().length, drawn, median: frames[10], worst: frames[19] });
                      }
                      return out;
                    })()""");
            for (JsonNode x : r) {
                assertEquals(1000, x.path("nodes").asInt(), x.toString());
                assertEquals(2000, x.path("edges").asInt(), x.toString());
                System.out.printf(java.util.Locale.ROOT, "graph view, %s layout, 1,000 features + 2,000 edges: drawn in %.0f ms;"
                        + " zoom+pan step to the next frame: median %.1f ms, worst %.1f ms%n", x.path("layout").asText(),
                        x.path("drawn").asDouble(), x.path("median").asDouble(), x.path("worst").asDouble());
            }
            assertOffline(b);
        }
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }
}
