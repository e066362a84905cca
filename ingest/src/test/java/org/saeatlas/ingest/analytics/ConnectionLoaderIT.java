package org.saeatlas.ingest.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Record;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.connections.ConnectionParameters;
import org.saeatlas.compute.connections.MlpBaseline;
import org.saeatlas.compute.connections.PlantedLayers;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.BoltCypher;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.store.RunStore;

/** A connection run stored on an embedded Neo4j: CONNECTS, LINEARITY, the run's table, idempotence, delete. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionLoaderIT {
    @TempDir
    static Path dir;
    private AtlasDatabase db;
    private TestStatements st;
    private PlantedLayers planted;
    private ConnectionLoader.Summary first;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private ConnectionLoader loader;
    private final ConnectionParameters params = ConnectionParameters.defaults().withResamples(4).withThreads(2);

    @BeforeAll
    void load() {
        db = AtlasDatabase.open(Neo4jTarget.embedded(dir.resolve("neo4j")));
        st = new TestStatements(db.driver());
        planted = PlantedLayers.generate(new PlantedLayers.Spec(4000, 60, 6, 8, 3, 2, 1, 1, 4, 5));
        sae("up", planted.upstream().featureCount());
        sae("down", planted.downstream().featureCount());
        loader = new ConnectionLoader(db.boltCypher(), new PrintStream(log, true, StandardCharsets.UTF_8));
        first = loader.load("up", planted.upstream(), "down", planted.downstream(), params, new MlpBaseline(8, 10));
    }

    @AfterAll
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private void sae(String id, int width) {
        st.write("CREATE (:Sae {id: $id, width: $w}) WITH 1 AS x UNWIND range(0, $w - 1) AS i"
                + " CREATE (:Feature {id: $id + '/' + i, sae: $id, index: i})", Map.of("id", id, "w", width));
    }

    @Test
    void connectionsAndLinearityAreStoredUnderACompleteRun() {
        Record r = st.read("MATCH (r:Run {id: $id}) RETURN r.kind AS kind, r.saes AS saes, r.status AS status,"
                + " r.edgeCount AS edges, r.stableConnections AS stable, r.linearShare AS share, r.fdrTable AS fdr",
                Map.of("id", first.run())).get(0);
        assertEquals("connection", r.get("kind").asString());
        assertEquals(List.of("up", "down"), r.get("saes").asList());
        assertEquals("complete", r.get("status").asString());
        long edges = st.read("MATCH (:Feature {sae: 'up'})-[e:CONNECTS {run: $id}]->(:Feature {sae: 'down'})"
                + " RETURN count(e) AS n", Map.of("id", first.run())).get(0).get("n").asLong();
        assertEquals(first.connections(), edges);
        assertEquals(r.get("edges").asLong(), edges);
        assertTrue(first.stable() > 0);
        assertTrue(r.get("fdr").asString().contains("expectedNull"));
        // every planted AND NOT inhibitor arrives with a negative weight
        int b = java.util.Arrays.asList(planted.kinds()).indexOf(PlantedLayers.Kind.AND_NOT);
        int inhibitor = planted.truth()[b][1];
        Record neg = st.read("MATCH (a:Feature {id: $a})-[e:CONNECTS {run: $id}]->(b:Feature {id: $b})"
                + " RETURN e.weight AS w, e.stable AS stable", Map.of("a", "up/" + inhibitor, "b", "down/" + b,
                "id", first.run())).get(0);
        assertTrue(neg.get("w").asDouble() < 0 && neg.get("stable").asBoolean());
        long lin = st.read("MATCH (f:Feature {sae: 'down'})-[l:LINEARITY {run: $id}]->(:Run {id: $id})"
                + " RETURN count(l) AS n", Map.of("id", first.run())).get(0).get("n").asLong();
        assertEquals(first.evaluated(), lin);
        int product = java.util.Arrays.asList(planted.kinds()).indexOf(PlantedLayers.Kind.PRODUCT);
        boolean productLinear = st.read("MATCH (f:Feature {id: $f})-[l:LINEARITY {run: $id}]->()"
                + " RETURN l.linear AS linear", Map.of("f", "down/" + product, "id", first.run())).get(0)
                .get("linear").asBoolean();
        assertFalse(productLinear);
        assertEquals(first.linear() / (double) first.evaluated(), r.get("share").asDouble(), 1e-12);
        assertTrue(ConnectionLoader.table(List.of(first)).contains("share linear"));
    }

    @Test
    void loadingTheSameContentAgainIsANoOp() {
        ConnectionLoader.Summary again = loader.load("up", planted.upstream(), "down", planted.downstream(), params,
                new MlpBaseline(8, 10));
        assertFalse(again.computed());
        assertEquals(first.run(), again.run());
        assertEquals(first.connections(), again.connections());
        assertEquals(first.linear(), again.linear());
    }

    @Test
    void refusesUnknownSaesAndWrongWidths() {
        AtlasException unknown = assertThrows(AtlasException.class, () -> loader.load("nope", planted.upstream(),
                "down", planted.downstream(), params, new MlpBaseline(8, 10)));
        assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());
        AtlasException width = assertThrows(AtlasException.class, () -> loader.load("down", planted.upstream(),
                "up", planted.downstream(), params, new MlpBaseline(8, 10)));
        assertTrue(width.getMessage().contains("width"), width.getMessage());
    }

    @Test
    void deletingTheUpstreamSaeTakesTheRunItsEdgesAndLinearity() {
        sae("up2", planted.upstream().featureCount());
        ConnectionLoader.Summary s = loader.load("up2", planted.upstream(), "down", planted.downstream(), params,
                new MlpBaseline(8, 10));
        CypherExecutor cypher = new BoltCypher(db.driver(), "bolt");
        new RunStore(cypher).deleteSae("up2", org.saeatlas.compute.Progress.NONE);
        assertEquals(0, st.read("MATCH (r:Run {id: $id}) RETURN r", Map.of("id", s.run())).size());
        assertEquals(0, st.read("MATCH ()-[e:CONNECTS {run: $id}]->() RETURN e", Map.of("id", s.run())).size());
        assertEquals(0, st.read("MATCH ()-[e:LINEARITY {run: $id}]->() RETURN e", Map.of("id", s.run())).size());
        assertTrue(st.read("MATCH ()-[e:CONNECTS {run: $id}]->() RETURN e", Map.of("id", first.run())).size() > 0);
    }
}
