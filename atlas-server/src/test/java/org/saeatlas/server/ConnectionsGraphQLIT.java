package org.saeatlas.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Session;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.connections.ConnectionParameters;
import org.saeatlas.compute.connections.MlpBaseline;
import org.saeatlas.compute.connections.PlantedLayers;
import org.saeatlas.ingest.analytics.ConnectionLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * Three layers with planted connections (l0 -> l1 planted gates, l1 -> l2 copies) served over GraphQL: directed
 * neighbours, the formula of a feature, its linearity, a path across two layers and the linear-share table.
 */
class ConnectionsGraphQLIT {

    static final PlantedLayers PLANTED = PlantedLayers.generate(new PlantedLayers.Spec(4000, 60, 6, 8, 3, 2, 1, 1, 4,
            5));

    @TempDir
    static Path dir;
    static AtlasDatabase db;
    static AtlasServer server;
    static GraphQLClient client;
    static String run01;
    static String run12;

    @BeforeAll
    static void start() {
        db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"), EmbeddedNeo4j.freePort(),
                EmbeddedNeo4j.freePort(), "64m"));
        SparseActivations l0 = PLANTED.upstream();
        SparseActivations l1 = PLANTED.downstream();
        SparseActivations l2 = scaled(l1, 0.8f);
        try (Session s = db.driver().session()) {
            s.run("CREATE (:Model {id: 'm', name: 'm'})").consume();
            int layer = 0;
            for (SparseActivations x : List.of(l0, l1, l2)) {
                String id = "l" + layer;
                s.run("MATCH (m:Model {id: 'm'}) CREATE (sae:Sae {id: $id, model: 'm', layer: $layer, width: $w})"
                        + "-[:OF_MODEL]->(m) WITH sae UNWIND range(0, $w - 1) AS i CREATE (:Feature {id: $id + '/' + i,"
                        + " sae: $id, index: i, explanation: 'feature ' + i + ' of ' + $id})-[:IN_SAE]->(sae)",
                        Map.of("id", id, "layer", layer, "w", x.featureCount())).consume();
                layer++;
            }
        }
        ConnectionParameters p = ConnectionParameters.defaults().withResamples(4).withThreads(2);
        ConnectionLoader loader = new ConnectionLoader(db.cypher(), new PrintStream(new ByteArrayOutputStream()));
        run01 = loader.load("l0", l0, "l1", l1, p, new MlpBaseline(8, 10)).run();
        run12 = loader.load("l1", l1, "l2", l2, p, new MlpBaseline(8, 10)).run();
        try (Session s = db.driver().session()) {
            // an imported directed cross-layer graph: l0/1 -> l1/2 and l0/3 -> l1/2
            s.run("CREATE (:Run {id: 'imp', kind: 'imported', method: 'file', sae: 'l0', saes: ['l0', 'l1'],"
                    + " directed: true, status: 'complete', edgeCount: 2, completedAt: '2026-01-01T00:00:00Z',"
                    + " parameters: '{}'}) WITH 1 AS x UNWIND [1, 3] AS i MATCH (a:Feature {id: 'l0/' + i}),"
                    + " (b:Feature {id: 'l1/2'}) CREATE (a)-[:LINKS {run: 'imp', weight: 0.1 * i}]->(b)").consume();
        }
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

    /** Every activation times {@code k}: a layer whose feature j is computed exactly from the previous feature j. */
    static SparseActivations scaled(SparseActivations x, float k) {
        float[] v = x.values().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= k;
        }
        return new SparseActivations(x.tokens(), x.featureCount(), x.rowPtr(), x.features(), v);
    }

    static int firstOf(PlantedLayers.Kind kind) {
        return Arrays.asList(PLANTED.kinds()).indexOf(kind);
    }

    @Test
    void upstreamNeighboursAreThePlantedInputsAndDownstreamOnesTheNextLayer() throws Exception {
        int b = firstOf(PlantedLayers.Kind.AND_NOT);
        JsonNode f = client.data("""
                query($id: ID!) { feature(id: $id) {
                  up: neighbours(kind: CONNECTION, direction: UPSTREAM, stableOnly: true) {
                    feature { id } weight replicates nullReplicates signConsistency stable run }
                  down: neighbours(kind: CONNECTION, direction: DOWNSTREAM, stableOnly: true) { feature { id } run }
                } }""", Map.of("id", "l1/" + b)).get("feature");
        Set<String> up = new HashSet<>();
        for (JsonNode n : f.get("up")) {
            up.add(n.get("feature").get("id").asText());
            assertEquals(run01, n.get("run").asText());
            assertTrue(n.get("stable").asBoolean());
        }
        assertEquals(Set.of("l0/" + PLANTED.truth()[b][0], "l0/" + PLANTED.truth()[b][1]), up);
        assertEquals(1, f.get("down").size(), f.toString());
        assertEquals("l2/" + b, f.get("down").get(0).get("feature").get("id").asText());
        assertEquals(run12, f.get("down").get(0).get("run").asText());
    }

    @Test
    void importedDirectedGraphsTakeTheSameDirectionFilter() throws Exception {
        JsonNode f = client.data("""
                query { feature(id: "l1/2") {
                  up: neighbours(kind: IMPORTED, direction: UPSTREAM) { feature { id } weight outgoing directed }
                  down: neighbours(kind: IMPORTED, direction: DOWNSTREAM) { feature { id } }
                } }""", Map.of()).get("feature");
        assertEquals(2, f.get("up").size());
        assertEquals("l0/3", f.get("up").get(0).get("feature").get("id").asText());
        assertFalse(f.get("up").get(0).get("outgoing").asBoolean());
        assertTrue(f.get("up").get(0).get("directed").asBoolean());
        assertEquals(0, f.get("down").size());
        JsonNode g = client.data("""
                query { feature(id: "l0/3") { down: neighbours(kind: IMPORTED, direction: DOWNSTREAM) {
                  feature { id } outgoing } } }""", Map.of()).get("feature");
        assertEquals("l1/2", g.get("down").get(0).get("feature").get("id").asText());
        assertTrue(g.get("down").get(0).get("outgoing").asBoolean());
    }

    @Test
    void computedFromIsTheSignedFormulaWithExplanations() throws Exception {
        int b = firstOf(PlantedLayers.Kind.AND_NOT);
        JsonNode c = client.data("""
                query($id: ID!) { feature(id: $id) {
                  computedFrom { run text terms { feature { id } explanation weight replicates stable }
                                 linearity { linear linearR2 nonlinearR2 lossDifference threshold upstream } }
                  linearity { run linear }
                } }""", Map.of("id", "l1/" + b)).get("feature");
        JsonNode formula = c.get("computedFrom");
        assertEquals(run01, formula.get("run").asText());
        int a1 = PLANTED.truth()[b][0];
        int a2 = PLANTED.truth()[b][1];
        // b = a1 - 0.5 a2: the text reads '1.00 l0/a1 - 0.50 l0/a2'
        assertTrue(formula.get("text").asText().matches("1\\.0\\d l0/" + a1 + " - 0\\.[45]\\d l0/" + a2),
                formula.get("text").asText());
        assertEquals("feature " + a1 + " of l0", formula.get("terms").get(0).get("explanation").asText());
        assertTrue(formula.get("linearity").get("linear").asBoolean(), formula.toString());
        assertEquals(0.001, formula.get("linearity").get("threshold").asDouble());
        assertEquals("l0", formula.get("linearity").get("upstream").asText());
        assertEquals(1, c.get("linearity").size());
        JsonNode none = client.data("query { feature(id: \"l0/0\") { computedFrom { text } linearity { run } } }",
                Map.of()).get("feature");
        assertTrue(none.get("computedFrom").isNull(), "an l0 feature is downstream of nothing");
        assertEquals(0, none.get("linearity").size());
    }

    @Test
    void aProductIsNotLinear() throws Exception {
        int b = firstOf(PlantedLayers.Kind.PRODUCT);
        JsonNode l = client.data("query($id: ID!) { feature(id: $id) { linearity { linear lossDifference } } }",
                Map.of("id", "l1/" + b)).get("feature").get("linearity").get(0);
        assertFalse(l.get("linear").asBoolean());
        assertTrue(l.get("lossDifference").asDouble() > 0.05, l.toString());
    }

    @Test
    void aPathFollowsConnectionsAcrossTwoLayersFromEitherEnd() throws Exception {
        int b = firstOf(PlantedLayers.Kind.OR);
        String from = "l0/" + PLANTED.truth()[b][0];
        String to = "l2/" + b;
        for (String[] ends : List.of(new String[] {from, to}, new String[] {to, from})) {
            JsonNode p = client.data("""
                    query($a: ID!, $b: ID!) { path(from: $a, to: $b, kind: CONNECTION) {
                      nodes { id } edges { source target kind weight attributes } } }""",
                    Map.of("a", ends[0], "b", ends[1])).get("path");
            List<String> ids = new ArrayList<>();
            p.get("nodes").forEach(n -> ids.add(n.get("id").asText()));
            assertEquals(List.of(from, "l1/" + b, to), ids);
            assertEquals("CONNECTION", p.get("edges").get(0).get("kind").asText());
            for (JsonNode e : p.get("edges")) {
                JsonNode attributes = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(e.get("attributes").asText());
                // before: the path's ends leaked into the stored attributes as keys a and b
                assertFalse(attributes.has("a") || attributes.has("b"), "stored attributes only: " + e);
                assertEquals(e.get("weight").asDouble(), attributes.get("weight").asDouble(), 0.0, e.toString());
            }
        }
    }

    @Test
    void theLinearShareTableHasOneRowPerPairInLayerOrder() throws Exception {
        JsonNode rows = client.data("""
                query { linearShares(model: "m") { run upstream { id layer } downstream { id } evaluated linear share
                  threshold stableConnections } }""", Map.of()).get("linearShares");
        assertEquals(2, rows.size());
        assertEquals(run01, rows.get(0).get("run").asText());
        assertEquals("l1", rows.get(0).get("downstream").get("id").asText());
        assertEquals(run12, rows.get(1).get("run").asText());
        JsonNode r = rows.get(0);
        assertEquals(r.get("linear").asDouble() / r.get("evaluated").asDouble(), r.get("share").asDouble(), 1e-12);
        // l2 copies l1: every evaluated l2 feature is linear
        assertEquals(rows.get(1).get("evaluated").asInt(), rows.get(1).get("linear").asInt());
        JsonNode run = client.data("query($id: ID!) { run(id: $id) { kind saes linearShare linearThreshold"
                + " stableConnections fdrTable { r observed expectedNull } } }", Map.of("id", run01)).get("run");
        assertEquals("connection", run.get("kind").asText());
        assertEquals(4, run.get("fdrTable").size());
        assertEquals(r.get("share").asDouble(), run.get("linearShare").asDouble(), 1e-12);
    }
}
