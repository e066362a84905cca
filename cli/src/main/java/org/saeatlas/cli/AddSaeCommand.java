package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.sae.SaeWeights;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.SaeInput;
import org.saeatlas.ingest.SaeInputs;
import org.saeatlas.ingest.SaeLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.formats.SaeLensFolder;
import org.saeatlas.ingest.store.AtlasWriter;
import org.saeatlas.ingest.store.Rows;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "add-sae", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add an SAE from what is known about it, without activations: a SAELens cfg.json (weights"
            + " optional), a checkpoint, or flags; with explanations, examples and decoder weights if you have them."
            + " Statistics that need activations (firing rate, mean and max activation, histogram) stay absent, not"
            + " zero; decoder weights give the decoder-cosine graph. A later `./atlas build` of the same --sae with"
            + " activations fills the statistics in.",
            "Example: ./atlas add-sae --model gpt2-small --sae 8-res-jb --layer 8 --hook blocks.8.hook_resid_pre"
                + " --width 24576 --d-in 768 --explanations gpt2-small-8-res-jb.jsonl.gz",
            "Example: ./atlas add-sae --sae mamba-l12 --layer 12 --saelens path/to/saelens-run/"})
class AddSaeCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "ID", description = "Model id (default: the cfg's model name).")
    String model;

    @Option(names = "--sae", required = true, paramLabel = "ID", description = "SAE id, unique in the atlas.")
    String sae;

    @Option(names = "--layer", paramLabel = "L", description = "Layer of the SAE.")
    Integer layer;

    @Option(names = "--hook", paramLabel = "NAME", description = "Hook point (default: the cfg's hook name).")
    String hook;

    @Option(names = "--width", paramLabel = "D_SAE", description = "Number of features (default: from the cfg or"
            + " weights).")
    Integer width;

    @Option(names = "--d-in", paramLabel = "D_IN", description = "Input dimension (default: from the cfg or weights).")
    Integer dIn;

    @Option(names = "--release", paramLabel = "NAME", description = "SAE release (e.g. gpt2-small-res-jb).")
    String release;

    @Option(names = "--architecture", paramLabel = "NAME", description = "standard, jumprelu, topk, ... (default:"
            + " from the cfg or weights).")
    String architecture;

    @Option(names = "--sae-seed", paramLabel = "S", description = "Training seed of the SAE, if known.")
    Integer seed;

    @Option(names = "--saelens", paramLabel = "DIR", description = "SAELens folder: cfg.json, with"
            + " sae_weights.safetensors if you have it (decoder cosine) and sparsity.safetensors if you have it (the"
            + " firing rates measured during training, kept apart from activation statistics).")
    Path saelens;

    @Option(names = "--sae-weights", paramLabel = "PATH", description = "SAE weights as saved, format detected: a"
            + " SAELens or sparsify folder, a .safetensors file or a PyTorch .pt/.pth state dict (decoder cosine).")
    Path saeWeights;

    @Option(names = "--explanations", paramLabel = "PATH", arity = "1..*", description = "Explanations (as `build`).")
    List<Path> explanations = new ArrayList<>();

    @Option(names = "--examples", paramLabel = "PATH", arity = "1..*", description = "Activating examples (as `build`).")
    List<Path> examples = new ArrayList<>();

    @Option(names = "--vocab", paramLabel = "FILE", description = "tokenizer.json or a JSON vocabulary list/map, to"
            + " spell examples stored as token ids (sae_vis).")
    Path vocab;

    @Mixin
    DatabaseOptions database;

    @Mixin
    DeviceOptions device;

    private long streamedCount;

    @Override
    public Integer call() {
        SaeLensFolder.Config cfg = saelens == null ? null : SaeLensFolder.readConfig(saelens);
        if (saelens != null && saeWeights != null) {
            throw new AtlasException("add-sae: give one of --saelens and --sae-weights");
        }
        org.saeatlas.ingest.formats.SaeCheckpoints.Checkpoint checkpoint = saeWeights == null ? null
                : org.saeatlas.ingest.formats.SaeCheckpoints.read(saeWeights, null);
        SaeWeights weights = saelens != null && SaeLensFolder.hasWeights(saelens) ? SaeLensFolder.read(saelens)
                : checkpoint != null ? Checkpoints.describe(checkpoint) : null;
        if (saelens != null && weights == null) {
            System.out.println("note: " + saelens + " has no " + SaeLensFolder.WEIGHTS + ": no decoder cosine");
        }
        String modelId = pick("--model", model, cfg == null ? null : cfg.modelName());
        if (modelId == null || modelId.isBlank()) {
            throw new AtlasException("--model: required when no cfg names the model");
        }
        Integer d = pickInt("--width", width, cfg == null ? null : cfg.dSae(), weights == null ? null : weights.dSae());
        if (d == null || d <= 0) {
            throw new AtlasException("--width: required (a positive feature count) when no cfg or weights give it");
        }
        Integer in = pickInt("--d-in", dIn, cfg == null ? null : cfg.dIn(), weights == null ? null : weights.dIn());
        String hookName = pick("--hook", hook, cfg == null ? null : cfg.hookName());
        String arch = architecture != null ? architecture : checkpoint != null ? checkpoint.architecture() : weights != null
                ? weights.architecture().name().toLowerCase(Locale.ROOT) : cfg != null
                ? cfg.architecture().name().toLowerCase(Locale.ROOT) : null;
        Rows.SaeRow row = new Rows.SaeRow(sae, modelId, release, layer, hookName, d, seed, arch, in);
        // Neuronpedia exports and JSONL stream in after the SAE (bounded memory); other files are read whole
        List<Path> streamed = explanations.stream().filter(org.saeatlas.ingest.formats.ExplanationFiles::streams)
                .toList();
        List<Path> whole = explanations.stream().filter(p -> !streamed.contains(p)).toList();
        SaeInputs.Annotations notes = SaeInputs.annotations(whole, examples, vocab);
        float[] decoder = weights == null ? null : weights.wDec();
        String inputSha = decoder == null ? Checksums.of("no activations", sae)
                : Checksums.ofFloats("decoder " + weights.dSae() + "x" + weights.dIn(), decoder);
        SaeInput input = new SaeInput(row, null, decoder, notes.explanations(), notes.examples(), inputSha,
                notes.logits());
        double[] training = saelens == null ? null : SaeLensFolder.trainingFiringRates(saelens, d);
        try (ComputeEngine engine = decoder != null ? device.engine(database.data, Runtime.getRuntime()
                .availableProcessors()) : ComputeEngine.java(1);
             AtlasDatabase db = AtlasDatabase.open(database.target())) {
            AtlasWriter writer = new AtlasWriter(db.cypher(), new ProgressPrinter(System.out));
            writer.model(new Rows.ModelRow(modelId, modelId));
            new SaeLoader(db, System.out, database.data.resolve("runs"), engine.cosine()).load(input,
                    null, null, Map.of());
            if (!streamed.isEmpty()) {
                org.saeatlas.ingest.store.ExplanationImport.Result x = org.saeatlas.ingest.store.ExplanationImport
                        .stream(writer, sae, d, streamed, whole.isEmpty() ? null : "stream",
                                new ProgressPrinter(System.out));
                streamedCount = x.explanations();
                System.out.printf(Locale.ROOT, "streamed %,d explanations (%,d bytes) in %.1f s: %,.0f explanations/s%n",
                        x.explanations(), x.bytes(), x.seconds(), x.rowsPerSecond());
            }
            if (training != null) {
                writer.trainingFiringRates(sae, training, saelens.resolve(SaeLensFolder.SPARSITY).getFileName()
                        + " (SAELens): log10 firing fraction over the last feature-sampling window of training tokens");
                System.out.printf(Locale.ROOT, "training firing rates of %,d features from %s%n", training.length,
                        saelens.resolve(SaeLensFolder.SPARSITY));
            }
        }
        System.out.printf(Locale.ROOT, "SAE %s is in the atlas: %,d features, %,d explanations, %,d examples, %s;"
                        + " no activations (statistics absent until `./atlas build --sae %s --activations ...`)%n",
                sae, d, notes.explanations().size() + streamedCount, notes.examples().size(),
                decoder == null ? "no decoder weights" : "decoder cosine top-" + SaeLoader.COSINE_TOP_K, sae);
        return 0;
    }

    private static String pick(String option, String given, String known) {
        if (given != null && known != null && !given.equals(known)) {
            System.out.println("note: " + option + " " + given + " overrides the cfg's " + known);
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
