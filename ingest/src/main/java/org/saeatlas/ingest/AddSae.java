package org.saeatlas.ingest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.sae.SaeWeights;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.ingest.formats.ExplanationFiles;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.formats.SaeCheckpoints;
import org.saeatlas.ingest.formats.SaeLensFolder;
import org.saeatlas.ingest.store.AtlasWriter;
import org.saeatlas.ingest.store.ExplanationImport;
import org.saeatlas.ingest.store.Rows;

/**
 * An SAE added from what is known about it, without activations ({@code ./atlas add-sae}): a SAELens cfg (weights
 * optional), a checkpoint or plain facts, with explanations, examples and decoder weights if given. Statistics that
 * need activations stay absent; decoder weights give the decoder-cosine graph.
 */
public final class AddSae {

    /**
     * The SAE: ids and facts (null: from the cfg or weights), at most one of {@code saelens} and {@code saeWeights},
     * annotation files and the vocabulary that spells examples stored as token ids.
     */
    public record Request(String model, String sae, Integer layer, String hook, Integer width, Integer dIn,
            String release, String architecture, Integer seed, Path saelens, Path saeWeights, List<Path> explanations,
            List<Path> examples, Path vocab) {
    }

    /** What was added: features, explanations (read and streamed), examples, whether decoder weights came. */
    public record Result(String sae, int features, long explanations, int examples, boolean decoder) {
    }

    private final Neo4jTarget target;
    private final Path data;
    private final PrintStream out;

    /** Adds to the database of {@code target}; {@code data} holds the run folders ({@code data/runs}). */
    public AddSae(Neo4jTarget target, Path data, PrintStream out) {
        this.target = target;
        this.data = data;
        this.out = out;
    }

    /** Adds the SAE; {@code engines} gives the compute engine for decoder cosine (its argument: threads). */
    public Result add(Request r, IntFunction<ComputeEngine> engines) {
        Path saelens = r.saelens();
        SaeLensFolder.Config cfg = saelens == null ? null : SaeLensFolder.readConfig(saelens);
        if (saelens != null && r.saeWeights() != null) {
            throw new AtlasException("add-sae: give one of --saelens and --sae-weights");
        }
        SaeCheckpoints.Checkpoint checkpoint = r.saeWeights() == null ? null
                : SaeCheckpoints.read(r.saeWeights(), null);
        SaeWeights weights = saelens != null && SaeLensFolder.hasWeights(saelens) ? SaeLensFolder.read(saelens)
                : checkpoint != null ? Checkpoints.describe(checkpoint, out) : null;
        if (saelens != null && weights == null) {
            out.println("note: " + saelens + " has no " + SaeLensFolder.WEIGHTS + ": no decoder cosine");
        }
        String modelId = pick("--model", r.model(), cfg == null ? null : cfg.modelName());
        if (modelId == null || modelId.isBlank()) {
            throw new AtlasException("--model: required when no cfg names the model");
        }
        Integer d = pickInt("--width", r.width(), cfg == null ? null : cfg.dSae(),
                weights == null ? null : weights.dSae());
        if (d == null || d <= 0) {
            throw new AtlasException("--width: required (a positive feature count) when no cfg or weights give it");
        }
        Integer in = pickInt("--d-in", r.dIn(), cfg == null ? null : cfg.dIn(), weights == null ? null : weights.dIn());
        String hookName = pick("--hook", r.hook(), cfg == null ? null : cfg.hookName());
        String arch = r.architecture() != null ? r.architecture() : checkpoint != null ? checkpoint.architecture()
                : weights != null ? weights.architecture().name().toLowerCase(Locale.ROOT) : cfg != null
                ? cfg.architecture().name().toLowerCase(Locale.ROOT) : null;
        Rows.SaeRow row = new Rows.SaeRow(r.sae(), modelId, r.release(), r.layer(), hookName, d, r.seed(), arch, in);
        // Neuronpedia exports and JSONL stream in after the SAE (bounded memory); other files are read whole
        List<Path> streamed = r.explanations().stream().filter(ExplanationFiles::streams).toList();
        List<Path> whole = r.explanations().stream().filter(p -> !streamed.contains(p)).toList();
        SaeInputs.Annotations notes = SaeInputs.annotations(whole, r.examples(), r.vocab());
        float[] decoder = weights == null ? null : weights.wDec();
        String inputSha = decoder == null ? Checksums.of("no activations", r.sae())
                : Checksums.ofFloats("decoder " + weights.dSae() + "x" + weights.dIn(), decoder);
        SaeInput input = new SaeInput(row, null, decoder, notes.explanations(), notes.examples(), inputSha,
                notes.logits());
        double[] training = saelens == null ? null : SaeLensFolder.trainingFiringRates(saelens, d);
        long streamedCount = 0;
        try (ComputeEngine engine = decoder != null ? engines.apply(Runtime.getRuntime().availableProcessors())
                : ComputeEngine.java(1);
             AtlasDatabase db = AtlasDatabase.open(target)) {
            AtlasWriter writer = new AtlasWriter(db.cypher(), new ProgressPrinter(out));
            writer.model(new Rows.ModelRow(modelId, modelId));
            new SaeLoader(db, out, data.resolve("runs"), engine.cosine()).load(input, null, null, Map.of());
            if (!streamed.isEmpty()) {
                ExplanationImport.Result x = ExplanationImport.stream(writer, r.sae(), d, streamed,
                        whole.isEmpty() ? null : "stream", new ProgressPrinter(out));
                streamedCount = x.explanations();
                out.printf(Locale.ROOT, "streamed %,d explanations (%,d bytes) in %.1f s: %,.0f explanations/s%n",
                        x.explanations(), x.bytes(), x.seconds(), x.rowsPerSecond());
            }
            if (training != null) {
                writer.trainingFiringRates(r.sae(), training, saelens.resolve(SaeLensFolder.SPARSITY).getFileName()
                        + " (SAELens): log10 firing fraction over the last feature-sampling window of training tokens");
                out.printf(Locale.ROOT, "training firing rates of %,d features from %s%n", training.length,
                        saelens.resolve(SaeLensFolder.SPARSITY));
            }
        }
        return new Result(r.sae(), d, notes.explanations().size() + streamedCount, notes.examples().size(),
                decoder != null);
    }

    private String pick(String option, String given, String known) {
        if (given != null && known != null && !given.equals(known)) {
            out.println("note: " + option + " " + given + " overrides the cfg's " + known);
        }
        return given != null ? given : known;
    }

    private static Integer pickInt(String option, Integer given, Integer... known) {
        for (Integer k : known) {
            if (k != null && given != null && !k.equals(given)) {
                throw new AtlasException(option + ": " + given + " contradicts the cfg/weights, which say " + k);
            }
        }
        if (given != null) {
            return given;
        }
        for (Integer k : known) {
            if (k != null) {
                return k;
            }
        }
        return null;
    }
}
