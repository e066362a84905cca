package org.saeatlas.ingest.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;

/**
 * The in-process path against the Bolt path on one embedded database (Bolt enabled): the same statements give equal
 * rows (property arrays, maps, nulls, nodes, relationships, numbers) and fail the same way (client errors, writes
 * refused in reads, timeouts, a database that has gone away).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CypherExecutorIT {

    private Path dir;
    private AtlasDatabase db;
    private CypherExecutor inProcess;
    private CypherExecutor bolt;

    @BeforeAll
    void open() throws java.io.IOException {
        dir = java.nio.file.Files.createTempDirectory("cypher-executor-it");
        db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"), EmbeddedNeo4j.freePort(),
                EmbeddedNeo4j.freePort(), "64m"));
        inProcess = db.cypher();
        bolt = db.boltCypher();
        assertInstanceOf(InProcessCypher.class, inProcess, "an embedded database is read in-process");
        Map<String, Object> props = new HashMap<>();
        props.put("longs", new long[] {1, -2, Long.MAX_VALUE});
        props.put("doubles", new double[] {0.5, -1e300});
        props.put("floats", new float[] {0.1f, 3.5f});
        props.put("ints", new int[] {7, 8});
        props.put("strings", new String[] {"a", "", "ü"});
        props.put("booleans", new boolean[] {true, false});
        props.put("text", "legal");
        props.put("count", 42);
        inProcess.write("""
                CREATE (a:Probe {id: 'a'}) SET a += $props
                CREATE (b:Probe {id: 'b', score: 0.25})
                CREATE (a)-[:LINKS {weight: 1.5, tags: ['x', 'y'], run: 'r'}]->(b)""", Map.of("props", props));
    }

    @AfterAll
    void close() throws java.io.IOException {
        if (db != null) {
            db.close();
        }
        org.neo4j.io.fs.FileUtils.deleteDirectory(dir);
    }

    @Test
    void theSameStatementsGiveEqualRowsOnBothPaths() {
        Map<String, Object> params = new HashMap<>();
        params.put("nothing", null);
        params.put("list", List.of(1, 2.5, "three"));
        params.put("map", Map.of("k", List.of(Map.of("deep", true))));
        for (String cypher : List.of(
                "MATCH (p:Probe {id: 'a'}) RETURN p.longs AS longs, p.doubles AS doubles, p.floats AS floats,"
                        + " p.ints AS ints, p.strings AS strings, p.booleans AS booleans, p.count AS count",
                "MATCH (p:Probe) RETURN p {.*} AS p ORDER BY p.id",
                "MATCH (p:Probe) RETURN p ORDER BY p.id",
                "MATCH (:Probe)-[e:LINKS]->(b) RETURN e, e {.*, b: b.id} AS edge, [e, b] AS both",
                "RETURN $nothing AS nothing, $list AS list, $map AS map, [1, null, 'x'] AS mixed, {a: null} AS m,"
                        + " 1 AS one, 1.0 AS oneD, true AS yes, 'ü' AS text",
                "MATCH (p:Probe) WHERE p.id = 'none' RETURN p",
                "SHOW INDEXES YIELD name, type WHERE name = 'feature_id' RETURN name, type")) {
            List<Map<String, Object>> viaBolt = bolt.read(cypher, params);
            List<Map<String, Object>> viaProcess = inProcess.read(cypher, params);
            assertEquals(viaBolt, viaProcess, cypher);
            assertEquals(viaBolt.stream().map(r -> List.copyOf(r.keySet())).toList(),
                    viaProcess.stream().map(r -> List.copyOf(r.keySet())).toList(), "column order of " + cypher);
        }
    }

    @Test
    void valuesComeBackAsTheDriversJavaTypes() {
        Map<String, Object> row = inProcess.read("MATCH (p:Probe {id: 'a'}) RETURN p.longs AS longs, p.floats AS"
                + " floats, p.ints AS ints, p.strings AS strings, p.count AS count, p AS node", Map.of()).get(0);
        assertEquals(List.of(1L, -2L, Long.MAX_VALUE), row.get("longs"));
        assertEquals(List.of((double) 0.1f, 3.5), row.get("floats"));
        assertEquals(List.of(7L, 8L), row.get("ints"));
        assertEquals(List.of("a", "", "ü"), row.get("strings"));
        assertEquals(42L, row.get("count"));
        Map<?, ?> node = assertInstanceOf(Map.class, row.get("node"), "a node comes back as its properties");
        assertEquals("legal", node.get("text"));
        assertEquals(List.of(true, false), node.get("booleans"));
    }

    @Test
    void errorsAreClassifiedTheSameWay() {
        for (String bad : List.of("MATCH (n RETURN n", "RETURN 1 / 0", "RETURN $missing AS x")) {
            CypherException viaBolt = assertThrows(CypherException.class, () -> bolt.read(bad, Map.of()));
            CypherException viaProcess = assertThrows(CypherException.class, () -> inProcess.read(bad, Map.of()));
            assertEquals(CypherException.Kind.CLIENT, viaBolt.kind(), bad);
            assertEquals(viaBolt.kind(), viaProcess.kind(), bad);
            assertEquals(viaBolt.code(), viaProcess.code(), bad);
        }
    }

    @Test
    void readsRefuseToWriteAndChangeNothing() {
        for (CypherExecutor path : List.of(inProcess, bolt)) {
            CypherException e = assertThrows(CypherException.class,
                    () -> path.read("CREATE (:Intruder {via: $via}) RETURN 1 AS n", Map.of("via", path.describe())));
            assertEquals(CypherException.Kind.CLIENT, e.kind(), e.getMessage());
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("not allowed")
                    || e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("read"), e.getMessage());
            assertThrows(CypherException.class, () -> path.read("MATCH (p:Probe {id: 'b'}) SET p.score = 0", Map.of()));
            assertThrows(CypherException.class, () -> path.read("CREATE INDEX probe_id FOR (p:Probe) ON (p.id)", Map.of()));
        }
        assertEquals(List.of(Map.of("n", 0L, "score", 0.25)), inProcess.read(
                "OPTIONAL MATCH (i:Intruder) WITH count(i) AS n MATCH (p:Probe {id: 'b'}) RETURN n, p.score AS score",
                Map.of()));
    }

    @Test
    void timeoutsTerminateReadsOnBothPaths() {
        String slow = "UNWIND range(1, 200000000) AS x WITH x WHERE x % 7 = 123456789 RETURN count(x) AS n";
        for (CypherExecutor path : List.of(inProcess, bolt)) {
            long t0 = System.nanoTime();
            CypherException e = assertThrows(CypherException.class,
                    () -> path.withTimeout(Duration.ofMillis(300)).read(slow, Map.of()));
            assertTrue((System.nanoTime() - t0) / 1e9 < 20, "terminated, not run to the end: " + e.getMessage());
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("terminated")
                    || e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timed out"), e.getMessage());
        }
    }

    @Test
    void aStoppedDatabaseIsUnavailableOnBothPaths(@TempDir Path other) {
        AtlasDatabase gone = AtlasDatabase.open(new Neo4jTarget(null, null, null, other.resolve("neo4j"),
                EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "16m"));
        try (Driver driver = GraphDatabase.driver(gone.boltUri(), AuthTokens.none(), org.neo4j.driver.Config.builder()
                .withConnectionTimeout(1, java.util.concurrent.TimeUnit.SECONDS).withoutEncryption().build())) {
            CypherExecutor viaBolt = new BoltCypher(driver, gone.boltUri());
            CypherExecutor viaProcess = gone.cypher();
            assertEquals(List.of(Map.of("one", 1L)), viaBolt.read("RETURN 1 AS one", Map.of()));
            gone.close();
            for (CypherExecutor path : List.of(viaBolt, viaProcess)) {
                CypherException e = assertThrows(CypherException.class, () -> path.read("RETURN 1 AS one", Map.of()));
                assertEquals(CypherException.Kind.UNAVAILABLE, e.kind(), path.describe() + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("unavailable"), e.getMessage());
            }
        }
    }

    @Test
    void primitiveArraysOfEveryKindBecomeLists() {
        assertEquals(List.of(1L, 2L), CypherValues.normalise(new short[] {1, 2}));
        assertEquals(List.of("a", "b"), CypherValues.normalise(new char[] {'a', 'b'}));
        assertEquals(List.of(0.5, 1.0), CypherValues.normalise(new Double[] {0.5, 1.0}));
        assertTrue(Arrays.equals(new byte[] {1, 2}, (byte[]) CypherValues.normalise(new byte[] {1, 2})));
    }
}
