package org.saeatlas.ingest.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.schema.Vocabulary;

/** Reading migration files: versions, statements, checksums, refusals. */
class SchemaMigrationsTest {

    static final String FILE = """
            // the first line is a comment; so is this one
            CREATE CONSTRAINT a_id IF NOT EXISTS FOR (n:A) REQUIRE n.id IS UNIQUE;
              // an indented comment
            CREATE INDEX b_x IF NOT EXISTS
              FOR (n:B) ON (n.x);
            """;

    @Test
    void aFileGivesItsVersionDescriptionAndStatementsWithoutComments() {
        SchemaMigrations.Migration m = SchemaMigrations.parse("V0003__Two_items.cypher", FILE);
        assertEquals("0003", m.version());
        assertEquals("Two items", m.description());
        assertEquals("V0003__Two_items.cypher", m.file());
        assertEquals(List.of("CREATE CONSTRAINT a_id IF NOT EXISTS FOR (n:A) REQUIRE n.id IS UNIQUE",
                "CREATE INDEX b_x IF NOT EXISTS FOR (n:B) ON (n.x)"), m.statements());
        assertEquals(64, m.checksum().length(), "a SHA-256 in hex");
    }

    @Test
    void theChecksumFollowsTheStatementsNotTheCommentsOrLayout() {
        String checksum = SchemaMigrations.parse("V0003__Two_items.cypher", FILE).checksum();
        String relaidOut = "// another comment\n" + FILE.replace("\n  FOR", " FOR").replace("// an indented comment",
                "// changed");
        assertEquals(checksum, SchemaMigrations.parse("V0003__Two_items.cypher", relaidOut).checksum());
        String changed = FILE.replace("(n.x)", "(n.y)");
        assertNotEquals(checksum, SchemaMigrations.parse("V0003__Two_items.cypher", changed).checksum());
    }

    @Test
    void commentsAnywhereStringsWithSemicolonsCrlfAByteOrderMarkAndAFinalStatementWithoutSemicolon() {
        String text = "\uFEFF// header\r\n"
                + "CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x); // why a\r\n"
                + "CREATE FULLTEXT INDEX b IF NOT EXISTS FOR (n:B) ON EACH [n.text]\r\n"
                + "  // the analyzer Neo4j ships\r\n"
                + "  OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard;\n // not a comment'}};\r\n"
                + "/* a block\r\n comment; */ CREATE INDEX c IF NOT EXISTS FOR (n:C) ON (n.y)";
        assertEquals(List.of("CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)",
                "CREATE FULLTEXT INDEX b IF NOT EXISTS FOR (n:B) ON EACH [n.text] OPTIONS {indexConfig:"
                        + " {`fulltext.analyzer`: 'standard;\n // not a comment'}}",
                "CREATE INDEX c IF NOT EXISTS FOR (n:C) ON (n.y)"),
                SchemaMigrations.parse("V0005__Edge_cases.cypher", text).statements());
        String escaped = "CREATE INDEX d IF NOT EXISTS FOR (n:`We;ird`) ON (n.`x``y`);"
                + " CREATE INDEX e IF NOT EXISTS FOR (n:E) ON (n.z) OPTIONS {note: 'it\\'s; fine'};";
        assertEquals(List.of("CREATE INDEX d IF NOT EXISTS FOR (n:`We;ird`) ON (n.`x``y`)",
                "CREATE INDEX e IF NOT EXISTS FOR (n:E) ON (n.z) OPTIONS {note: 'it\\'s; fine'}"),
                SchemaMigrations.parse("V0006__Escapes.cypher", escaped).statements());
    }

    @Test
    void anUnclosedStringOrCommentIsRefusedNamingTheFile() {
        AtlasException string = assertThrows(AtlasException.class, () -> SchemaMigrations.parse(
                "V0007__Broken.cypher", "CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x) OPTIONS {a: 'open};"));
        assertTrue(string.getMessage().contains("V0007__Broken.cypher") && string.getMessage().contains("'"),
                string.getMessage());
        AtlasException comment = assertThrows(AtlasException.class, () -> SchemaMigrations.parse(
                "V0008__Broken.cypher", "/* never closed\nCREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x);"));
        assertTrue(comment.getMessage().contains("V0008__Broken.cypher"), comment.getMessage());
    }

    @Test
    void aBadNameOrAFileWithoutStatementsIsRefusedNamingTheFile() {
        AtlasException name = assertThrows(AtlasException.class, () -> SchemaMigrations.parse("0003_two.cypher", FILE));
        assertTrue(name.getMessage().contains("0003_two.cypher") && name.getMessage().contains("V0001__"),
                name.getMessage());
        AtlasException empty = assertThrows(AtlasException.class,
                () -> SchemaMigrations.parse("V0004__Nothing.cypher", "// only a comment\n\n"));
        assertTrue(empty.getMessage().contains("V0004__Nothing.cypher"), empty.getMessage());
    }

    @Test
    void theBundledMigrationsAreTheSchemaModulesListInOrder() {
        List<SchemaMigrations.Migration> bundled = SchemaMigrations.bundled();
        assertEquals(Vocabulary.MIGRATIONS, bundled.stream().map(SchemaMigrations.Migration::file).toList());
        for (int k = 1; k < bundled.size(); k++) {
            assertTrue(Integer.parseInt(bundled.get(k).version()) > Integer.parseInt(bundled.get(k - 1).version()),
                    "versions increase: " + bundled.get(k - 1).file() + " then " + bundled.get(k).file());
        }
        for (SchemaMigrations.Migration m : bundled) {
            for (String statement : m.statements()) {
                assertTrue(statement.startsWith("CREATE ") && statement.contains(" IF NOT EXISTS "),
                        m.file() + ": " + statement);
            }
        }
    }
}
