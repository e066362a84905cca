package org.saeatlas.ingest.atlas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.ingest.formats.LogitTables;
import org.saeatlas.ingest.store.AtlasSink;
import org.saeatlas.ingest.store.Rows;

/**
 * An atlas-file task's folder carries the SAE's logit tables (SAEDashboard pos_str/neg_str, read from a batch the real
 * tool wrote: fixtures/saedashboard/batch-1.json, features 2 and 3) and loading the folder hands them to the database
 * exactly as read; a folder written before logits were carried loads without them.
 */
class TaskFolderLogitsTest {

    /** What a load would write, kept. */
    static final class Recorder implements AtlasSink {
        final List<Rows.LogitRow> logits = new ArrayList<>();
        final List<String> logitSaes = new ArrayList<>();

        @Override public void model(Rows.ModelRow model) { }
        @Override public void sae(Rows.SaeRow sae) { }
        @Override public void features(String sae, List<Rows.FeatureRow> rows) { }
        @Override public void histogramEdges(String sae, double[] edges) { }
        @Override public void explanations(String sae, List<Rows.ExplanationRow> rows) { }
        @Override public void examples(String sae, List<Rows.ExampleRow> rows) { }

        @Override
        public void logits(String sae, List<Rows.LogitRow> rows) {
            logitSaes.add(sae);
            logits.addAll(rows);
        }

        @Override
        public boolean run(Rows.RunRow run, String relationship, List<Rows.EdgeRow> edges) {
            return true;
        }
    }

    static Path write(Path results, List<Rows.LogitRow> logits) {
        try (TaskFolder.Writer w = TaskFolder.writer(results.resolve("task"))) {
            w.model(new Rows.ModelRow("lm", "lm"));
            w.sae(new Rows.SaeRow("lm/sae", "lm", null, 0, null, 4, 0, null, 8));
            w.features("lm/sae", List.of(new Rows.FeatureRow(2, 0.1, 1.0, 2.0, null)));
            if (logits != null) {
                w.logits("lm/sae", logits);
            }
            return w.commit("t", "0123456789abcdef0123", Map.of(), 0.5);
        }
    }

    @Test
    void logitTablesGoThroughTheTaskFolderAsRead(@TempDir Path dir) throws Exception {
        List<Rows.LogitRow> rows = new ArrayList<>();
        for (LogitTables.Table t : LogitTables.read(Path.of(getClass().getResource("/fixtures/saedashboard/batch-1.json")
                .toURI()))) {
            rows.add(new Rows.LogitRow(t.feature(), t.positiveTokens(), t.positiveValues(), t.negativeTokens(),
                    t.negativeValues()));
        }
        assertEquals(List.of(2, 3), rows.stream().map(Rows.LogitRow::index).toList(), "the fixture's features");
        Path folder = write(dir, rows);
        assertTrue(Files.isRegularFile(folder.resolve(TaskFolder.LOGITS)), "the folder has its logits file");

        Recorder loaded = new Recorder();
        TaskFolder.replay(TaskFolder.manifest(folder), loaded);
        assertEquals(List.of("lm/sae"), loaded.logitSaes, "set on the task's SAE");
        assertEquals(rows.size(), loaded.logits.size());
        for (int k = 0; k < rows.size(); k++) {
            Rows.LogitRow a = rows.get(k);
            Rows.LogitRow b = loaded.logits.get(k);
            assertEquals(a.index(), b.index());
            assertEquals(a.positiveTokens(), b.positiveTokens(), "promoted tokens of " + a.index());
            assertArrayEquals(a.positiveValues(), b.positiveValues(), 0.0, "promoted values of " + a.index());
            assertEquals(a.negativeTokens(), b.negativeTokens(), "suppressed tokens of " + a.index());
            assertArrayEquals(a.negativeValues(), b.negativeValues(), 0.0, "suppressed values of " + a.index());
        }
        assertEquals(10, loaded.logits.get(0).positiveTokens().size(), "ten promoted tokens per feature, as written");
    }

    @Test
    void aFolderWrittenBeforeLogitsWereCarriedLoadsWithout(@TempDir Path dir) throws Exception {
        Path folder = write(dir, null);
        Files.delete(folder.resolve(TaskFolder.LOGITS)); // as an older build left it
        Recorder loaded = new Recorder();
        TaskFolder.replay(TaskFolder.manifest(folder), loaded);
        assertEquals(List.of(), loaded.logits);
    }
}
