package org.saeatlas.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.demo.DemoAtlas;
import org.saeatlas.compute.demo.DemoAtlasGenerator;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.DemoLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * Demo-sized data through compute, ingest and GraphQL over HTTP, against a real embedded Neo4j: planted module
 * members come back as neighbours, search finds explanations, and Cypher over Bolt (what Neo4j Browser runs) sees
 * the same neighbours.
 */
class DemoAtlasEndToEndIT {

    static final DemoParameters PARAMS = DemoParameters.small(7);
    static final DemoAtlas TRUTH = DemoAtlasGenerator.generate(PARAMS);

    @TempDir
    static Path dir;
    static AtlasDatabase db;
    static AtlasServer server;
    static GraphQLClient client;

    @BeforeAll
    static void start() {
        db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"), EmbeddedNeo4j.freePort(),
                EmbeddedNeo4j.freePort(), "64m"));
        new DemoLoader(db, new PrintStream(new ByteArrayOutputStream())).load(PARAMS);
        // a connection run from one seed to the other (the Browser guide's connection queries need one)
        new org.saeatlas.ingest.analytics.ConnectionLoader(db.cypher(), new PrintStream(new ByteArrayOutputStream()))
                .load(TRUTH.saes().get(0).id(), TRUTH.saes().get(0).activations(), TRUTH.saes().get(1).id(),
                        TRUTH.saes().get(1).activations(),
                        org.saeatlas.compute.connections.ConnectionParameters.defaults().withResamples(4),
                        new org.saeatlas.compute.connections.MlpBaseline(8, 10));
        server = AtlasServer.start(db, "127.0.0.1", EmbeddedNeo4j.freePort(), Map.of());
        client = new GraphQLClient(server.info().graphql());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static String saeA() {
        return TRUTH.saes().get(0).id();
    }

    @Test
    void plantedModuleMembersAreEachOthersNeighbours() throws Exception {
        for (int[] module : TRUTH.truth().modules()) {
            JsonNode f = client.data("""
                    query($sae: ID!, $index: Int!) {
                      feature(sae: $sae, index: $index) {
                        id index explanation
                        neighbours(kind: COACTIVATION, first: 10) { feature { index } weight count correlation }
                      }
                    }""", Map.of("sae", saeA(), "index", module[0])).get("feature");
            assertEquals(module[0], f.get("index").asInt());
            Set<Integer> got = new HashSet<>();
            for (JsonNode n : f.get("neighbours")) {
                got.add(n.get("feature").get("index").asInt());
                assertTrue(n.get("count").asInt() >= 3);
                assertEquals(n.get("weight").asDouble(), n.get("correlation").asDouble(), 1e-12);
            }
            for (int k = 1; k < module.length; k++) {
                assertTrue(got.contains(module[k]), "module member " + module[k] + " of " + module[0] + " in " + got);
            }
        }
    }

    @Test
    void childrenHaveTheirParentAsAStableDependenceNeighbour() throws Exception {
        int pairs = 0;
        int found = 0;
        for (int[] family : TRUTH.truth().hierarchies()) {
            for (int k = 1; k < family.length; k++) {
                JsonNode n = client.data("""
                        query($sae: ID!, $index: Int!) {
                          feature(sae: $sae, index: $index) {
                            neighbours(kind: DEPENDENCE, stableOnly: true, first: 20) {
                              feature { index } weight replicates nullReplicates stable cosine
                            }
                          }
                        }""", Map.of("sae", saeA(), "index", family[k])).get("feature").get("neighbours");
                pairs++;
                for (JsonNode e : n) {
                    assertTrue(e.get("stable").asBoolean());
                    assertTrue(e.has("cosine") && !e.get("cosine").isNull(), "cosine on dependence edges");
                    if (e.get("feature").get("index").asInt() == family[0]) {
                        found++;
                    }
                }
            }
        }
        assertTrue(found >= 0.8 * pairs, found + " of " + pairs + " child-parent pairs are stable dependence edges");
    }

    @Test
    void dependenceRunCarriesItsFdrTableAndParameters() throws Exception {
        JsonNode runs = client.data("query($sae: ID) { runs(sae: $sae) { kind rStar parameters cosineStrengthCorrelation"
                + " thresholdRule estimatedChanceFdr estimatedIndirectShare estimatedTotalError thresholdReason"
                + " fdrTable { r observed fdrEstimate indirectShare totalError } } }",
                Map.of("sae", saeA())).get("runs");
        JsonNode dep = null;
        for (JsonNode r : runs) {
            if (r.get("kind").asText().equals("dependence")) {
                dep = r;
            }
        }
        assertTrue(dep != null, runs.toString());
        assertEquals(30, dep.get("fdrTable").size());
        double r = dep.get("cosineStrengthCorrelation").asDouble();
        assertTrue(!dep.get("cosineStrengthCorrelation").isNull() && r >= -1 && r <= 1, dep.toString());
        assertTrue(dep.get("parameters").asText().contains("\"null_mode\":\"global\""), dep.get("parameters").asText());
        // r* is chosen by the chance FDR plus the indirect share measured on a planted twin, and says so
        assertEquals("total", dep.get("thresholdRule").asText());
        assertTrue(dep.get("thresholdReason").asText().contains("indirect share"), dep.toString());
        JsonNode first = dep.get("fdrTable").get(0);
        assertEquals(first.get("fdrEstimate").asDouble() + first.get("indirectShare").asDouble(),
                first.get("totalError").asDouble(), 1e-9, first.toString());
        if (!dep.get("rStar").isNull()) {
            JsonNode at = dep.get("fdrTable").get(dep.get("rStar").asInt() - 1);
            assertEquals(at.get("indirectShare").asDouble(), dep.get("estimatedIndirectShare").asDouble(), 1e-12);
            assertEquals(at.get("fdrEstimate").asDouble(), dep.get("estimatedChanceFdr").asDouble(), 1e-12);
            assertTrue(dep.get("estimatedTotalError").asDouble() <= 0.1, dep.toString());
        }
    }

    @Test
    void searchFindsAFeatureByAWordOfItsExplanation() throws Exception {
        int feature = TRUTH.truth().modules().get(0)[0];
        String explanation = TRUTH.saes().get(0).explanations().get(feature);
        String word = explanation.split("\"")[1]; // the module member's keyword, e.g. court
        JsonNode hits = client.data("""
                query($q: String!, $sae: ID!) {
                  search(text: $q, filters: {saes: [$sae]}, first: 50) {
                    edges { score snippet feature { id index } explanation { text } }
                    pageInfo { hasNextPage endCursor }
                  }
                }""", Map.of("q", word, "sae", saeA())).get("search");
        boolean found = false;
        for (JsonNode hit : hits.get("edges")) {
            assertTrue(hit.get("feature").get("id").asText().startsWith(saeA() + "/"), "filter by SAE");
            assertTrue(hit.get("snippet").asText().contains("<mark>"), hit.get("snippet").asText());
            found |= hit.get("feature").get("index").asInt() == feature;
        }
        assertTrue(found, word + " should find feature " + feature + ": " + hits);
    }

    @Test
    void featureHistogramsCountTheFiringTokensInTheirSaesBins() throws Exception {
        JsonNode page = client.data("""
                query($sae: ID!) { features(sae: $sae, first: 40) { edges { node {
                  id firingRate maxActivation histogram { binEdges counts } } } } }""",
                Map.of("sae", saeA())).get("features").get("edges");
        double tokens = -1;
        int checked = 0;
        for (JsonNode e : page) {
            JsonNode f = e.get("node");
            JsonNode h = f.get("histogram");
            if (f.get("firingRate").asDouble() == 0) {
                continue;
            }
            assertEquals(h.get("counts").size() + 1, h.get("binEdges").size(), f.get("id").asText());
            long sum = 0;
            for (JsonNode c : h.get("counts")) {
                sum += c.asLong();
            }
            // every firing token is in one bin: the counts add up to firing rate x tokens, the same tokens for all
            double t = sum / f.get("firingRate").asDouble();
            if (tokens < 0) {
                tokens = t;
            }
            assertEquals(tokens, t, 1e-6 * tokens, f.get("id").asText());
            // the maximum activation falls in a bin that counts at least one token
            double max = f.get("maxActivation").asDouble();
            JsonNode edges = h.get("binEdges");
            int bin = -1;
            for (int b = 0; b + 1 < edges.size(); b++) {
                // edges are exp(log ...) of the extremes: allow their last-digit round-off
                if (edges.get(b).asDouble() * (1 - 1e-12) <= max && max <= edges.get(b + 1).asDouble() * (1 + 1e-12)) {
                    bin = b;
                }
            }
            assertTrue(bin >= 0 && h.get("counts").get(bin).asLong() >= 1, f.get("id") + ": max " + max + " in " + h);
            checked++;
        }
        assertTrue(checked > 20, "features with histograms: " + checked);
    }

    /** All hits of {@code q} page by page (pages of 25), as feature id | explanation text | source, in order. */
    private static List<String> allPages(String q, String sae) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        String after = null;
        for (int page = 0; page < 200; page++) {
            Map<String, Object> vars = new java.util.HashMap<>(Map.of("q", q));
            if (after != null) {
                vars.put("after", after);
            }
            if (sae != null) {
                vars.put("filters", Map.of("saes", List.of(sae)));
            }
            JsonNode s = client.data("""
                    query($q: String!, $after: String, $filters: SearchFilters) {
                      search(text: $q, first: 25, after: $after, filters: $filters) {
                        edges { score feature { id } explanation { text source } } pageInfo { hasNextPage endCursor } } }""",
                    vars).get("search");
            for (JsonNode e : s.get("edges")) {
                ids.add(e.get("feature").get("id").asText() + "|" + e.get("explanation").get("text").asText() + "|"
                        + e.get("explanation").get("source").asText());
            }
            if (!s.get("pageInfo").get("hasNextPage").asBoolean()) {
                return ids;
            }
            after = s.get("pageInfo").get("endCursor").asText();
        }
        throw new AssertionError("more than 200 pages for " + q);
    }

    @Test
    void searchPagesCoverEveryHitOnceWithAndWithoutFiltersAsNeo4jCountsThem() throws Exception {
        String saeB = TRUTH.saes().get(1).id();
        for (String q : List.of("legal", "text")) {
            List<Map<String, Object>> expected = db.cypher().read("""
                    CALL db.index.fulltext.queryNodes('explanation_text', $q) YIELD node
                    MATCH (node)-[:EXPLAINS]->(f:Feature)
                    RETURN f.id + '|' + node.text + '|' + node.source AS hit, node.sae AS sae""", Map.of("q", q));
            List<String> all = allPages(q, null);
            assertEquals(expected.size(), all.size(), q + ": every hit once");
            assertEquals(new HashSet<>(all).size(), all.size(), q + ": no hit twice across pages");
            assertEquals(expected.stream().map(r -> (String) r.get("hit")).collect(java.util.stream.Collectors.toSet()),
                    new HashSet<>(all));
            // filtered to the second SAE: hits of the first come first in no particular order, so the filtered
            // ranking needs several windows of the full one
            List<String> onlyB = allPages(q, saeB);
            assertEquals(expected.stream().filter(r -> saeB.equals(r.get("sae"))).map(r -> (String) r.get("hit"))
                    .collect(java.util.stream.Collectors.toSet()), new HashSet<>(onlyB), q + " in " + saeB);
            assertEquals(new HashSet<>(onlyB).size(), onlyB.size());
            assertEquals(all.stream().filter(h -> h.startsWith(saeB + "/")).toList(), onlyB,
                    "the filtered ranking is the full ranking without the other SAE's hits");
            assertTrue(q.equals("legal") || all.indexOf(onlyB.get(onlyB.size() - 1)) >= 64, q + ": the filtered ranking reached past the"
                    + " first window of 64 hits (" + all.size() + " hits, " + onlyB.size() + " in " + saeB + ")");
        }
    }

    @Test
    void similarExplanationsFindTheSameConceptInTheOtherSeedAndTheTheme() throws Exception {
        int feature = TRUTH.truth().modules().get(0)[0];
        int other = TRUTH.truth().bOfA()[feature];
        JsonNode similar = client.data("query($id: ID!) { feature(id: $id) { similar(first: 10) { similarity feature { id } explanation { text } } } }",
                Map.of("id", saeA() + "/" + feature)).get("feature").get("similar");
        assertTrue(similar.size() > 0, "embeddings and the vector index are there");
        double previous = 2;
        for (JsonNode s : similar) {
            assertTrue(s.get("similarity").asDouble() <= previous, "ordered by similarity");
            previous = s.get("similarity").asDouble();
        }
        if (other >= 0) {
            // the other seed learned the same concept with the same explanation: the most similar of all
            assertEquals(TRUTH.saes().get(1).id() + "/" + other, similar.get(0).get("feature").get("id").asText());
        }
        JsonNode same = client.data("query($id: ID!) { feature(id: $id) { similar(first: 5, sameSae: true) { feature { id } } } }",
                Map.of("id", saeA() + "/" + feature)).get("feature").get("similar");
        same.forEach(s -> assertTrue(s.get("feature").get("id").asText().startsWith(saeA() + "/")));
    }

    /**
     * similar(first: N) is the top N of the whole vector index for every N: the vector search must not be cut to N
     * before the feature's own explanations and the sameSae filter are removed (first: 1-3 gave a 0.80 match while
     * 1.00 ones existed). The reference ranking asks the index for every explanation (so its approximate search sees
     * them all; its scores, of quantized vectors, differ in the fifth digit with k) and filters and ranks them here.
     */
    @Test
    void similarIsTheTopNOfTheWholeIndexForEveryNWithAndWithoutSameSae() throws Exception {
        long all = ((Number) db.cypher().read("MATCH (x:Explanation) RETURN count(x) AS n", Map.of()).get(0).get("n"))
                .longValue();
        List<String> ids = db.cypher().read("MATCH (x:Explanation)-[:EXPLAINS]->(f:Feature) WHERE x.embedding IS NOT"
                + " NULL RETURN DISTINCT f.id AS id ORDER BY id", Map.of()).stream().map(r -> (String) r.get("id"))
                .toList();
        assertTrue(ids.size() > 500, "the demo's explanations carry embeddings: " + ids.size());
        int checked = 0;
        for (String id : ids.stream().limit(25).toList()) {
            for (boolean sameSae : new boolean[] {false, true}) {
                List<Double> reference = db.cypher().read("""
                        MATCH (x:Explanation)-[:EXPLAINS]->(f:Feature {id: $id}) WHERE x.embedding IS NOT NULL
                        WITH f, x ORDER BY x.id LIMIT 1
                        CALL db.index.vector.queryNodes($index, $all, x.embedding) YIELD node, score
                        MATCH (node)-[:EXPLAINS]->(g:Feature) WHERE g <> f AND (NOT $same OR g.sae = f.sae)
                        RETURN g.id AS g, max(score) AS score ORDER BY score DESC""", Map.of("id", id, "index",
                        org.saeatlas.schema.Vocabulary.VECTOR_EXPLANATIONS, "all", all, "same", sameSae))
                        .stream().map(r -> ((Number) r.get("score")).doubleValue()).toList();
                for (int n : new int[] {1, 2, 3, 5, 8}) {
                    JsonNode similar = client.data("query($id: ID!, $n: Int!, $same: Boolean!) { feature(id: $id)"
                            + " { similar(first: $n, sameSae: $same) { similarity feature { id } } } }",
                            Map.of("id", id, "n", n, "same", sameSae)).get("feature").get("similar");
                    assertEquals(n, similar.size(), id + " first " + n);
                    for (int i = 0; i < n; i++) {
                        assertEquals(reference.get(i), similar.get(i).get("similarity").asDouble(), 1e-3,
                                id + " similar(first: " + n + ", sameSae: " + sameSae + ") #" + (i + 1) + ": "
                                        + similar + ", top of the whole index: " + reference.subList(0, n));
                        assertTrue(!similar.get(i).get("feature").get("id").asText().equals(id), "not itself");
                    }
                    checked++;
                }
            }
        }
        assertEquals(250, checked);
    }

    @Test
    void hybridSearchFusesTextAndEmbeddingRankings() throws Exception {
        String query = """
                query($q: String!, $mode: SearchMode!) { search(text: $q, mode: $mode, first: 30) {
                  edges { score feature { id } explanation { text } } pageInfo { hasNextPage } } }""";
        JsonNode text = client.data(query, Map.of("q", "legal", "mode", "TEXT")).get("search").get("edges");
        JsonNode hybrid = client.data(query, Map.of("q", "legal", "mode", "HYBRID")).get("search").get("edges");
        assertTrue(text.size() > 0 && hybrid.size() > 0);
        // fused scores are reciprocal-rank sums: at most 2/61, decreasing
        double previous = 1;
        for (JsonNode h : hybrid) {
            double score = h.get("score").asDouble();
            assertTrue(score <= 2.0 / 61 + 1e-12 && score <= previous, "RRF score " + score);
            previous = score;
        }
        // the best text hit stays near the top of the fused list
        String top = text.get(0).get("feature").get("id").asText();
        boolean near = false;
        for (int k = 0; k < Math.min(5, hybrid.size()); k++) {
            near |= hybrid.get(k).get("feature").get("id").asText().equals(top);
        }
        assertTrue(near, "top text hit " + top + " in the hybrid top 5");
    }

    @Test
    void communitiesMatchesAndSeedComparisonAreServed() throws Exception {
        JsonNode runs = client.data("query($sae: ID) { runs(sae: $sae) { id kind } }", Map.of("sae", saeA())).get("runs");
        String coRun = null;
        for (JsonNode r : runs) {
            if (r.get("kind").asText().equals("coactivation")) {
                coRun = r.get("id").asText();
            }
        }
        int[] module = TRUTH.truth().modules().get(0);
        JsonNode f = client.data("""
                query($id: ID!, $run: ID!) { feature(id: $id) { matchedIn
                  communities(run: $run) { id kind type size reason members { index } subgraph { nodes { id } edges { kind } } }
                  neighbours(kind: MATCH, first: 3) { feature { id } weight method } } }""",
                Map.of("id", saeA() + "/" + module[0], "run", coRun)).get("feature");
        JsonNode community = null;
        for (JsonNode c : f.get("communities")) {
            if (c.get("kind").asText().equals("community")) {
                community = c;
            }
        }
        assertTrue(community != null, "the module member is in a community: " + f);
        Set<Integer> members = new HashSet<>();
        community.get("members").forEach(m -> members.add(m.get("index").asInt()));
        for (int m : module) {
            assertTrue(members.contains(m), "planted module member " + m + " in community " + members);
        }
        assertFalse(community.get("type").asText().isEmpty());
        assertEquals(community.get("size").asInt(), community.get("subgraph").get("nodes").size());
        community.get("subgraph").get("edges").forEach(e -> assertEquals("COACTIVATION", e.get("kind").asText()));
        int partner = TRUTH.truth().bOfA()[module[0]];
        if (partner >= 0) {
            assertEquals(1, f.get("matchedIn").asInt());
            assertEquals(TRUTH.saes().get(1).id() + "/" + partner, f.get("neighbours").get(0).get("feature").get("id").asText());
            Set<String> distinct = new HashSet<>();
            f.get("neighbours").forEach(n -> assertTrue(distinct.add(n.get("feature").get("id").asText()), "one row per neighbour"));
        }
        JsonNode comparisons = client.data("query($run: ID) { comparisons(run: $run) { degreeJsd erDegreeJsd edgeJaccard erEdgeJaccard } }",
                Map.of("run", coRun)).get("comparisons");
        assertTrue(comparisons.size() >= 1);
        JsonNode c = comparisons.get(0);
        assertTrue(c.get("degreeJsd").asDouble() < c.get("erDegreeJsd").asDouble(), "seeds closer than random: " + c);
        assertTrue(c.get("edgeJaccard").asDouble() > c.get("erEdgeJaccard").asDouble(), c.toString());
        JsonNode analyses = client.data("query($run: ID!) { analyses(run: $run) { algorithm modularity communities(first: 5) { totalCount edges { node { id size type } } } } }",
                Map.of("run", coRun)).get("analyses");
        assertEquals("leiden", analyses.get(0).get("algorithm").asText());
        assertTrue(analyses.get(0).get("communities").get("totalCount").asInt() >= TRUTH.truth().modules().size());
    }

    @Test
    void cypherOverBoltSeesTheSameNeighbours() throws Exception {
        int feature = TRUTH.truth().modules().get(1)[0];
        String id = saeA() + "/" + feature;
        JsonNode f = client.data("query($id: ID!) { feature(id: $id) { neighbours(first: 100) { feature { id } } } }",
                Map.of("id", id)).get("feature");
        Set<String> viaGraphQL = new HashSet<>();
        f.get("neighbours").forEach(n -> viaGraphQL.add(n.get("feature").get("id").asText()));
        Set<String> viaCypher = new HashSet<>();
        try (var driver = org.neo4j.driver.GraphDatabase.driver(db.boltUri(), org.neo4j.driver.AuthTokens.none());
             var session = driver.session()) {
            session.run("MATCH (f:Feature {id: $id})-[e:COACTIVATES]-(g:Feature) RETURN g.id AS id", Map.of("id", id))
                    .list(r -> r.get("id").asString()).forEach(viaCypher::add);
        }
        assertFalse(viaCypher.isEmpty());
        assertEquals(viaCypher, viaGraphQL);
    }

    @Test
    void structuralMatchesAreServedWithTheirMethodOnlyWhenAskedFor() throws Exception {
        JsonNode runs = client.data("query($sae: ID) { runs(sae: $sae) { id kind method graphRuns } }",
                Map.of("sae", saeA())).get("runs");
        String structural = null;
        for (JsonNode r : runs) {
            if (r.get("kind").asText().equals("structural_match")) {
                structural = r.get("id").asText();
                assertEquals("structural", r.get("method").asText());
                assertEquals(2, r.get("graphRuns").size(), r.toString());
            }
        }
        assertTrue(structural != null, "the demo stores a structural match run: " + runs);
        String a;
        String b;
        try (var driver = org.neo4j.driver.GraphDatabase.driver(db.boltUri(), org.neo4j.driver.AuthTokens.none());
             var session = driver.session()) {
            var row = session.run("""
                    MATCH (a:Feature)-[m:MATCHES {run: $run, method: 'structural/assignment'}]->(b:Feature)
                    RETURN a.id AS a, b.id AS b ORDER BY m.score DESC, a.id LIMIT 1""", Map.of("run", structural))
                    .single();
            a = row.get("a").asString();
            b = row.get("b").asString();
        }
        JsonNode f = client.data("""
                query($id: ID!, $run: ID!) { feature(id: $id) {
                  confident: neighbours(kind: MATCH, first: 50) { method }
                  structural: neighbours(kind: MATCH, matchedBy: STRUCTURAL, first: 50) { feature { id } weight method rank }
                  byRun: neighbours(kind: MATCH, run: $run, first: 50) { method }
                  cosine: neighbours(kind: MATCH, matchedBy: DECODER_COSINE, first: 50) { method } } }""",
                Map.of("id", a, "run", structural)).get("feature");
        boolean found = false;
        for (JsonNode n : f.get("structural")) {
            assertTrue(n.get("method").asText().startsWith("structural/"), n.toString());
            assertTrue(n.get("weight").asDouble() > 0 && n.get("rank").asInt() >= 1, n.toString());
            found |= n.get("feature").get("id").asText().equals(b);
        }
        assertTrue(found, b + " among the structural matches of " + a + ": " + f);
        assertEquals(f.get("structural").size(), f.get("byRun").size());
        f.get("confident").forEach(n -> assertFalse(n.get("method").asText().startsWith("structural/"), n.toString()));
        f.get("cosine").forEach(n -> assertTrue(n.get("method").asText().startsWith("decoder_cosine/"), n.toString()));
    }

    @Test
    void aMatchEdgeIsDrawnAndListedWithItsScoreAsWeightAndOnlyItsStoredAttributes() throws Exception {
        String a;
        String b;
        String run;
        double score;
        try (var driver = org.neo4j.driver.GraphDatabase.driver(db.boltUri(), org.neo4j.driver.AuthTokens.none());
             var session = driver.session()) {
            var row = session.run("""
                    MATCH (r:Run {kind: 'match'}) WITH r ORDER BY r.id LIMIT 1
                    MATCH (a:Feature)-[m:MATCHES {run: r.id}]->(b:Feature)
                    RETURN a.id AS a, b.id AS b, r.id AS run, m.score AS score
                    ORDER BY m.score DESC, a.id LIMIT 1""", Map.of()).single();
            a = row.get("a").asString();
            b = row.get("b").asString();
            run = row.get("run").asString();
            score = row.get("score").asDouble();
        }
        // before: a match edge's weight was null in a subgraph (GraphQL errors: weight is Float!)
        JsonNode r = client.data("""
                query($id: ID!, $run: ID!) { subgraph(feature: $id, kind: MATCH, hops: 1, run: $run) { edges { source target weight attributes } }
                  feature(id: $id) { neighbours(kind: MATCH, run: $run, first: 50) { feature { id } weight attributes } } }""",
                Map.of("id", a, "run", run));
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        boolean drawn = false;
        JsonNode edges = r.get("subgraph").get("edges");
        assertFalse(edges.isEmpty(), "the match subgraph of " + a + " has edges");
        for (JsonNode e : edges) {
            JsonNode attributes = json.readTree(e.get("attributes").asText());
            assertEquals(attributes.get("score").asDouble(), e.get("weight").asDouble(), 0.0, e.toString());
            assertFalse(attributes.has("weight"), "a match edge stores no weight: " + e);
            drawn |= e.get("source").asText().equals(a) && e.get("target").asText().equals(b)
                    && e.get("weight").asDouble() == score;
        }
        assertTrue(drawn, a + " -> " + b + " with weight " + score + " in " + edges);
        boolean listed = false;
        for (JsonNode n : r.get("feature").get("neighbours")) {
            JsonNode attributes = json.readTree(n.get("attributes").asText());
            // before: the neighbour's attributes carried a "weight" key the edge does not store
            assertFalse(attributes.has("weight"), "attributes are the stored ones only: " + n);
            assertEquals(attributes.get("score").asDouble(), n.get("weight").asDouble(), 0.0, n.toString());
            listed |= n.get("feature").get("id").asText().equals(b) && n.get("weight").asDouble() == score;
        }
        assertTrue(listed, b + " among the match neighbours of " + a + ": " + r.get("feature"));
    }

    @Test
    void catalogueListsBothSeedsWithTheirRuns() throws Exception {
        JsonNode models = client.data("{ models { id saes { id width seed featureCount runs { kind rStar edgeCount fdrTable { r } } } } }",
                Map.of()).get("models");
        assertEquals(1, models.size());
        JsonNode saes = models.get(0).get("saes");
        assertEquals(2, saes.size());
        for (JsonNode s : saes) {
            assertEquals(PARAMS.features(), s.get("featureCount").asInt());
            for (JsonNode run : s.get("runs")) {
                // GraphQL responses keep nulls and empty lists
                assertTrue(run.has("rStar") && run.has("fdrTable"), run.toString());
                // dependence and connection runs choose r* from an FDR table; the others have neither
                if (!List.of("dependence", "connection").contains(run.get("kind").asText())) {
                    assertTrue(run.get("rStar").isNull() && run.get("fdrTable").isEmpty(), run.toString());
                }
            }
            java.util.List<String> kinds = new java.util.ArrayList<>();
            s.get("runs").forEach(r -> kinds.add(r.get("kind").asText()));
            assertTrue(kinds.containsAll(List.of("coactivation", "cosine", "dependence", "match")), kinds.toString());
            s.get("runs").forEach(r -> assertTrue(r.get("edgeCount").asInt() > 0, r.toString()));
        }
    }

    @Test
    void pagingWalksEveryFeatureOnce() throws Exception {
        Set<Integer> seen = new HashSet<>();
        String after = null;
        int pages = 0;
        do {
            Map<String, Object> vars = new java.util.HashMap<>(Map.of("sae", saeA()));
            vars.put("after", after);
            JsonNode page = client.data("""
                    query($sae: ID!, $after: String) {
                      features(sae: $sae, first: 100, after: $after) { totalCount edges { node { index } } pageInfo { hasNextPage endCursor } }
                    }""", vars).get("features");
            assertEquals(PARAMS.features(), page.get("totalCount").asInt());
            page.get("edges").forEach(e -> assertTrue(seen.add(e.get("node").get("index").asInt())));
            after = page.get("pageInfo").get("hasNextPage").asBoolean() ? page.get("pageInfo").get("endCursor").asText() : null;
            pages++;
        } while (after != null);
        assertEquals(PARAMS.features(), seen.size());
        assertEquals((PARAMS.features() + 99) / 100, pages);
    }

    @Test
    void aPageOfFeaturesWithEverythingCostsABoundedNumberOfRoundTrips() throws Exception {
        org.saeatlas.server.store.AtlasReader reader = server.bean(org.saeatlas.server.store.AtlasReader.class);
        String page = """
                query($sae: ID!, $first: Int!) {
                  features(sae: $sae, first: $first) {
                    edges { node { id sae { id width } explanations { text } examples(first: 2) { tokens values }
                      neighbours(kind: COACTIVATION, first: 5) { feature { id } weight }
                      dependence: neighbours(kind: DEPENDENCE, first: 5) { feature { id } weight } } }
                  }
                }""";
        long before = reader.queryCount();
        JsonNode small = client.data(page, Map.of("sae", saeA(), "first", 5)).get("features");
        long forFive = reader.queryCount() - before;
        before = reader.queryCount();
        JsonNode large = client.data(page, Map.of("sae", saeA(), "first", 100)).get("features");
        long forHundred = reader.queryCount() - before;
        assertEquals(5, small.get("edges").size());
        assertEquals(100, large.get("edges").size());
        // features + count + sae + explanations + examples + 2 per neighbour kind (the run as Neo4j names it now,
        // then its edges, or their features when the run is projected in memory) + SAE check: a bound that does not
        // depend on the page size (a kind whose page has no neighbours skips its feature read)
        for (long roundTrips : List.of(forFive, forHundred)) {
            assertTrue(roundTrips >= 7 && roundTrips <= 10, "round trips for a page: " + roundTrips);
        }
    }

    @Test
    void subgraphOfAModuleMemberHoldsTheModuleAndPathsConnectIt() throws Exception {
        int[] module = TRUTH.truth().modules().get(2);
        String centre = saeA() + "/" + module[0];
        JsonNode g = client.data("""
                query($id: ID!) { subgraph(feature: $id, kind: COACTIVATION, hops: 2, maxNodes: 50) {
                  run truncated nodes { id index } edges { source target weight count } } }""",
                Map.of("id", centre)).get("subgraph");
        Set<Integer> nodes = new HashSet<>();
        g.get("nodes").forEach(n -> nodes.add(n.get("index").asInt()));
        for (int m : module) {
            assertTrue(nodes.contains(m), "module member " + m + " in " + nodes);
        }
        Set<String> ids = new HashSet<>();
        g.get("nodes").forEach(n -> ids.add(n.get("id").asText()));
        for (JsonNode e : g.get("edges")) {
            assertTrue(ids.contains(e.get("source").asText()) && ids.contains(e.get("target").asText()), "edges stay inside");
        }
        JsonNode capped = client.data("query($id: ID!) { subgraph(feature: $id, kind: COSINE, hops: 3, maxNodes: 5) { truncated nodes { id } } }",
                Map.of("id", centre)).get("subgraph");
        assertEquals(5, capped.get("nodes").size());
        assertTrue(capped.get("truncated").asBoolean());

        JsonNode path = client.data("""
                query($a: ID!, $b: ID!) { path(from: $a, to: $b, kind: COACTIVATION, maxHops: 3) { nodes { id } edges { source target } } }""",
                Map.of("a", centre, "b", saeA() + "/" + module[1])).get("path");
        assertEquals(2, path.get("nodes").size(), "direct neighbours: a path of one edge");
        assertEquals(1, path.get("edges").size());
        JsonNode bad = client.post("{ subgraph(feature: \"" + centre + "\", hops: 9) { truncated } }", Map.of());
        assertTrue(bad.get("errors").get(0).get("message").asText().contains("hops"));
    }

    @Test
    void carelessQueriesGetClearErrorsNotStackTraces() throws Exception {
        for (var c : List.of(
                List.of("{ features(sae: \"x\", first: 1000) { totalCount } }", "first: expected 0..100"),
                List.of("{ features(sae: \"x\", after: \"garbage\") { totalCount } }", "is not a cursor"),
                List.of("{ features(sae: \"x\") { totalCount } }", "SAE 'x' is not in the atlas"),
                List.of("{ feature(id: \"x/1\") { id } }", "feature 'x/1' is not in the atlas"),
                List.of("{ search(text: \"court AND (\") { edges { score } } }", "search: cannot parse"),
                List.of("{ feature(sae: \"x\") { id } }", "give either id"),
                List.of("{ nope }", "nope"))) {
            JsonNode r = client.post(c.get(0), Map.of());
            assertTrue(r.has("errors"), c.get(0));
            String message = r.get("errors").get(0).get("message").asText();
            assertTrue(message.contains(c.get(1)), message);
            assertFalse(message.contains("Exception"), message);
        }
        String deep = "{ models { " + "saes { model { ".repeat(10) + "id" + " } }".repeat(10) + " } }";
        assertTrue(client.post(deep, Map.of()).get("errors").get(0).get("message").asText().contains("depth"));
    }

    @Test
    void healthAndInfoEndpoints() throws Exception {
        String health = GraphQLClient.get(server.info().web() + "health");
        assertTrue(health.startsWith("200"), health);
        assertTrue(health.contains("\"neo4j\""), health);
        String info = GraphQLClient.get(server.info().web() + "api/info");
        assertTrue(info.contains(db.boltUri()), info);
        assertTrue(info.contains("/browser/"), info);
    }

    /**
     * The Neo4j Browser guide: served to other origins (Browser fetches it cross-origin), and every query in it runs
     * on the atlas's data model and finds something, with its {@code :param} set to a feature of this atlas.
     */
    @Test
    void browserGuideQueriesRunOnTheAtlas() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.info().web() + "browser-guide")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("*", response.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        var blocks = java.util.regex.Pattern.compile("<pre class=\"pre-scrollable code runnable\">(.*?)</pre>",
                java.util.regex.Pattern.DOTALL).matcher(response.body()).results()
                .map(m -> m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")).toList();
        assertTrue(blocks.size() >= 10, "guide queries: " + blocks.size());
        int[] family = TRUTH.truth().hierarchies().get(0);
        Map<String, Object> params = Map.of("feature", saeA() + "/" + family[1]);
        int queries = 0;
        try (var session = db.driver().session(org.neo4j.driver.SessionConfig.builder()
                .withDefaultAccessMode(org.neo4j.driver.AccessMode.READ).build())) {
            for (String block : blocks) {
                if (block.startsWith(":param")) {
                    assertTrue(block.matches(":param (\\w+) => '[^']+'"), block);
                    assertTrue(params.containsKey(block.split(" ")[1]), block);
                    continue;
                }
                List<org.neo4j.driver.Record> rows = session.run(block, params).list();
                assertFalse(rows.isEmpty(), "the guide query finds something on the demo atlas:\n" + block);
                queries++;
            }
        }
        assertTrue(queries >= 10, "ran " + queries);
    }

    /** A request still fetching fields past atlas.request-timeout is stopped with one error that says so. */
    @Test
    void aRequestPastItsTimeLimitIsStoppedWithOneClearError() throws Exception {
        String query = """
                query($sae: ID!) { features(sae: $sae, first: 100) { edges { node {
                  id explanation neighbours(kind: COACTIVATION, first: 20) { feature { id explanation } weight }
                } } } }""";
        try (AtlasServer strict = AtlasServer.start(db, "127.0.0.1", EmbeddedNeo4j.freePort(),
                Map.of("atlas.request-timeout", "1ms"))) {
            JsonNode r = new GraphQLClient(strict.info().graphql()).post(query, Map.of("sae", saeA()));
            assertEquals(1, r.get("errors").size(), r.toString());
            String message = r.get("errors").get(0).get("message").asText();
            assertTrue(message.contains("ran longer than its 1 ms limit (atlas.request-timeout)"), message);
            assertFalse(r.toString().contains("Exception"), "no stack trace or exception name: " + r);
        }
        // the default limit lets the same request through
        assertEquals(100, client.data(query, Map.of("sae", saeA())).get("features").get("edges").size());
    }
}
