package org.saeatlas.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.InProcessCypher;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;
import org.saeatlas.schema.Vocabulary;

/**
 * The embedded kernel writes of {@link AtlasWriter} write exactly what its Cypher statements write over Bolt (as
 * for a server): the same rows
 * loaded as two SAEs of one database, once through each path, give the same labels, relationships, properties and
 * value types (integers as longs, floats as doubles, lists as arrays, nulls absent); loading again changes nothing.
 */
class EmbeddedWritesIT {

    static final int FEATURES = 300;

    @TempDir
    static Path dir;
    static AtlasDatabase db;

    @BeforeAll
    static void open() {
        db = AtlasDatabase.open(ChildIngestMain.target(dir.resolve("neo4j")));
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void kernelWritesEqualCypherWrites() {
        // the reference: the Cypher statements over Bolt, as for a server (in-process Cypher stores a Java Integer
        // parameter as a 32-bit int; over Bolt, and from the bulk importer, integers are 64-bit longs)
        AtlasWriter cypher = new AtlasWriter(db.boltCypher(), Progress.NONE, 70, 1, false);
        AtlasWriter inProcessCypher = new AtlasWriter(db.cypher(), Progress.NONE, 70, 1, false);
        AtlasWriter kernel = new AtlasWriter(db.cypher(), Progress.NONE, 70, 1, true);
        AtlasWriter kernelTwoWriters = new AtlasWriter(db.cypher(), Progress.NONE, 70, 2, true);
        assertEquals("cypher", cypher.bulkPath());
        assertEquals("cypher", inProcessCypher.bulkPath());
        assertEquals("kernel", kernel.bulkPath());
        assertEquals("cypher", new AtlasWriter(db.boltCypher(), Progress.NONE, 70, 1, true).bulkPath(),
                "over Bolt the writer always speaks Cypher");

        load(cypher, "eq-cypher");
        load(inProcessCypher, "eq-inprocess");
        load(kernel, "eq-kernel");
        load(kernelTwoWriters, "eq-kernel2");
        Map<String, Object> expected = snapshot("eq-cypher");
        assertEquals(FEATURES, ((Map<?, ?>) expected.get("features")).size());
        assertTrue(((Map<?, ?>) expected.get("edges")).size() > 1000);
        assertEquals(expected, snapshot("eq-inprocess"));
        assertEquals(expected, snapshot("eq-kernel"));
        assertEquals(expected, snapshot("eq-kernel2"));

        // idempotent: a complete run is not loaded again, existing features are MERGEd
        Map<String, Long> before = counts();
        assertFalse(kernel.run(run("eq-kernel"), Vocabulary.COACTIVATES, edges()));
        kernel.features("eq-kernel", features());
        assertEquals(before, counts());
        assertEquals(expected, snapshot("eq-kernel"));
    }

    @Test
    void missingEndpointFailsNamingTheFeatureAndWritesNoEdge() {
        AtlasWriter kernel = new AtlasWriter(db.cypher(), Progress.NONE, 50, 1, true);
        kernel.model(new Rows.ModelRow("eq-model", "m"));
        kernel.sae(sae("eq-missing"));
        kernel.features("eq-missing", features().subList(0, 10));
        Rows.RunRow run = new Rows.RunRow("eq-missing-run", Vocabulary.KIND_COACTIVATION, "eq-missing", Map.of());
        AtlasException e = assertThrows(AtlasException.class, () -> kernel.run(run, Vocabulary.COACTIVATES,
                List.of(new Rows.EdgeRow(1, 2, Map.of("weight", 1.0)), new Rows.EdgeRow(3, 12, Map.of("weight", 1.0)))));
        assertTrue(e.getMessage().contains("feature 12 of SAE eq-missing"), e.getMessage());
        assertEquals(0, one("MATCH (:Feature {sae: 'eq-missing'})-[e:COACTIVATES]->() RETURN count(e) AS n"));
        assertEquals(Vocabulary.STATUS_LOADING, db.cypher().read("MATCH (r:Run {id: 'eq-missing-run'}) RETURN r.status AS s",
                Map.of()).get(0).get("s"));
    }

    private static void load(AtlasWriter w, String sae) {
        w.model(new Rows.ModelRow("eq-model", "m"));
        w.sae(sae(sae));
        w.features(sae, features());
        assertTrue(w.run(run(sae), Vocabulary.COACTIVATES, edges()));
    }

    private static Rows.SaeRow sae(String id) {
        return new Rows.SaeRow(id, "eq-model", "eq", 1, "hook", FEATURES, 1, "relu", 16);
    }

    private static Rows.RunRow run(String sae) {
        return new Rows.RunRow("run-" + sae, Vocabulary.KIND_COACTIVATION, sae,
                Map.of("method", "test", "parameters", "{\"k\":1}"));
    }

    /** Features with missing statistics now and then (not stored). */
    private static List<Rows.FeatureRow> features() {
        List<Rows.FeatureRow> rows = new ArrayList<>();
        for (int f = 0; f < FEATURES; f++) {
            rows.add(new Rows.FeatureRow(f, f % 7 == 0 ? null : f / 1000.0, 1.5 + f, f % 11 == 0 ? null : 2.0 * f));
        }
        return rows;
    }

    /** Edges with every kind of value: int, long, float, double, boolean, string, lists, and absent keys. */
    private static List<Rows.EdgeRow> edges() {
        List<Rows.EdgeRow> rows = new ArrayList<>();
        for (int i = 0; i < FEATURES; i++) {
            for (int d = 1; d <= 5 && i + d * 7 < FEATURES; d++) {
                int j = i + d * 7;
                Map<String, Object> p = new HashMap<>();
                p.put("count", i + j);
                p.put("big", (long) i * 1_000_000_007L);
                p.put("weight", 1.0 / (1 + i + j));
                p.put("jaccard", (float) (i % 5) / 5f);
                p.put("stable", (i + j) % 2 == 0);
                p.put("method", "m" + (i % 3));
                if (i % 4 == 0) {
                    p.put("ranks", List.of(i, j));
                    p.put("labels", List.of("a", "b" + i));
                    p.put("scores", List.of(0.5, 0.25 * d));
                }
                rows.add(new Rows.EdgeRow(i, j, p));
            }
        }
        return rows;
    }

    /** Everything stored for an SAE, with its id taken out of ids so two SAEs compare. */
    private static Map<String, Object> snapshot(String sae) {
        CypherExecutor c = db.cypher();
        Map<String, Object> features = new TreeMap<>();
        for (Map<String, Object> r : c.read("""
                MATCH (f:Feature {sae: $sae})
                RETURN f.index AS i, labels(f) AS labels, properties(f) AS p,
                       [k IN keys(f) | k + ':' + valueType(f[k])] AS types,
                       [(f)-[r]->(s) | type(r) + '->' + labels(s)[0]] AS out""", Map.of("sae", sae))) {
            Map<String, Object> p = new TreeMap<>((Map<String, Object>) r.get("p"));
            p.put("id", String.valueOf(p.get("id")).replace(sae + "/", "SAE/"));
            p.remove("sae");
            features.put(String.valueOf(r.get("i")), List.of(r.get("labels"), p, sorted(r.get("types")), r.get("out")));
        }
        Map<String, Object> edges = new TreeMap<>();
        for (Map<String, Object> r : c.read("""
                MATCH (a:Feature {sae: $sae})-[e]->(b:Feature)
                RETURN a.index AS i, b.index AS j, type(e) AS type, properties(e) AS p,
                       [k IN keys(e) | k + ':' + valueType(e[k])] AS types""", Map.of("sae", sae))) {
            Map<String, Object> p = new TreeMap<>((Map<String, Object>) r.get("p"));
            assertEquals("run-" + sae, p.remove("run"));
            String key = r.get("i") + "," + r.get("j");
            assertFalse(edges.containsKey(key), "duplicate edge " + key);
            edges.put(key, List.of(r.get("type"), p, sorted(r.get("types"))));
        }
        Map<String, Object> run = new TreeMap<>(c.read("MATCH (r:Run {id: $id})-[:ON_SAE]->(:Sae {id: $sae})"
                + " RETURN properties(r) AS p", Map.of("id", "run-" + sae, "sae", sae)).get(0).get("p") instanceof Map<?, ?> m
                ? (Map<String, Object>) m : Map.of());
        run.keySet().removeAll(List.of("id", "sae", "createdAt", "completedAt"));
        return Map.of("features", features, "edges", edges, "run", run, "stored", storedTypes(sae));
    }

    /** The Java classes of the stored values (Cypher says INTEGER for int and long alike): key to class names. */
    private static Map<String, java.util.Set<String>> storedTypes(String sae) {
        Map<String, java.util.Set<String>> types = new TreeMap<>();
        try (Transaction tx = ((InProcessCypher) db.cypher()).database().beginTx();
             var nodes = tx.findNodes(Label.label(Vocabulary.FEATURE), "sae", sae)) {
            while (nodes.hasNext()) {
                Node f = nodes.next();
                f.getAllProperties().forEach((k, v) -> types.computeIfAbsent("feature." + k, x -> new java.util.TreeSet<>())
                        .add(v.getClass().getSimpleName()));
                for (Relationship e : f.getRelationships(Direction.OUTGOING)) {
                    e.getAllProperties().forEach((k, v) -> types.computeIfAbsent(e.getType().name() + "." + k,
                            x -> new java.util.TreeSet<>()).add(v.getClass().getSimpleName()));
                }
            }
            tx.commit();
        }
        assertEquals(java.util.Set.of("Long"), types.get("feature.index"));
        assertEquals(java.util.Set.of("long[]"), types.get("COACTIVATES.ranks"));
        return types;
    }

    private static List<String> sorted(Object list) {
        List<String> out = new ArrayList<>();
        ((List<?>) list).forEach(x -> out.add(String.valueOf(x)));
        out.sort(null);
        return out;
    }

    private static Map<String, Long> counts() {
        return Map.of("nodes", one("MATCH (n) RETURN count(n) AS n"), "relationships", one("MATCH ()-[e]->() RETURN count(e) AS n"));
    }

    private static long one(String cypher) {
        return ((Number) db.cypher().read(cypher, Map.of()).get(0).get("n")).longValue();
    }
}
