package org.saeatlas.ingest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.compute.sae.ErrorStatistics;
import org.saeatlas.compute.sae.SaeWeights;
import org.saeatlas.ingest.formats.ActivatingExample;
import org.saeatlas.ingest.formats.ActivatingExampleFiles;
import org.saeatlas.ingest.formats.ActivationFiles;
import org.saeatlas.ingest.formats.Explanation;
import org.saeatlas.ingest.formats.ExplanationFiles;
import org.saeatlas.ingest.formats.LogitTables;
import org.saeatlas.ingest.formats.TokenExamples;
import org.saeatlas.ingest.formats.TokenizerVocab;
import org.saeatlas.ingest.store.Rows;

/**
 * The parts of an {@link SaeInput} read from an SAE's input files, the same whichever way the SAE is given
 * ({@code build --sae ...}, {@code add-sae}, an atlas file's SAE): its explanations and activating examples as rows,
 * examples made from token ids and a vocabulary, and the SAE's row with what its weights and encoding say.
 */
public final class SaeInputs {

    private SaeInputs() {
    }

    /**
     * Explanations, activating examples (ranked per feature in file order) and logit tables read from files, as
     * rows.
     */
    public record Annotations(List<Rows.ExplanationRow> explanations, List<Rows.ExampleRow> examples,
                              List<Rows.LogitRow> logits) { }

    /**
     * Reads {@code explanations} and {@code examples} files (and the logit tables SAEDashboard batches carry);
     * {@code vocab} (may be null) spells examples stored as token ids.
     */
    public static Annotations annotations(List<Path> explanations, List<Path> examples, Path vocab) {
        TokenizerVocab spelling = vocab == null ? null : TokenizerVocab.read(vocab);
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
            for (LogitTables.Table t : LogitTables.read(p)) {
                logits.add(new Rows.LogitRow(t.feature(), t.positiveTokens(), t.positiveValues(), t.negativeTokens(),
                        t.negativeValues()));
            }
        }
        return new Annotations(expl, ex, logits);
    }

    /**
     * Makes each feature's top activating windows from token ids ({@code source} carries them; {@code tokensFile}
     * names where they came from) spelled with {@code vocab}, and appends them to {@code examples}, ranked after the
     * feature's examples already there. Returns how many were made.
     */
    public static int addTokenExamples(List<Rows.ExampleRow> examples, Path tokensFile,
                                       ActivationFiles.Source source, Path vocab, int perFeature, int before,
                                       int after) {
        Map<Integer, Integer> rank = new HashMap<>();
        examples.forEach(e -> rank.merge(e.index(), 1, Integer::sum));
        List<ActivatingExample> made = TokenExamples.of(tokensFile, source, TokenizerVocab.read(vocab), perFeature,
                before, after);
        for (ActivatingExample a : made) {
            examples.add(new Rows.ExampleRow(a.feature(), rank.merge(a.feature(), 1, Integer::sum) - 1, a.tokens(),
                    a.values()));
        }
        return made.size();
    }

    /**
     * The SAE's row: what is given, else what its weights say (hook point, architecture, d_in), and the error
     * statistics of encoding its residuals ({@code errors} null: not encoded, absent; non-finite values absent).
     */
    public static Rows.SaeRow saeRow(String id, String model, String release, Integer layer, String hookPoint,
                                     int width, Integer seed, String architecture, SaeWeights weights,
                                     ErrorStatistics errors) {
        return new Rows.SaeRow(id, model, release, layer,
                hookPoint != null ? hookPoint : weights != null ? weights.hookName() : null, width, seed,
                architecture != null ? architecture
                        : weights != null ? weights.architecture().name().toLowerCase(Locale.ROOT) : null,
                weights != null ? weights.dIn() : null, errors == null ? null : finite(errors.meanL0()),
                errors == null ? null : finite(errors.fvu()), errors == null ? null : finite(errors.meanErrorNorm()));
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
