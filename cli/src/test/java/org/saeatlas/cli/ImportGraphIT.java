package org.saeatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.cli.AtlasCli.Run;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.schema.Vocabulary;
import org.saeatlas.server.AtlasServer;
import org.saeatlas.server.store.AtlasReader;
import org.saeatlas.server.store.AttributeFilter;
import org.saeatlas.server.store.EdgeReads;
import org.saeatlas.server.store.NeighbourQuery;
import org.saeatlas.server.store.RunProjections;

/**
 * A cross-layer graph that brings its own features (GPT-2-small res-jb style ids, layers 6-9, explanations on the
 * nodes, a directed multigraph with two measures between two pairs) goes into an EMPTY atlas with one command: the
 * SAEs are created without invented statistics, the explanations are searchable, and every read keeps the parallel
 * edges distinct and the direction.
 */
class ImportGraphIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final int bolt = EmbeddedNeo4j.freePort();
    private final int http = EmbeddedNeo4j.freePort();

    private String[] db(String... args) {
        return AtlasCli.withDatabase(dir.resolve("data"), bolt, http, args);
    }

    private Path graph() throws Exception {
        Path file = dir.resolve("gpt2_small_res_jb_circuit.json");
        try (var in = ImportGraphIT.class.getResourceAsStream("/fixtures/graphs/gpt2_small_res_jb_circuit.json")) {
            Files.copy(in, file);
        }
        return file;
    }

    private String[] importArgs(Path file) {
        return db("import-graph", file.toString(), "--sae-attribute", "layer", "--create-saes", "--model",
                "gpt2-small", "--width", "24576", "--sae-id", "{layer}-res-jb", "--hook",
                "blocks.{layer}.hook_resid_pre", "--explanation-attribute", "explanation");
    }

    @Test
    void aCrossLayerMultigraphGoesIntoAnEmptyAtlasWithOneCommand() throws Exception {
        Path file = graph();
        Run r = AtlasCli.run(importArgs(file));
        assertEquals(0, r.exit(), r.out() + r.err());
        String run = r.out().replaceAll("(?s).*(imported-[0-9a-f]{16}).*", "$1");
        assertTrue(r.out().contains("7 edges"), r.out());
        assertTrue(r.out().contains("1 nodes and 1 links skipped"), r.out()); // the embedding node and its link

        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("data")
                .resolve("neo4j"), bolt, http, "128m"))) {
            String runId;
            try (var s = db.driver().session()) {
                var saes = s.run("""
                        MATCH (s:Sae)-[:OF_MODEL]->(m:Model)
                        RETURN s.id AS id, s.layer AS layer, s.hookPoint AS hook, s.width AS width, m.id AS model,
                               COUNT { (s)<-[:IN_SAE]-() } AS features ORDER BY s.layer""").list();
                assertEquals(List.of("6-res-jb", "7-res-jb", "8-res-jb", "9-res-jb"),
                        saes.stream().map(x -> x.get("id").asString()).toList());
                for (var x : saes) {
                    assertEquals("blocks." + x.get("layer").asInt() + ".hook_resid_pre", x.get("hook").asString());
                    assertEquals(24576, x.get("width").asInt());
                    assertEquals(24576, x.get("features").asInt());
                    assertEquals("gpt2-small", x.get("model").asString());
                }
                var facts = s.run("""
                        MATCH (r:Run {kind: 'imported'})
                        RETURN r.id AS run, r.saes AS saes, r.directed AS directed, r.multigraph AS multigraph,
                               COUNT { MATCH (f:Feature) WHERE f.firingRate IS NOT NULL OR f.meanActivation IS NOT NULL
                                       OR f.maxActivation IS NOT NULL OR f.histogram IS NOT NULL } AS withStats,
                               COUNT { MATCH (x:Run) WHERE x.kind <> 'imported' } AS otherRuns,
                               COLLECT { MATCH ()-[e:LINKS]->() RETURN DISTINCT valueType(e.count) } AS countTypes,
                               COLLECT { MATCH ()-[e:LINKS]->() RETURN DISTINCT valueType(e.weight) } AS weightTypes,
                               COLLECT { MATCH (x:Explanation)-[:EXPLAINS]->(f:Feature)
                                         RETURN f.id + ' ' + x.source ORDER BY f.id } AS explained""").single();
                runId = facts.get("run").asString();
                assertEquals(run, runId);
                assertEquals(List.of("6-res-jb", "7-res-jb", "8-res-jb", "9-res-jb"),
                        facts.get("saes").asList(v -> v.asString()).stream().sorted().toList());
                assertTrue(facts.get("directed").asBoolean() && facts.get("multigraph").asBoolean());
                assertEquals(0, facts.get("withStats").asInt(), "no invented statistics");
                assertEquals(0, facts.get("otherRuns").asInt(), "no empty co-activation runs");
                assertEquals(List.of("INTEGER NOT NULL"), facts.get("countTypes").asList(v -> v.asString()));
                assertEquals(List.of("FLOAT NOT NULL"), facts.get("weightTypes").asList(v -> v.asString()));
                assertEquals(List.of("6-res-jb/1203 gpt2_small_res_jb_circuit.json",
                        "7-res-jb/402 gpt2_small_res_jb_circuit.json", "7-res-jb/8311 gpt2_small_res_jb_circuit.json",
                        "8-res-jb/15022 gpt2_small_res_jb_circuit.json", "9-res-jb/77 gpt2_small_res_jb_circuit.json"),
                        facts.get("explained").asList(v -> v.asString()));
            }

            // the in-memory projection and Cypher give the same rows: every parallel edge, filters, direction
            AtlasReader reader = new AtlasReader(db.cypher(), Duration.ofSeconds(30), null, false);
            try (RunProjections projections = new RunProjections(db.cypher(), 1_000_000)) {
                EdgeReads edges = new EdgeReads(reader, projections);
                List<String> kinds = List.of(Vocabulary.KIND_IMPORTED);
                List<List<AttributeFilter>> filters = List.of(List.of(), List.of(new AttributeFilter("measure",
                        "decoder_cosine", null, null)), List.of(new AttributeFilter("count", null, 20.0, null)));
                List<String> ids = List.of("6-res-jb/1203", "7-res-jb/8311", "8-res-jb/15022", "9-res-jb/77");
                var first = edges.neighboursByFeature(ids, new NeighbourQuery("8-res-jb", Vocabulary.LINKS, kinds, null, null, null, null, null, null, null, List.of(), true, 20)); // asks for the projection
                assertTrue(projections.awaitIdle(Duration.ofSeconds(30)));
                for (List<AttributeFilter> f : filters) {
                    var viaCypher = reader.neighbours().neighboursByFeature(ids, new NeighbourQuery("8-res-jb", Vocabulary.LINKS, kinds, null, runId, null, null, null, null, null, f, true, 20));
                    var viaProjection = edges.neighboursByFeature(ids, new NeighbourQuery("8-res-jb", Vocabulary.LINKS, kinds, null, null, null, null, null, null, null, f, true, 20));
                    assertEquals(viaCypher, viaProjection, "filters " + f);
                }
                assertEquals(first.get("8-res-jb/15022").size(), 5);
                assertTrue(!projections.describe().isEmpty(), "the imported run was projected");
            }

            AtlasServer server = AtlasServer.start(db, "127.0.0.1", EmbeddedNeo4j.freePort(), Map.of());
            try {
                JsonNode d = AddSaeIT.graphql(server, """
                        { f: feature(id: "6-res-jb/1203") {
                            firingRate maxActivation histogram { counts } explanation
                            all: neighbours(kind: IMPORTED) { feature { id } weight outgoing directed key attributes }
                            cos: neighbours(kind: IMPORTED, attributes: [{name: "measure", equals: "decoder_cosine"}]) {
                              feature { id } weight } }
                          g: feature(id: "8-res-jb/15022") {
                            neighbours(kind: IMPORTED) { feature { id } weight outgoing key } }
                          runs(sae: "9-res-jb") { id kind }
                          sae(id: "7-res-jb") { runs { id } }
                          search(text: "capital cities") { edges { feature { id } explanation { source } } } }""");
                JsonNode f = d.get("f");
                assertTrue(f.get("firingRate").isNull() && f.get("maxActivation").isNull() && f.get("histogram").isNull());
                assertEquals("the word Paris and other French city names", f.get("explanation").asText());
                JsonNode all = f.get("all");
                assertEquals(2, all.size(), "two parallel edges to the same feature stay two rows: " + all);
                for (JsonNode n : all) {
                    assertEquals("7-res-jb/8311", n.get("feature").get("id").asText());
                    assertTrue(n.get("outgoing").asBoolean() && n.get("directed").asBoolean());
                }
                assertEquals(0.42, all.get(0).get("weight").asDouble(), 0);
                assertEquals("0", all.get(0).get("key").asText());
                JsonNode attrs = JSON.readTree(all.get(0).get("attributes").asText());
                assertEquals("attribution", attrs.get("measure").asText());
                assertTrue(attrs.get("count").isIntegralNumber() && attrs.get("count").asInt() == 31, attrs.toString());
                assertEquals(0.31, all.get(1).get("weight").asDouble(), 0);
                assertEquals(1, f.get("cos").size());
                assertEquals(0.31, f.get("cos").get(0).get("weight").asDouble(), 0);

                List<String> around = new ArrayList<>();
                for (JsonNode n : d.get("g").get("neighbours")) {
                    around.add(n.get("feature").get("id").asText() + (n.get("outgoing").asBoolean() ? " out " : " in ")
                            + n.get("key").asText() + " " + n.get("weight").asDouble());
                }
                assertEquals(List.of("9-res-jb/77 out 0 0.61", "7-res-jb/8311 in 0 0.55", "9-res-jb/77 out 1 0.18",
                        "7-res-jb/402 in 0 -0.12", "9-res-jb/23001 out 0 0.07"), around);
                assertEquals(runId, d.get("runs").get(0).get("id").asText(), "a cross-layer run is listed under each SAE");
                assertEquals(runId, d.get("sae").get("runs").get(0).get("id").asText());
                JsonNode hit = d.get("search").get("edges").get(0);
                assertEquals("7-res-jb/8311", hit.get("feature").get("id").asText());
                assertEquals("gpt2_small_res_jb_circuit.json", hit.get("explanation").get("source").asText());

                JsonNode path = AddSaeIT.graphql(server, """
                        { p: path(from: "6-res-jb/1203", to: "9-res-jb/77", kind: IMPORTED) {
                            nodes { id } edges { source target directed key weight } }
                          none: path(from: "6-res-jb/1203", to: "9-res-jb/77", kind: IMPORTED,
                                     attributes: [{name: "measure", equals: "decoder_cosine"}]) { nodes { id } }
                          s: subgraph(feature: "8-res-jb/15022", kind: IMPORTED, hops: 1) {
                            nodes { id } edges { source target directed key } } }""");
                JsonNode p = path.get("p");
                List<String> nodes = new ArrayList<>();
                p.get("nodes").forEach(n -> nodes.add(n.get("id").asText()));
                assertEquals(List.of("6-res-jb/1203", "7-res-jb/8311", "8-res-jb/15022", "9-res-jb/77"), nodes);
                List<String> hops = new ArrayList<>();
                for (JsonNode e : p.get("edges")) {
                    assertTrue(e.get("directed").asBoolean());
                    hops.add(e.get("source").asText() + ">" + e.get("target").asText() + "#" + e.get("key").asText());
                }
                assertEquals(List.of("6-res-jb/1203>7-res-jb/8311#0", "6-res-jb/1203>7-res-jb/8311#1",
                        "7-res-jb/8311>8-res-jb/15022#0", "8-res-jb/15022>9-res-jb/77#0",
                        "8-res-jb/15022>9-res-jb/77#1"), hops.stream().sorted().toList());
                assertTrue(path.get("none").isNull(), "no decoder-cosine edge joins layers 7 and 8: no such path");
                JsonNode sub = path.get("s");
                assertEquals(5, sub.get("nodes").size());
                List<String> subEdges = new ArrayList<>();
                for (JsonNode e : sub.get("edges")) {
                    subEdges.add(e.get("source").asText() + ">" + e.get("target").asText() + "#" + e.get("key").asText());
                }
                assertEquals(List.of("7-res-jb/402>8-res-jb/15022#0", "7-res-jb/8311>8-res-jb/15022#0",
                        "8-res-jb/15022>9-res-jb/23001#0", "8-res-jb/15022>9-res-jb/77#0",
                        "8-res-jb/15022>9-res-jb/77#1"), subEdges.stream().sorted().toList());
            } finally {
                server.close();
            }
        }

        // export keeps every parallel edge, the direction and the multigraph keys
        Path out = dir.resolve("circuit-export.json");
        Run ex = AtlasCli.run(db("export", run, "--format", "nodelink", "--out", out.toString()));
        assertEquals(0, ex.exit(), ex.out() + ex.err());
        JsonNode g = JSON.readTree(out.toFile());
        assertTrue(g.get("directed").asBoolean() && g.get("multigraph").asBoolean());
        assertEquals(6, g.get("nodes").size(), "the features the edges touch, not every feature of four SAEs");
        assertEquals(7, g.get("links").size());
        int parallel = 0;
        for (JsonNode l : g.get("links")) {
            if (l.get("source").asText().equals("6-res-jb/1203") && l.get("target").asText().equals("7-res-jb/8311")) {
                parallel++;
            }
        }
        assertEquals(2, parallel);

        // the same graph again: nothing changes, explanations are not doubled
        Run again = AtlasCli.run(importArgs(file));
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("already loaded"), again.out());
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("data")
                .resolve("neo4j"), bolt, http, "64m")); var s = db.driver().session()) {
            assertEquals(5, s.run("MATCH (x:Explanation) RETURN count(x) AS n").single().get("n").asInt());
            assertEquals(7, s.run("MATCH ()-[e:LINKS]->() RETURN count(e) AS n").single().get("n").asInt());
        }
    }

    @Test
    void withoutCreateSaesAMissingSaeIsRefusedSayingHowToCreateIt() throws Exception {
        Path file = graph();
        Run r = AtlasCli.run(db("import-graph", file.toString(), "--sae-attribute", "layer", "--sae",
                "6=6-res-jb"));
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("SAE 6-res-jb is not in the atlas") && r.err().contains("--create-saes"), r.err());
        Run half = AtlasCli.run(db("import-graph", file.toString(), "--sae-attribute", "layer",
                "--create-saes", "--model", "gpt2-small", "--sae-id", "{layer}-res-jb"));
        assertEquals(2, half.exit());
        assertTrue(half.err().contains("--width"), half.err());
        // an index outside the width is refused before anything is written
        Run narrow = AtlasCli.run(db("import-graph", file.toString(), "--sae-attribute", "layer",
                "--create-saes", "--model", "gpt2-small", "--width", "2048", "--sae-id", "{layer}-res-jb"));
        assertEquals(2, narrow.exit());
        assertTrue(narrow.err().contains("[0, 2048)"), narrow.err());
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("data")
                .resolve("neo4j"), bolt, http, "64m")); var s = db.driver().session()) {
            assertEquals(0, s.run("MATCH (n) WHERE n:Sae OR n:Feature OR n:Run RETURN count(n) AS n").single()
                    .get("n").asInt(), "nothing written");
        }
    }
}
