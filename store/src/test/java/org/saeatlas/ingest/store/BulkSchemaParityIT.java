package org.saeatlas.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.store.SyntheticAtlas;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.SchemaIndexes;

/**
 * An atlas written by Neo4j's offline importer must have every index and constraint an online-written one has:
 * without the token lookup indexes (which Neo4j creates for a database it creates itself, but its importer does not)
 * the same atlas served 11x slower. Compared by what the items are (type, entity, labels or types, properties,
 * state), not by name: Neo4j names its own lookup indexes.
 */
class BulkSchemaParityIT {

    @TempDir
    Path dir;

    @Test
    void aBulkWrittenAtlasHasEveryIndexAndConstraintOfAnOnlineOne() {
        BulkImport.Content base = SyntheticAtlas.generate(50, 120, 7L);
        List<Rows.ExplanationRow> explanations = new ArrayList<>();
        for (int f = 0; f < 50; f++) {
            explanations.add(new Rows.ExplanationRow(f, "text " + f, "test", 1.0, new float[] {f, 1, 2}));
        }
        BulkImport.Content atlas = new BulkImport.Content(base.models(), base.saes(), base.features(),
                Map.of(SyntheticAtlas.SAE, explanations), base.examples(), base.runs());

        Schema online;
        AtlasLoad.Result a = AtlasLoad.load(ChildIngestMain.target(dir.resolve("online")), atlas,
                AtlasLoad.Mode.ONLINE, Progress.NONE);
        try (AtlasDatabase db = a.database()) {
            assertFalse(a.bulk());
            online = Schema.of(db.cypher());
            assertEquals(List.of(), SchemaIndexes.missing(db.cypher()), "an online atlas lacks nothing");
        }
        Schema offline;
        AtlasLoad.Result b = AtlasLoad.load(ChildIngestMain.target(dir.resolve("offline")), atlas,
                AtlasLoad.Mode.OFFLINE, Progress.NONE);
        try (AtlasDatabase db = b.database()) {
            assertTrue(b.bulk());
            offline = Schema.of(db.cypher());
            assertEquals(List.of(), SchemaIndexes.missing(db.cypher()), "a bulk-written atlas lacks nothing");
        }
        assertTrue(online.indexes().stream().anyMatch(i -> i.startsWith("LOOKUP NODE"))
                && online.indexes().stream().anyMatch(i -> i.startsWith("LOOKUP RELATIONSHIP")),
                "the online atlas has both token lookup indexes: " + online.indexes());
        assertTrue(online.indexes().stream().anyMatch(i -> i.startsWith("VECTOR")), online.indexes().toString());
        assertEquals(online.indexes(), offline.indexes(), "indexes of the online vs the bulk-written atlas");
        assertEquals(online.constraints(), offline.constraints(), "constraints of the online vs the bulk-written atlas");
    }

    /** Indexes and constraints as "TYPE ENTITY [labels or types] [properties] STATE", sorted, without names. */
    record Schema(TreeSet<String> indexes, TreeSet<String> constraints) {
        static Schema of(CypherExecutor cypher) {
            TreeSet<String> indexes = new TreeSet<>();
            for (Map<String, Object> r : cypher.read("SHOW INDEXES YIELD type, entityType, labelsOrTypes,"
                    + " properties, state RETURN *", Map.of())) {
                indexes.add(r.get("type") + " " + r.get("entityType") + " " + r.get("labelsOrTypes") + " "
                        + r.get("properties") + " " + r.get("state"));
            }
            TreeSet<String> constraints = new TreeSet<>();
            for (Map<String, Object> r : cypher.read("SHOW CONSTRAINTS YIELD type, entityType, labelsOrTypes,"
                    + " properties RETURN *", Map.of())) {
                constraints.add(r.get("type") + " " + r.get("entityType") + " " + r.get("labelsOrTypes") + " "
                        + r.get("properties"));
            }
            return new Schema(indexes, constraints);
        }
    }
}
