package org.saeatlas.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.formats.NodeLinkJson;

/** networkx node-link files written by networkx itself, imported onto SAEs of a real embedded Neo4j. */
class GraphFileImportIT {

    @TempDir
    static Path dir;
    static AtlasDatabase db;

    static Path fixture(String name) {
        return Path.of("src/test/resources/fixtures/networkx").resolve(name);
    }

    @BeforeAll
    static void saes() {
        db = AtlasDatabase.open(ChildIngestMain.target(dir.resolve("neo4j")));
        AtlasWriter w = new AtlasWriter(db.boltCypher(), Progress.NONE);
        w.model(new Rows.ModelRow("m", "m"));
        for (var sae : List.of(new Rows.SaeRow("l8", "m", null, 8, null, 300, null, null, null),
                new Rows.SaeRow("l9", "m", null, 9, null, 10, null, null, null))) {
            w.sae(sae);
            w.features(sae.id(), IntStream.range(0, sae.width())
                    .mapToObj(i -> new Rows.FeatureRow(i, null, null, null)).toList());
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    static List<Record> rows(String cypher, Map<String, Object> params) {
        try (Session s = db.driver().session()) {
            return s.run(cypher, params).list();
        }
    }

    @Test
    void crossLayerGraphLandsOnTheSaeOfEachNodesLayerWithItsAttributes() throws Exception {
        Path file = fixture("graph_links.json");
        var mapping = new GraphFileImport.Mapping(Map.of("8", "l8", "9", "l9"), "layer", null, "measure", Map.of());
        GraphFileImport.Summary s = new GraphFileImport(db.cypher(), Progress.NONE).load(file, NodeLinkJson.read(file), mapping);
        assertTrue(s.loaded());
        assertEquals(2, s.edges());
        assertEquals(List.of("l8", "l9"), s.saes().stream().sorted().toList());
        List<Record> edges = rows("""
                MATCH (a)-[e:LINKS {run: $run}]->(b) RETURN a.id AS a, b.id AS b, e.weight AS w, e.measure AS m
                ORDER BY a""", Map.of("run", s.runId()));
        assertEquals(List.of("l8/101", "l8/202"), edges.stream().map(r -> r.get("a").asString()).toList());
        assertEquals("l9/7", edges.get(0).get("b").asString());
        assertEquals(0.26, edges.get(0).get("w").asDouble(), 0.0);
        assertEquals(0.26, edges.get(0).get("m").asDouble(), 0.0, "link attributes are kept");
        Record run = rows("MATCH (r:Run {id: $id}) RETURN r, COUNT { (r)-[:ON_SAE]->() } AS saes",
                Map.of("id", s.runId())).get(0);
        assertEquals("imported", run.get("r").get("kind").asString());
        assertEquals("complete", run.get("r").get("status").asString());
        assertEquals("graph_links.json", run.get("r").get("source").asString());
        assertTrue(run.get("r").get("graph").asString().contains("\"name\":\"demo\""));
        assertTrue(run.get("r").get("nodeAttributes").asString().contains("\"explanation\":\"the word \\\"former\\\"\""));
        assertEquals(2, run.get("saes").asInt());

        // a run across two SAEs exports with feature ids as node names, only the features its edges touch
        org.saeatlas.ingest.export.RunExport.Summary exported = org.saeatlas.ingest.export.RunExport.write(
                db.cypher(), s.runId(), org.saeatlas.ingest.export.RunExport.Format.CSV, dir.resolve("x.csv"),
                Progress.NONE);
        assertEquals(2, exported.edges());
        List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("x.csv"));
        assertTrue(lines.get(0).startsWith("source,target"), lines.get(0));
        assertTrue(lines.get(1).startsWith("l8/101,l9/7,"), lines.get(1));

        // the same graph and mapping again: nothing changes
        GraphFileImport.Summary again = new GraphFileImport(db.cypher(), Progress.NONE).load(file, NodeLinkJson.read(file), mapping);
        assertFalse(again.loaded());
        assertEquals(s.runId(), again.runId());
        assertEquals(2, rows("MATCH ()-[e:LINKS {run: $run}]->() RETURN count(e) AS n", Map.of("run", s.runId()))
                .get(0).get("n").asInt());
    }

    @Test
    void multigraphKeysAndDirectionAreKept() {
        Path file = fixture("multidigraph_links.json");
        var mapping = new GraphFileImport.Mapping(Map.of("", "l9"), null, null, null, Map.of());
        GraphFileImport.Summary s = new GraphFileImport(db.cypher(), Progress.NONE).load(file, NodeLinkJson.read(file), mapping);
        List<Record> edges = rows("""
                MATCH (a)-[e:LINKS {run: $run}]->(b) RETURN a.id AS a, b.id AS b, e.key AS k, e.weight AS w
                ORDER BY k""", Map.of("run", s.runId()));
        assertEquals(2, edges.size());
        assertEquals(List.of("a", "b"), edges.stream().map(r -> r.get("k").asString()).toList());
        assertEquals(List.of(0.5, -0.1), edges.stream().map(r -> r.get("w").asDouble()).toList());
        assertTrue(edges.stream().allMatch(r -> r.get("a").asString().equals("l9/1") && r.get("b").asString().equals("l9/2")));
        // a run on one SAE exports like any other: both keyed edges 1 -> 2
        Path csv = dir.resolve("multi.csv");
        org.saeatlas.ingest.export.RunExport.write(db.cypher(), s.runId(), org.saeatlas.ingest.export.RunExport.Format.CSV,
                csv, Progress.NONE);
        List<String> lines = readLines(csv);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("1,2,") && lines.get(2).startsWith("1,2,"), lines.toString());
    }

    static List<String> readLines(Path file) {
        try {
            return java.nio.file.Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aNodeOutsideTheSaeIsRefusedAndNothingIsWritten() {
        Path file = fixture("graph_links.json");
        long before = rows("MATCH (r:Run) RETURN count(r) AS n", Map.of()).get(0).get("n").asLong();
        var mapping = new GraphFileImport.Mapping(Map.of("", "l9"), null, null, null, Map.of());
        AtlasException e = assertThrows(AtlasException.class,
                () -> new GraphFileImport(db.cypher(), Progress.NONE).load(file, NodeLinkJson.read(file), mapping));
        for (String part : List.of("graph_links.json", "node 8_101", "'feature'", "SAE l9 in [0, 10)", "found 101")) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
        assertEquals(before, rows("MATCH (r:Run) RETURN count(r) AS n", Map.of()).get(0).get("n").asLong());
        // --where keeps only layer 9's node: then no link survives, which is refused rather than stored empty
        var layer9 = new GraphFileImport.Mapping(Map.of("", "l9"), null, null, null, Map.of("layer", "9"));
        AtlasException none = assertThrows(AtlasException.class,
                () -> new GraphFileImport(db.cypher(), Progress.NONE).load(file, NodeLinkJson.read(file), layer9));
        assertTrue(none.getMessage().contains("none of the 2 links"), none.getMessage());
        AtlasException unknown = assertThrows(AtlasException.class, () -> new GraphFileImport(db.cypher(), Progress.NONE)
                .load(file, NodeLinkJson.read(file), new GraphFileImport.Mapping(Map.of("", "nope"), null, null, null, Map.of())));
        assertTrue(unknown.getMessage().contains("SAE nope is not in the atlas"), unknown.getMessage());
        assertEquals(before, rows("MATCH (r:Run) RETURN count(r) AS n", Map.of()).get(0).get("n").asLong());
    }
}
