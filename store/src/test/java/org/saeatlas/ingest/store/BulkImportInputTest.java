package org.saeatlas.ingest.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.neo4j.batchimport.api.InputIterable;
import org.neo4j.batchimport.api.InputIterator;
import org.neo4j.batchimport.api.input.Collector;
import org.neo4j.batchimport.api.input.IdType;
import org.neo4j.batchimport.api.input.Input;
import org.neo4j.batchimport.api.input.InputChunk;
import org.neo4j.batchimport.api.input.InputEntityVisitor;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.schema.Vocabulary;

/** The atlas as the importer reads it: numbering, properties as an online load stores them, and refusals. */
class BulkImportInputTest {

    /** What the importer is told about one entity. */
    record Entity(long id, List<String> labels, long start, long end, String type, Map<String, Object> properties) { }

    /** One model, one SAE of three features, an explanation, an example and a run of two edges. */
    static BulkImport.Content small() {
        Rows.SaeRow sae = new Rows.SaeRow("s", "m", "rel", 6, "blocks.6.hook_resid_post", 3, 1, "relu", 8);
        return new BulkImport.Content(
                List.of(new Rows.ModelRow("m", "Model")),
                List.of(sae),
                Map.of("s", List.of(new Rows.FeatureRow(0, 0.1, 1.0, 2.0), new Rows.FeatureRow(5, null, 1.5, 3.0),
                        new Rows.FeatureRow(7, 0.3, 1.0, 2.0, new long[] {1, 2}))),
                Map.of("s", List.of(new Rows.ExplanationRow(5, "commas", "test", 0.5, new float[] {0.25f, 1f}),
                        new Rows.ExplanationRow(5, "second", "test", null))),
                Map.of("s", List.of(new Rows.ExampleRow(7, 0, List.of("a", ","), new float[] {-1f, 0.5f}))),
                List.of(new BulkImport.RunEdges(new Rows.RunRow("r", Vocabulary.KIND_DEPENDENCE, "s",
                        Map.of("method", "stability", "resamples", 30)), Vocabulary.DEPENDS, List.of(
                        new Rows.EdgeRow(0, 5, Map.of("weight", 0.5f, "replicates", 3)),
                        new Rows.EdgeRow(7, 0, Map.of("weight", -0.25, "replicates", 30, "stable", true))))),
                Map.of("s", new double[] {0, 1, 2}));
    }

    static List<Entity> read(InputIterable input) throws IOException {
        List<Entity> out = new ArrayList<>();
        try (InputIterator it = input.iterator()) {
            InputChunk chunk = it.newChunk();
            while (it.next(chunk)) {
                Recorder r = new Recorder();
                while (chunk.next(r)) {
                    out.add(r.entity);
                }
            }
        }
        return out;
    }

    /** Records one entity at a time, as the importer's visitors receive it. */
    static final class Recorder extends InputEntityVisitor.Adapter {
        long id = -1;
        long start = -1;
        long end = -1;
        String type;
        List<String> labels = List.of();
        Map<String, Object> properties = new LinkedHashMap<>();
        Entity entity;

        @Override
        public boolean id(long id) {
            this.id = id;
            return true;
        }

        @Override
        public boolean labels(String[] labels) {
            this.labels = List.of(labels);
            return true;
        }

        @Override
        public boolean startId(long id) {
            start = id;
            return true;
        }

        @Override
        public boolean endId(long id) {
            end = id;
            return true;
        }

        @Override
        public boolean type(String type) {
            this.type = type;
            return true;
        }

        @Override
        public boolean property(String key, Object value) {
            assertFalse(properties.containsKey(key), "property " + key + " told twice");
            properties.put(key, value);
            return true;
        }

        @Override
        public void endOfEntity() {
            entity = new Entity(id, labels, start, end, type, properties);
            id = start = end = -1;
            type = null;
            labels = List.of();
            properties = new LinkedHashMap<>();
        }
    }

    @Test
    void nodesAreNumberedInOrderAndRelationshipsPointAtThoseNumbers() throws IOException {
        BulkImportInput g = BulkImportInput.of(small());
        Input input = g.input(Progress.NONE);
        assertEquals(IdType.ACTUAL, input.idType());
        List<Entity> nodes = read(input.nodes(Collector.STRICT));
        List<Entity> rels = read(input.relationships(Collector.STRICT));
        // model, SAE, 3 features, 2 explanations, 1 example, 1 run
        assertEquals(9, g.nodeCount());
        assertEquals(nodes.size(), g.nodeCount());
        for (int k = 0; k < nodes.size(); k++) {
            assertEquals(k, nodes.get(k).id(), "node numbers are their positions");
        }
        Map<String, Long> number = new LinkedHashMap<>();
        nodes.forEach(n -> number.put((String) n.properties().get("id"), n.id()));
        assertEquals(List.of("m", "s", "s/0", "s/5", "s/7", "s/5#explanation-0", "s/5#explanation-1", "s/7#example-0",
                "r"), List.copyOf(number.keySet()));

        // OF_MODEL, 3 IN_SAE, 2 EXPLAINS, EXAMPLE_OF, ON_SAE, then the run's 2 edges
        assertEquals(10, g.relationshipCount());
        assertEquals(2, g.edgeCount());
        List<String> links = rels.stream().map(r -> nodes.get((int) r.start()).properties().get("id") + " -" + r.type()
                + "-> " + nodes.get((int) r.end()).properties().get("id")).toList();
        assertEquals(List.of("s -OF_MODEL-> m", "s/0 -IN_SAE-> s", "s/5 -IN_SAE-> s", "s/7 -IN_SAE-> s",
                "s/5#explanation-0 -EXPLAINS-> s/5", "s/5#explanation-1 -EXPLAINS-> s/5",
                "s/7#example-0 -EXAMPLE_OF-> s/7", "r -ON_SAE-> s", "s/0 -DEPENDS-> s/5", "s/7 -DEPENDS-> s/0"), links);
    }

    @Test
    void propertiesHaveTheTypesAnOnlineLoadStores() throws IOException {
        Input input = BulkImportInput.of(small()).input(Progress.NONE);
        List<Entity> nodes = read(input.nodes(Collector.STRICT));
        List<Entity> rels = read(input.relationships(Collector.STRICT));
        Map<String, Object> sae = nodes.get(1).properties();
        assertEquals(List.of(Vocabulary.SAE), nodes.get(1).labels());
        assertEquals(6L, sae.get("layer"));
        assertEquals(3L, sae.get("width"));
        assertArrayEquals(new double[] {0, 1, 2}, (double[]) sae.get("histogramEdges"));
        assertFalse(sae.containsKey("l0"), "unknown statistics are not stored");

        Map<String, Object> f5 = nodes.get(3).properties();
        assertEquals(5L, f5.get("index"));
        assertEquals("s", f5.get("sae"));
        assertFalse(f5.containsKey("firingRate"), "a null is not stored");
        assertEquals("commas", f5.get("explanation"), "the first explanation is the headline");
        assertArrayEquals(new long[] {1, 2}, (long[]) nodes.get(4).properties().get("histogram"));
        assertNull(nodes.get(2).properties().get("explanation"));

        Map<String, Object> x = nodes.get(5).properties();
        assertEquals(List.of(Vocabulary.EXPLANATION), nodes.get(5).labels());
        assertEquals("m", x.get("model"));
        assertEquals(6L, x.get("layer"));
        assertArrayEquals(new double[] {0.25, 1.0}, (double[]) x.get("embedding"));
        assertFalse(nodes.get(6).properties().containsKey("score"));

        Map<String, Object> example = nodes.get(7).properties();
        assertArrayEquals(new String[] {"a", ","}, (String[]) example.get("tokens"));
        assertArrayEquals(new double[] {-1, 0.5}, (double[]) example.get("values"));
        assertEquals(0.5, example.get("maxValue"));
        assertEquals(0L, example.get("rank"));

        Map<String, Object> run = nodes.get(8).properties();
        assertEquals(Vocabulary.STATUS_COMPLETE, run.get("status"));
        assertEquals(2L, run.get("edgeCount"));
        assertEquals(30L, run.get("resamples"));
        assertEquals("s", run.get("sae"));

        Map<String, Object> e0 = rels.get(8).properties();
        assertEquals(Map.of("run", "r", "weight", 0.5, "replicates", 3L), e0, "floats as doubles, ints as longs");
        assertEquals(Map.of("run", "r", "weight", -0.25, "replicates", 30L, "stable", true), rels.get(9).properties());
    }

    @Test
    void everyNodeIsToldOnceAcrossChunksOfALargeAtlas() throws IOException {
        BulkImport.Content big = org.saeatlas.ingest.store.SyntheticAtlas.generate(25_000, 30_000, 3);
        BulkImportInput g = BulkImportInput.of(big);
        List<Entity> nodes = read(g.input(Progress.NONE).nodes(Collector.STRICT));
        List<Entity> rels = read(g.input(Progress.NONE).relationships(Collector.STRICT));
        assertEquals(25_003, nodes.size());
        for (int k = 0; k < nodes.size(); k++) {
            assertEquals(k, nodes.get(k).id());
        }
        assertEquals(1 + 25_000 + 1 + 30_000, rels.size());
        Rows.EdgeRow last = big.runs().get(0).edges().get(29_999);
        Entity lastEdge = rels.get(rels.size() - 1);
        assertEquals("bench-sae/" + last.i(), nodes.get((int) lastEdge.start()).properties().get("id"));
        assertEquals("bench-sae/" + last.j(), nodes.get((int) lastEdge.end()).properties().get("id"));
    }

    private static AtlasException refused(UnaryOperator<BulkImport.Content> change) {
        return assertThrows(AtlasException.class, () -> BulkImportInput.of(change.apply(small())));
    }

    private static BulkImport.Content with(BulkImport.Content c, List<Rows.ModelRow> models,
                                           List<Rows.SaeRow> saes, Map<String, List<Rows.FeatureRow>> features,
                                           Map<String, List<Rows.ExplanationRow>> explanations,
                                           Map<String, List<Rows.ExampleRow>> examples,
                                           List<BulkImport.RunEdges> runs) {
        return new BulkImport.Content(models != null ? models : c.models(), saes != null ? saes : c.saes(),
                features != null ? features : c.features(), explanations != null ? explanations : c.explanations(),
                examples != null ? examples : c.examples(), runs != null ? runs : c.runs(), c.histogramEdges());
    }

    @Test
    void duplicatesAndDanglingReferencesAreRefusedNamingThem() {
        String m = refused(c -> with(c, null, null, Map.of("s", List.of(new Rows.FeatureRow(0, 0.1, 1.0, 2.0),
                new Rows.FeatureRow(0, 0.2, 1.0, 2.0))), Map.of(), Map.of(), List.of())).getMessage();
        assertTrue(m.contains("features of SAE s: feature index 0 appears twice"), m);

        m = refused(c -> with(c, null, null, null, Map.of("s", List.of(new Rows.ExplanationRow(9, "x", "t", 1.0))),
                null, null)).getMessage();
        assertTrue(m.contains("explanation: feature 9 of SAE s is not in the atlas"), m);

        m = refused(c -> with(c, null, null, null, Map.of("s", List.of(new Rows.ExplanationRow(0, " ", "t", 1.0))),
                null, null)).getMessage();
        assertTrue(m.contains("explanation of feature 0 in SAE s: expected non-empty text"), m);

        m = refused(c -> with(c, null, null, null, null, Map.of("s", List.of(
                new Rows.ExampleRow(7, 1, List.of("a"), new float[] {1}),
                new Rows.ExampleRow(7, 1, List.of("b"), new float[] {2}))), null)).getMessage();
        assertTrue(m.contains("feature 7 has two examples of rank 1"), m);

        m = refused(c -> with(c, null, null, null, null, null, List.of(new BulkImport.RunEdges(
                new Rows.RunRow("r", Vocabulary.KIND_DEPENDENCE, "s", Map.of()), Vocabulary.DEPENDS,
                List.of(new Rows.EdgeRow(0, 6, Map.of("weight", 1.0))))))).getMessage();
        assertTrue(m.contains("edge of run r: feature 6 of SAE s is not in the atlas"), m);

        m = refused(c -> with(c, null, null, null, null, null, List.of(c.runs().get(0), c.runs().get(0))))
                .getMessage();
        assertTrue(m.contains("run r appears twice"), m);

        m = refused(c -> with(c, null, null, null, null, null, List.of(new BulkImport.RunEdges(
                new Rows.RunRow("q", Vocabulary.KIND_DEPENDENCE, "other", Map.of()), Vocabulary.DEPENDS,
                List.of())))).getMessage();
        assertTrue(m.contains("run q: SAE other is not in the atlas; expected one of [s]"), m);

        m = refused(c -> with(c, List.of(), null, null, null, null, null)).getMessage();
        assertTrue(m.contains("SAE s: model m is not in the atlas"), m);

        m = refused(c -> with(c, List.of(c.models().get(0), c.models().get(0)), null, null, null, null, null))
                .getMessage();
        assertTrue(m.contains("model m appears twice"), m);

        m = refused(c -> with(c, null, null, null, null, null, List.of(new BulkImport.RunEdges(
                new Rows.RunRow("r", Vocabulary.KIND_DEPENDENCE, "s", Map.of()), Vocabulary.DEPENDS,
                List.of(new Rows.EdgeRow(0, 5, Map.of("weight", new Object()))))))).getMessage();
        assertTrue(m.contains("property weight"), m);
    }
}
