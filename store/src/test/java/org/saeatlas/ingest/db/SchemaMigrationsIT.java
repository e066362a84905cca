package org.saeatlas.ingest.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.errors.AtlasException;

/**
 * The atlas's own migrations on a real embedded database, in-process and over Bolt: a new database gets every
 * constraint and index and a history; an up-to-date one is a single read; a database that has the items but no
 * history (migrated by an earlier atlas) is recorded without change; a newer database and a changed migration are
 * refused without any write; a new migration is applied alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemaMigrationsIT {

    static final Pattern NAMED = Pattern.compile("^CREATE (FULLTEXT |VECTOR |LOOKUP )?(CONSTRAINT|INDEX) (\\w+) ");

    @TempDir
    static Path dir;
    private AtlasDatabase db;

    @BeforeAll
    void open() {
        db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"), EmbeddedNeo4j.freePort(),
                EmbeddedNeo4j.freePort(), "64m"));
    }

    @AfterAll
    void close() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aNewDatabaseHasEveryConstraintAndIndexOfTheMigrationsAndTheirHistory() {
        Set<String> constraints = names("SHOW CONSTRAINTS YIELD name RETURN name");
        Set<String> indexes = names("SHOW INDEXES YIELD name RETURN name");
        // Neo4j allows one token lookup index per entity type, under any name: a database it created has its own
        Set<String> lookups = names("SHOW INDEXES YIELD type, entityType WHERE type = 'LOOKUP' RETURN entityType AS"
                + " name");
        assertEquals(Set.of("NODE", "RELATIONSHIP"), lookups, "both token lookup indexes");
        int items = 0;
        for (SchemaMigrations.Migration m : SchemaMigrations.bundled()) {
            for (String statement : m.statements()) {
                Matcher named = NAMED.matcher(statement);
                assertTrue(named.find(), "every migration statement names its item: " + statement);
                if ("LOOKUP ".equals(named.group(1))) {
                    items++;
                    continue;
                }
                Set<String> kind = named.group(2).equals("CONSTRAINT") ? constraints : indexes;
                assertTrue(kind.contains(named.group(3)), m.file() + ": " + named.group(3) + " is in the database");
                items++;
            }
        }
        assertTrue(items >= 20, "the migrations create the atlas's schema, found " + items + " items");
        List<Map<String, Object>> history = db.cypher().read("MATCH (m:__AtlasMigration) RETURN m.version AS"
                + " version, m.checksum AS checksum, m.file AS file ORDER BY version", Map.of());
        assertEquals(SchemaMigrations.bundled().stream().map(m -> Map.<String, Object>of("version", m.version(),
                "checksum", m.checksum(), "file", m.file())).toList(), history);
    }

    @Test
    void anUpToDateDatabaseIsOneReadInProcessAndOverBolt() {
        for (CypherExecutor cypher : List.of(db.cypher(), db.boltCypher())) {
            Counting counting = new Counting(cypher);
            SchemaMigrations.Outcome outcome = SchemaMigrations.apply(counting);
            assertEquals(List.of(), outcome.applied(), cypher.describe());
            assertTrue(onlyTheHistoryRead(counting.statements), cypher.describe() + ": " + counting.statements);
        }
    }

    @Test
    void aDatabaseMigratedByNeo4jMigrationsIsRecordedAddingOnlyTheHistoryConstraint() {
        Set<String> before = schema();
        List<Map<String, Object>> history = db.cypher().read("MATCH (m:__AtlasMigration) RETURN m.version AS version,"
                + " m.checksum AS checksum ORDER BY version", Map.of());
        // what an earlier atlas left: every item of the migrations, Neo4j-Migrations' history, none of ours
        db.cypher().write("MATCH (m:__AtlasMigration) DELETE m", Map.of());
        db.cypher().write("DROP CONSTRAINT atlas_migration_version", Map.of());
        db.cypher().write("UNWIND ['0001', '0002', '0010', '0011'] AS v CREATE (:__Neo4jMigration {version: v})",
                Map.of());
        Set<String> earlier = schema();
        try {
            SchemaMigrations.Outcome outcome = SchemaMigrations.apply(db.boltCypher());
            assertEquals(SchemaMigrations.bundled().stream().map(SchemaMigrations.Migration::version).toList(),
                    outcome.applied());
            Set<String> added = new TreeSet<>(schema());
            added.removeAll(earlier);
            assertTrue(!added.isEmpty() && added.stream().allMatch(item -> item.contains("atlas_migration_version")),
                    "the only new schema item is the history's constraint (and its index): " + added);
            assertEquals(before, schema());
            assertEquals(history, db.cypher().read("MATCH (m:__AtlasMigration) RETURN m.version AS version,"
                    + " m.checksum AS checksum ORDER BY version", Map.of()));
            assertEquals(4L, db.cypher().read("MATCH (m:__Neo4jMigration) RETURN count(m) AS n", Map.of()).get(0)
                    .get("n"), "the earlier history stays");
        } finally {
            db.cypher().write("MATCH (m:__Neo4jMigration) DELETE m", Map.of());
        }
    }

    /**
     * An atlas written before V0012 by the offline importer has no token lookup indexes: the server's checker names
     * both, and the migration creates them (and, on a database that has Neo4j's own, leaves those as they are).
     */
    @Test
    void anAtlasWithoutTokenLookupIndexesIsNamedByTheCheckAndRepairedByItsMigration() {
        assertEquals(List.of(), SchemaIndexes.missing(db.cypher()));
        assertEquals(null, SchemaIndexes.warning(db.cypher()));
        for (String name : names("SHOW INDEXES YIELD name, type WHERE type = 'LOOKUP' RETURN name")) {
            db.cypher().write("DROP INDEX " + name, Map.of());
        }
        db.cypher().write("MATCH (m:__AtlasMigration {version: '0012'}) DELETE m", Map.of());
        List<String> missing = SchemaIndexes.missing(db.boltCypher());
        assertEquals(2, missing.size(), missing.toString());
        assertTrue(missing.get(0).contains("node token lookup index") && missing.get(0).contains("V0012")
                && missing.get(1).contains("relationship token lookup index"), missing.toString());
        String warning = SchemaIndexes.warning(db.cypher());
        assertTrue(warning.contains("lacks indexes the server relies on") && warning.contains("node token lookup"),
                warning);

        assertEquals(List.of("0012"), SchemaMigrations.apply(db.cypher()).applied());
        db.cypher().write("CALL db.awaitIndexes(60)", Map.of());
        assertEquals(Set.of("node_label_lookup", "relationship_type_lookup"),
                names("SHOW INDEXES YIELD name, type WHERE type = 'LOOKUP' RETURN name"));
        assertEquals(List.of(), SchemaIndexes.missing(db.cypher()));
    }

    @Test
    void aDatabaseOfANewerAtlasIsRefusedNamingTheVersionAndNothingIsWritten() {
        db.cypher().write("CREATE (:__AtlasMigration {version: '9999', file: 'V9999__From_the_future.cypher',"
                + " checksum: 'abc'})", Map.of());
        try {
            SchemaMigrations.Migration extra = SchemaMigrations.parse("V9000__Probe_index.cypher",
                    "CREATE INDEX probe_future IF NOT EXISTS FOR (n:Probe) ON (n.future);");
            List<SchemaMigrations.Migration> withExtra = new ArrayList<>(SchemaMigrations.bundled());
            withExtra.add(extra);
            Counting counting = new Counting(db.cypher());
            AtlasException e = assertThrows(AtlasException.class, () -> SchemaMigrations.apply(counting, withExtra));
            assertTrue(e.getMessage().contains("9999") && e.getMessage().contains("V9999__From_the_future.cypher")
                    && e.getMessage().contains("newer atlas"), e.getMessage());
            assertTrue(onlyTheHistoryRead(counting.statements), counting.statements.toString());
            assertFalse(names("SHOW INDEXES YIELD name RETURN name").contains("probe_future"));
        } finally {
            db.cypher().write("MATCH (m:__AtlasMigration {version: '9999'}) DELETE m", Map.of());
        }
    }

    @Test
    void aReleasedMigrationWhoseStatementsChangedIsRefusedNamingTheFile() {
        List<SchemaMigrations.Migration> changed = new ArrayList<>(SchemaMigrations.bundled());
        SchemaMigrations.Migration first = changed.get(0);
        changed.set(0, SchemaMigrations.parse(first.file(), String.join(";\n", first.statements())
                + ";\nCREATE INDEX probe_changed IF NOT EXISTS FOR (n:Probe) ON (n.changed);"));
        Counting counting = new Counting(db.cypher());
        AtlasException e = assertThrows(AtlasException.class, () -> SchemaMigrations.apply(counting, changed));
        assertTrue(e.getMessage().contains(first.file()) && e.getMessage().contains("must not change"),
                e.getMessage());
        assertTrue(onlyTheHistoryRead(counting.statements), counting.statements.toString());
        assertFalse(names("SHOW INDEXES YIELD name RETURN name").contains("probe_changed"));
    }

    @Test
    void versionsCompareAsNumbers() {
        db.cypher().write("MATCH (m:__AtlasMigration) SET m.version = toString(toInteger(m.version))", Map.of());
        try {
            Counting counting = new Counting(db.cypher());
            assertEquals(List.of(), SchemaMigrations.apply(counting).applied(), "V0010 recorded as 10 is applied");
            assertTrue(onlyTheHistoryRead(counting.statements), counting.statements.toString());
        } finally {
            for (SchemaMigrations.Migration m : SchemaMigrations.bundled()) {
                db.cypher().write("MATCH (m:__AtlasMigration {version: $short}) SET m.version = $version",
                        Map.of("short", String.valueOf(Integer.parseInt(m.version())), "version", m.version()));
            }
        }
    }

    @Test
    void aNewMigrationIsAppliedAloneAndRecorded() {
        SchemaMigrations.Migration extra = SchemaMigrations.parse("V0099__Probe_index.cypher",
                "// a later release adds an index\nCREATE INDEX probe_new IF NOT EXISTS FOR (n:Probe) ON (n.x);\n");
        List<SchemaMigrations.Migration> withExtra = new ArrayList<>(SchemaMigrations.bundled());
        withExtra.add(extra);
        try {
            SchemaMigrations.Outcome outcome = SchemaMigrations.apply(db.boltCypher(), withExtra);
            assertEquals(List.of("0099"), outcome.applied());
            assertEquals(1, outcome.statements());
            assertTrue(names("SHOW INDEXES YIELD name RETURN name").contains("probe_new"));
            assertEquals(List.of(Map.of("description", "Probe index", "checksum", extra.checksum())),
                    db.cypher().read("MATCH (m:__AtlasMigration {version: '0099'}) RETURN m.description AS"
                            + " description, m.checksum AS checksum", Map.of()));
            assertEquals(List.of(), SchemaMigrations.apply(db.cypher(), withExtra).applied());
        } finally {
            db.cypher().write("DROP INDEX probe_new IF EXISTS", Map.of());
            db.cypher().write("MATCH (m:__AtlasMigration {version: '0099'}) DELETE m", Map.of());
        }
    }

    @Test
    void twoConnectionsMigratingANewDatabaseAtOnceBothSucceedAndRecordEachMigrationOnce() throws Exception {
        Set<String> before = schema();
        for (int round = 0; round < 3; round++) {
            // back to a database without the atlas's schema: every item of the migrations and the history dropped
            for (Map<String, Object> row : db.cypher().read("SHOW CONSTRAINTS YIELD name RETURN name", Map.of())) {
                db.cypher().write("DROP CONSTRAINT `" + row.get("name") + "`", Map.of());
            }
            for (Map<String, Object> row : db.cypher().read("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'"
                    + " RETURN name", Map.of())) {
                db.cypher().write("DROP INDEX `" + row.get("name") + "`", Map.of());
            }
            db.cypher().write("MATCH (m:__AtlasMigration) DELETE m", Map.of());
            assertEquals(Set.of(), names("SHOW CONSTRAINTS YIELD name RETURN name"));

            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<SchemaMigrations.Outcome>> both = new ArrayList<>();
                for (CypherExecutor cypher : List.of(db.cypher(), db.boltCypher())) {
                    both.add(pool.submit(() -> {
                        go.await();
                        return SchemaMigrations.apply(cypher);
                    }));
                }
                go.countDown();
                for (var outcome : both) {
                    outcome.get(120, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(before, schema(), "round " + round + ": every constraint and index is back, once");
            assertEquals(SchemaMigrations.bundled().stream().map(m -> Map.<String, Object>of("version", m.version(),
                    "n", 1L)).toList(), db.cypher().read("MATCH (m:__AtlasMigration) RETURN m.version AS version,"
                    + " count(*) AS n ORDER BY version", Map.of()),
                    "round " + round + ": each migration recorded once");
        }
    }

    private Set<String> names(String show) {
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> row : db.cypher().read(show, Map.of())) {
            names.add(String.valueOf(row.get("name")));
        }
        return names;
    }

    private Set<String> schema() {
        Set<String> items = new TreeSet<>();
        for (Map<String, Object> row : db.cypher().read("SHOW INDEXES YIELD name, type, entityType, labelsOrTypes,"
                + " properties RETURN name, type, entityType, labelsOrTypes, properties", Map.of())) {
            items.add(row.toString());
        }
        items.addAll(names("SHOW CONSTRAINTS YIELD name RETURN name"));
        return items;
    }

    /** True when {@code statements} is only the read of the history (nothing created, nothing recorded). */
    private static boolean onlyTheHistoryRead(List<String> statements) {
        return statements.size() == 1 && statements.get(0).startsWith("MATCH (m:__AtlasMigration) RETURN");
    }

    /** Records the statements that reach the database. */
    private static final class Counting implements CypherExecutor {
        final CypherExecutor inner;
        final List<String> statements = java.util.Collections.synchronizedList(new ArrayList<>());

        Counting(CypherExecutor inner) {
            this.inner = inner;
        }

        @Override
        public List<Map<String, Object>> read(String cypher, Map<String, Object> params) {
            statements.add(cypher);
            return inner.read(cypher, params);
        }

        @Override
        public List<Map<String, Object>> write(String cypher, Map<String, Object> params) {
            statements.add(cypher);
            return inner.write(cypher, params);
        }

        @Override
        public List<Map<String, Object>> auto(String cypher, Map<String, Object> params) {
            statements.add(cypher);
            return inner.auto(cypher, params);
        }

        @Override
        public CypherExecutor withTimeout(Duration timeout) {
            return this;
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }
}
