package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.errors.AtlasException;

/** Logit tables from SAEDashboard batches written by the real tool (fixtures/saedashboard, see SOURCES.md). */
class LogitTablesTest {

    @Test
    void readsEachFeaturesPromotedAndSuppressedTokensAsWritten() {
        List<LogitTables.Table> tables = LogitTables.read(Fixtures.path("saedashboard/batch-0.json"));
        assertEquals(List.of(0, 1), tables.stream().map(LogitTables.Table::feature).toList());
        LogitTables.Table first = tables.get(0);
        assertEquals(10, first.positiveTokens().size());
        assertEquals(" Brigade", first.positiveTokens().get(0));
        assertEquals(" brigade", first.positiveTokens().get(1));
        assertArrayEquals(new double[] {3.753, 3.063}, java.util.Arrays.copyOf(first.positiveValues(), 2));
        assertEquals("sequence", first.negativeTokens().get(0));
        assertEquals(-0.707, first.negativeValues()[0]);
        LogitTables.Table second = tables.get(1);
        assertEquals("existent", second.positiveTokens().get(0));
        assertEquals(0.841, second.positiveValues()[0]);
        assertEquals(" bye", second.negativeTokens().get(9));
        assertEquals(-0.621, second.negativeValues()[9]);
    }

    @Test
    void aFolderOfBatchesGivesEveryFeature() throws Exception {
        List<LogitTables.Table> tables = LogitTables.read(Fixtures.path("saedashboard/batch-0.json").getParent());
        assertEquals(List.of(0, 1, 2, 3), tables.stream().map(LogitTables.Table::feature).sorted().toList());
    }

    @Test
    void inputsWithoutLogitTablesGiveNone(@TempDir Path dir) throws Exception {
        Path jsonl = Files.writeString(dir.resolve("batch-0.jsonl"), "{\"index\": 0, \"tokens\": [\"a\"], \"values\": [1.0]}\n");
        assertEquals(List.of(), LogitTables.read(jsonl));
        Path noLogits = Files.writeString(dir.resolve("batch-7.json"), "{\"features\": [{\"feature_index\": 3, \"activations\": []}]}");
        assertEquals(List.of(), LogitTables.read(noLogits));
    }

    @Test
    void mismatchedOrNonNumericValuesAreRefusedNamingFileFeatureAndKey(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("batch-0.json"), """
                {"features": [{"feature_index": 5, "pos_str": ["a", "b"], "pos_values": [1.0],
                  "neg_str": [], "neg_values": []}]}""");
        AtlasException e = assertThrows(AtlasException.class, () -> LogitTables.read(bad));
        assertTrue(e.getMessage().contains("batch-0.json features[0]") && e.getMessage().contains("pos_values")
                && e.getMessage().contains("expected 2 values"), e.getMessage());
        Path text = Files.writeString(dir.resolve("batch-1.json"), """
                {"features": [{"feature_index": 5, "pos_str": ["a"], "pos_values": ["high"],
                  "neg_str": [], "neg_values": []}]}""");
        AtlasException t = assertThrows(AtlasException.class, () -> LogitTables.read(text));
        assertTrue(t.getMessage().contains("pos_values[0]") && t.getMessage().contains("a finite number"), t.getMessage());
    }
}
