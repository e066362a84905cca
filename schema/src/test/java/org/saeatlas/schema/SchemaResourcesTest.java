package org.saeatlas.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The migrations and the vocabulary: what ingest and server rely on being consistent. */
class SchemaResourcesTest {

    static final Path MIGRATIONS = Path.of("src/main/resources/neo4j/migrations");
    static final Pattern NAME = Pattern.compile("V(\\d{4})__[A-Za-z0-9_]+\\.cypher");

    @Test
    void migrationsAreVersionedUniquelyAndIdempotent() throws IOException {
        List<Integer> versions = new ArrayList<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path f : files.sorted().toList()) {
                Matcher m = NAME.matcher(f.getFileName().toString());
                assertTrue(m.matches(), "migration file name " + f.getFileName() + " must look like V0001__What_it_does.cypher");
                versions.add(Integer.parseInt(m.group(1)));
                String text = Files.readString(f).replaceAll("(?m)^\\s*//.*$", "");
                for (String statement : text.split(";")) {
                    if (statement.isBlank()) {
                        continue;
                    }
                    String s = statement.strip().toUpperCase(java.util.Locale.ROOT);
                    if (s.startsWith("CREATE")) {
                        // re-applying a migration on a database that has the item must be harmless
                        assertTrue(s.contains("IF NOT EXISTS"), f.getFileName() + ": " + statement.strip());
                    }
                }
            }
        }
        assertFalse(versions.isEmpty());
        assertEquals(versions.stream().distinct().count(), versions.size(), "duplicate migration versions " + versions);
    }

    @Test
    void theListedMigrationsAreExactlyTheFilesOnTheClasspath() throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            assertEquals(files.map(f -> f.getFileName().toString()).sorted().toList(), Vocabulary.MIGRATIONS,
                    "Vocabulary.MIGRATIONS must list every migration file, in order");
        }
        String folder = Vocabulary.MIGRATIONS_LOCATION.substring("classpath:".length());
        for (String name : Vocabulary.MIGRATIONS) {
            assertTrue(getClass().getClassLoader().getResource(folder + "/" + name) != null, name);
        }
    }

    @Test
    void theFullTextIndexTheServerQueriesIsCreatedByAMigration() throws IOException {
        boolean found = false;
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path f : files.toList()) {
                found |= Files.readString(f).contains("FULLTEXT INDEX " + Vocabulary.FULLTEXT_EXPLANATIONS);
            }
        }
        assertTrue(found, "a migration creates " + Vocabulary.FULLTEXT_EXPLANATIONS);
    }

    @Test
    void edgeKindsAndRelationshipTypesMapBothWays() {
        for (String kind : List.of("COACTIVATION", "DEPENDENCE", "COSINE", "MATCH")) {
            assertEquals(kind, Vocabulary.edgeKindOf(Vocabulary.relationshipOf(kind)));
        }
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.relationshipOf("FRIENDS"));
        assertEquals("sae-x/12", Vocabulary.featureId("sae-x", 12));
    }

    @Test
    void theGraphQlSchemaIsOnTheClasspath() throws IOException {
        try (var in = getClass().getClassLoader().getResourceAsStream(Vocabulary.GRAPHQL_SCHEMA)) {
            assertTrue(in != null, Vocabulary.GRAPHQL_SCHEMA);
            String sdl = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(sdl.contains("type Query"));
        }
    }
}
