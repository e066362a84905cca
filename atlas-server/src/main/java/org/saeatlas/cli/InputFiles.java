package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.ingest.formats.ActivatingExample;
import org.saeatlas.ingest.formats.ActivatingExampleFiles;
import org.saeatlas.ingest.formats.Explanation;
import org.saeatlas.ingest.formats.ExplanationFiles;
import org.saeatlas.ingest.store.Rows;

/** Explanations and examples from the files `build` and `add-sae` take, as rows. */
final class InputFiles {

    record Annotations(List<Rows.ExplanationRow> explanations, List<Rows.ExampleRow> examples,
                       List<Rows.LogitRow> logits) { }

    private InputFiles() {
    }

    static Annotations annotations(List<Path> explanations, List<Path> examples, Path vocab) {
        org.saeatlas.ingest.formats.TokenizerVocab spelling = vocab == null ? null
                : org.saeatlas.ingest.formats.TokenizerVocab.read(vocab);
        List<Rows.ExplanationRow> expl = new ArrayList<>();
        for (Path p : explanations) {
            for (Explanation e : ExplanationFiles.read(p)) {
                expl.add(new Rows.ExplanationRow(e.feature(), e.text(), e.source(), e.score(), e.embedding()));
            }
        }
        List<Rows.ExampleRow> ex = new ArrayList<>();
        Map<Integer, Integer> rank = new HashMap<>();
        for (Path p : examples) {
            for (ActivatingExample a : ActivatingExampleFiles.read(p, spelling)) {
                ex.add(new Rows.ExampleRow(a.feature(), rank.merge(a.feature(), 1, Integer::sum) - 1, a.tokens(),
                        a.values()));
            }
        }
        // logit tables ride along in SAEDashboard batches (the same files as the examples)
        List<Rows.LogitRow> logits = new ArrayList<>();
        for (Path p : examples) {
            for (org.saeatlas.ingest.formats.LogitTables.Table t : org.saeatlas.ingest.formats.LogitTables.read(p)) {
                logits.add(new Rows.LogitRow(t.feature(), t.positiveTokens(), t.positiveValues(), t.negativeTokens(),
                        t.negativeValues()));
            }
        }
        return new Annotations(expl, ex, logits);
    }
}
