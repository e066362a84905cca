package org.saeatlas.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Session;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.store.SyntheticAtlas;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.export.RunExport;
import org.saeatlas.schema.Vocabulary;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Bulk import then online re-load, runs list, export (parsed back by an XML parser and Jackson) and deletion of a run and of an SAE, on embedded Neo4j. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunStoreAndExportIT {

    static final int FEATURES = 64;
    static final int EDGES = 300;
    static final String TRICKY = "quotes \"x\", commas, <tags> & ünïcode\nsecond line";

    @TempDir
    static Path dir;
    static AtlasDatabase db;
    static BulkImport.Content atlas;
    static Rows.RunRow coRun = new Rows.RunRow("co-1", Vocabulary.KIND_COACTIVATION, SyntheticAtlas.SAE,
            Map.of("method", "pearson", "parameters", "{\"topK\":5}"));

    /** Loaded with the offline bulk importer (a new database), then again online: the second load changes nothing. */
    @BeforeAll
    static void load() {
        BulkImport.Content synthetic = SyntheticAtlas.generate(FEATURES, EDGES, 3);
        List<BulkImport.RunEdges> runs = new ArrayList<>(synthetic.runs());
        runs.add(new BulkImport.RunEdges(coRun, Vocabulary.COACTIVATES, List.of(
                new Rows.EdgeRow(0, 1, Map.of("count", 3, "correlation", 0.25)),
                new Rows.EdgeRow(1, 2, Map.of("count", 4, "correlation", 0.5)))));
        atlas = new BulkImport.Content(synthetic.models(), synthetic.saes(), synthetic.features(),
                Map.of(SyntheticAtlas.SAE, List.of(new Rows.ExplanationRow(0, TRICKY, "test", 0.5),
                        new Rows.ExplanationRow(1, "plain", "test", 0.9))),
                Map.of(SyntheticAtlas.SAE, List.of(new Rows.ExampleRow(0, 0, List.of("a", ";", "b,\"c\""),
                        new float[] {0, 1, 2}))), runs);
        var target = ChildIngestMain.target(dir.resolve("neo4j"));
        AtlasLoad.Result first = AtlasLoad.load(target, atlas, AtlasLoad.Mode.AUTO, Progress.NONE);
        assertTrue(first.bulk(), "a new embedded database is bulk-imported");
        db = first.database();
        Map<String, Long> before = counts();
        db.close();
        AtlasLoad.Result second = AtlasLoad.load(target, atlas, AtlasLoad.Mode.AUTO, Progress.NONE);
        db = second.database();
        assertFalse(second.bulk(), "an existing database is loaded online");
        assertEquals(0, second.edges(), "complete runs are not loaded again");
        assertEquals(before, counts(), "loading the same atlas again changes nothing");
    }

    @Test
    @Order(1)
    void bulkImportStoresPropertiesArraysAndExplanations() {
        try (Session s = db.driver().session()) {
            var f = s.run("MATCH (f:Feature {id: $id})<-[:EXPLAINS]-(x) RETURN f, x.text AS t",
                    Map.of("id", SyntheticAtlas.SAE + "/0")).single();
            assertEquals(TRICKY, f.get("f").get("explanation").asString());
            assertEquals(TRICKY, f.get("t").asString());
            assertEquals(0, f.get("f").get("index").asInt());
            var x = s.run("MATCH (x:Example)-[:EXAMPLE_OF]->(:Feature {index: 0}) RETURN x").single().get("x");
            assertEquals(List.of("a", ";", "b,\"c\""), x.get("tokens").asList());
            assertEquals(List.of(0.0, 1.0, 2.0), x.get("values").asList());
            var e = s.run("MATCH ()-[e:COACTIVATES {run: 'co-1'}]->(b) RETURN e, b.index AS j ORDER BY j LIMIT 1").single();
            assertEquals(3, e.get("e").get("count").asInt());
            assertEquals(1, e.get("j").asInt());
        }
    }

    private static Map<String, Long> counts() {
        return Map.of("nodes", count("MATCH (n) WHERE NOT n:__AtlasMigration RETURN count(n) AS n"),
                "relationships", count("MATCH (a)-[e]->() WHERE NOT a:__AtlasMigration RETURN count(e) AS n"),
                "runs", count("MATCH (r:Run {status: 'complete'}) RETURN count(r) AS n"));
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    @Order(1)
    void listShowsBothRunsComplete() {
        List<RunStore.RunInfo> runs = new RunStore(db.cypher()).list(null);
        assertEquals(2, runs.size());
        Map<String, RunStore.RunInfo> byId = new HashMap<>();
        runs.forEach(r -> byId.put(r.id(), r));
        RunStore.RunInfo dep = byId.get(atlas.runs().get(0).run().id());
        assertEquals(Vocabulary.KIND_DEPENDENCE, dep.kind());
        assertEquals(SyntheticAtlas.SAE, dep.sae());
        assertEquals(Vocabulary.STATUS_COMPLETE, dep.status());
        assertEquals(EDGES, dep.edges());
        assertEquals(2L, byId.get("co-1").edges());
    }

    @Test
    @Order(2)
    void csvEdgeListHasHeaderAndEveryEdge() throws Exception {
        Path out = dir.resolve("out/edges.csv");
        RunExport.Summary s = RunExport.write(db.cypher(), depRun(), RunExport.Format.CSV, out, Progress.NONE);
        assertEquals(EDGES, s.edges());
        List<String> lines = Files.readAllLines(out);
        assertEquals("i,j,nullReplicates,replicates,signConsistency,stable,weight", lines.get(0));
        assertEquals(EDGES + 1, lines.size());
        Map<String, Rows.EdgeRow> truth = truth();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            Rows.EdgeRow e = truth.get(f[0] + "," + f[1]);
            assertTrue(Integer.parseInt(f[0]) < Integer.parseInt(f[1]));
            assertEquals(e.properties().get("replicates"), Integer.parseInt(f[3]));
            assertEquals((double) e.properties().get("weight"), Double.parseDouble(f[6]), 0);
            assertEquals((boolean) e.properties().get("stable") ? "1" : "0", f[5]);
        }
    }

    @Test
    @Order(2)
    void graphmlParsesWithTypedKeysNodesAndEdges() throws Exception {
        Path out = dir.resolve("out/run.graphml");
        RunExport.write(db.cypher(), depRun(), RunExport.Format.GRAPHML, out, Progress.NONE);
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(out.toFile());
        assertEquals("http://graphml.graphdrawing.org/xmlns", doc.getDocumentElement().getNamespaceURI());
        Map<String, String> types = new HashMap<>();
        NodeList keys = doc.getElementsByTagName("key");
        for (int k = 0; k < keys.getLength(); k++) {
            Element key = (Element) keys.item(k);
            if (key.getAttribute("for").equals("edge")) {
                types.put(key.getAttribute("attr.name"), key.getAttribute("attr.type"));
            }
        }
        assertEquals(Map.of("weight", "double", "replicates", "long", "nullReplicates", "long",
                "signConsistency", "double", "stable", "boolean"), types);
        assertEquals(FEATURES, doc.getElementsByTagName("node").getLength());
        assertEquals(EDGES, doc.getElementsByTagName("edge").getLength());
        Element node0 = (Element) doc.getElementsByTagName("node").item(0);
        assertEquals("0", node0.getAttribute("id"));
        assertTrue(node0.getTextContent().contains(TRICKY), "explanation survives XML escaping");
        Map<String, Rows.EdgeRow> truth = truth();
        Element edge = (Element) doc.getElementsByTagName("edge").item(0);
        Rows.EdgeRow e = truth.get(edge.getAttribute("source") + "," + edge.getAttribute("target"));
        NodeList data = edge.getElementsByTagName("data");
        for (int k = 0; k < data.getLength(); k++) {
            Element d = (Element) data.item(k);
            if (d.getAttribute("key").equals("e_weight")) {
                assertEquals((double) e.properties().get("weight"), Double.parseDouble(d.getTextContent()), 0);
            }
        }
    }

    @Test
    @Order(2)
    void nodeLinkJsonIsWhatNetworkxReads() throws Exception {
        Path out = dir.resolve("out/run.json");
        RunExport.write(db.cypher(), depRun(), RunExport.Format.NODELINK, out, Progress.NONE);
        JsonNode g = new ObjectMapper().readTree(Files.readString(out, StandardCharsets.UTF_8));
        assertEquals(false, g.get("directed").asBoolean());
        assertEquals(false, g.get("multigraph").asBoolean());
        assertEquals(depRun(), g.get("graph").get("run").asText());
        assertEquals(3, g.get("graph").get("parameters").get("seed").asInt(), "parameters parsed into an object");
        assertEquals(FEATURES, g.get("nodes").size());
        assertEquals(0, g.get("nodes").get(0).get("id").asInt());
        assertEquals(TRICKY, g.get("nodes").get(0).get("explanation").asText());
        assertTrue(g.get("nodes").get(5).get("explanation").isNull());
        assertEquals(EDGES, g.get("links").size());
        Map<String, Rows.EdgeRow> truth = truth();
        for (JsonNode link : g.get("links")) {
            Rows.EdgeRow e = truth.get(link.get("source").asInt() + "," + link.get("target").asInt());
            assertEquals((double) e.properties().get("weight"), link.get("weight").asDouble(), 0);
            assertEquals(e.properties().get("stable"), link.get("stable").asBoolean());
        }
    }

    @Test
    @Order(3)
    void deletingARunRemovesItsEdgesOnly() {
        RunStore store = new RunStore(db.cypher(), 100);
        RunStore.Deleted d = store.deleteRun("co-1", Progress.NONE);
        assertEquals(1, d.runs());
        assertEquals(2, d.edges());
        assertEquals(0, count("MATCH ()-[e:COACTIVATES]->() RETURN count(e) AS n"));
        assertEquals(EDGES, count("MATCH ()-[e:DEPENDS]->() RETURN count(e) AS n"));
        assertEquals(1, store.list(null).size());
        assertThrows(AtlasException.class, () -> store.deleteRun("co-1", Progress.NONE));
    }

    @Test
    @Order(4)
    void deletingAnSaeRemovesEverythingOfIt() {
        RunStore store = new RunStore(db.cypher(), 100); // several batches of edges and features
        List<String> stages = new ArrayList<>();
        RunStore.Deleted d = store.deleteSae(SyntheticAtlas.SAE, (stage, done, total) -> stages.add(stage));
        assertEquals(new RunStore.Deleted(1, EDGES, FEATURES, 2, 1, 1), d);
        assertTrue(stages.stream().anyMatch(s -> s.startsWith("edges of")), "progress reported: " + stages);
        assertEquals(0, count("MATCH (n) WHERE n:Feature OR n:Run OR n:Sae OR n:Explanation OR n:Example RETURN count(n) AS n"));
        assertEquals(0, count("MATCH (a)-[e]->() WHERE NOT a:__AtlasMigration RETURN count(e) AS n"), "no edges left");
        assertEquals(1, count("MATCH (m:Model) RETURN count(m) AS n"), "the model stays");
        assertThrows(AtlasException.class, () -> store.deleteSae(SyntheticAtlas.SAE, Progress.NONE));
    }

    private static String depRun() {
        return atlas.runs().get(0).run().id();
    }

    private static Map<String, Rows.EdgeRow> truth() {
        Map<String, Rows.EdgeRow> m = new HashMap<>();
        atlas.runs().get(0).edges().forEach(e -> m.put(e.i() + "," + e.j(), e));
        return m;
    }

    private static long count(String cypher) {
        try (Session s = db.driver().session()) {
            return s.run(cypher).single().get("n").asLong();
        }
    }
}
