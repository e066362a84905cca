package org.saeatlas.ingest.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.Neo4jTarget;

/** GDS registered by hand in the embedded DBMS: version, a Cypher projection and WCC over Bolt. */
class GdsProceduresIT {

    @Test
    void embeddedDatabaseRunsGds(@TempDir Path dir) {
        try (AtlasDatabase db = AtlasDatabase.open(Neo4jTarget.embedded(dir))) {
            assertTrue(GdsProcedures.require(db.driver()).startsWith("2.13"));
            try (var s = db.driver().session()) {
                s.run("UNWIND range(0, 5) AS i CREATE (:T {i: i})").consume();
                s.run("MATCH (a:T), (b:T) WHERE b.i = a.i + 1 AND a.i <> 2 CREATE (a)-[:L]->(b)").consume();
                s.run("""
                        MATCH (a:T)-[:L]->(b:T)
                        WITH gds.graph.project('t', a, b, {}, {undirectedRelationshipTypes: ['*']}) AS g
                        RETURN g.nodeCount AS n""").consume();
                List<Map<String, Object>> rows = s.run("""
                        CALL gds.wcc.stream('t') YIELD nodeId, componentId
                        RETURN gds.util.asNode(nodeId).i AS i, componentId ORDER BY i""").list(r -> r.asMap());
                assertEquals(6, rows.size());
                assertEquals(rows.get(0).get("componentId"), rows.get(2).get("componentId"));
                assertTrue(!rows.get(2).get("componentId").equals(rows.get(3).get("componentId")));
                s.run("CALL gds.graph.drop('t')").consume();
            }
        }
    }
}
