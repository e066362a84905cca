package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.coactivation.CoActivationParameters;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.EncodeResult;
import org.saeatlas.compute.sae.ErrorStatistics;
import org.saeatlas.compute.sae.SaeWeights;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.SaeInput;
import org.saeatlas.ingest.SaeInputs;
import org.saeatlas.ingest.SaeLoader;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.store.AtlasLoad;
import org.saeatlas.ingest.store.BulkImport;
import org.saeatlas.ingest.store.ContentCollector;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.formats.ActivatingExample;
import org.saeatlas.ingest.formats.ActivatingExampleFiles;
import org.saeatlas.ingest.formats.ActivationFiles;
import org.saeatlas.ingest.formats.Explanation;
import org.saeatlas.ingest.formats.ExplanationFiles;
import org.saeatlas.ingest.formats.ResidualFiles;
import org.saeatlas.ingest.formats.SaeLensFolder;
import org.saeatlas.ingest.formats.TokenExamples;
import org.saeatlas.ingest.formats.TokenIds;
import org.saeatlas.ingest.formats.TokenizerVocab;
import org.saeatlas.ingest.store.AtlasWriter;
import org.saeatlas.ingest.store.Rows;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.saeatlas.ingest.atlas.AtlasBuild;
import org.saeatlas.ingest.atlas.AtlasPlan;

@Command(name = "build", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add one SAE to the atlas from the files you have: feature activations, optionally the SAELens"
            + " weights (for decoder cosine), explanations and activating examples. Computes per-feature statistics,"
            + " the co-activation graph, the decoder-cosine top-k graph and the stable dependence graph, and loads"
            + " them into Neo4j. Runs already in the database are skipped, so re-running is safe.",
            "Or give residual-stream activations (tokens x d_in) with --residuals and the SAELens folder: the atlas"
                + " encodes them through the SAE and stores its L0, fraction of variance unexplained and mean error norm.",
            "Example: ./atlas build --model gemma-2-2b --sae 12-gemmascope-res-16k --layer 12 --activations acts.npz"
                + " --saelens sae/ --explanations neuronpedia/v1/gemma-2-2b/12-gemmascope-res-16k",
            "Example: ./atlas build --sae 12-gemmascope-res-16k --layer 12 --saelens sae/ --residuals resid.npy",
            "Example: ./atlas build --model EleutherAI/pythia-70m --sae pythia-l5 --layer 5 --activations latents/"
                + " --vocab tokenizer.json --explanations explanations/",
            "Or give an atlas file (many models, layers and SAEs, and the matches and comparisons between them):"
                + " ./atlas build atlas.yaml [--jobs N] [--memory 8g]. It computes what is missing into task folders"
                + " under --results (in parallel within the memory budget), loads them, then runs communities,"
                + " matches and comparisons, and prints a summary table; re-running resumes.",
            "",
            AtlasFileOptions.USAGE})
class BuildCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "ID", description = "Model id (default: the SAELens cfg's model_name).")
    String model;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ATLAS_FILE", description = "An atlas file (atlas.yaml):"
            + " build everything it describes instead of one SAE given by --sae.")
    Path atlasFile;

    @Option(names = "--jobs", paramLabel = "N", description = "With an atlas file: compute tasks run at once"
            + " [half the cores, at least 1].")
    Integer jobs;

    @Option(names = "--memory", paramLabel = "SIZE", description = "With an atlas file: heap the running compute"
            + " tasks may use together, by their estimates, e.g. 8g [3/4 of the JVM's maximum heap].")
    String memory;

    @Option(names = "--results", paramLabel = "DIR", description = "With an atlas file: folder of the task folders"
            + " and their state [--data/results].")
    Path results;

    @Option(names = "--sae", paramLabel = "ID", description = "SAE id, unique in the atlas (e.g. Neuronpedia's source id).")
    String sae;

    @Option(names = "--layer", paramLabel = "L", description = "Layer of the SAE.")
    Integer layer;

    @Option(names = "--release", paramLabel = "NAME", description = "SAE release (e.g. gemma-scope-2b-pt-res).")
    String release;

    @Option(names = "--sae-seed", paramLabel = "S", description = "Training seed of the SAE, if known (for seed comparisons).")
    Integer seed;

    @Option(names = "--activations", paramLabel = "PATH",
            description = "Feature activations, tokens x features: scipy sparse .npz, dense .npy, .safetensors, or a delphi latent cache folder.")
    Path activations;

    @Option(names = "--residuals", paramLabel = "FILE", description = "Instead of --activations: residual-stream"
            + " activations, tokens x d_in (.npy, or .safetensors with --residual-tensor), encoded through the SAE of --saelens.")
    Path residuals;

    @Option(names = "--residual-tensor", paramLabel = "NAME", description = "Tensor of the --residuals .safetensors"
            + " file (needed when it holds more than one).")
    String residualTensor;

    @Option(names = "--encode-batch", paramLabel = "N", defaultValue = "256",
            description = "Tokens encoded per batch; memory is N x d_sae floats [${DEFAULT-VALUE}].")
    int encodeBatch;

    @Option(names = "--saelens", paramLabel = "DIR", description = "SAELens folder (cfg.json + sae_weights.safetensors): decoder cosine and metadata.")
    Path saelens;

    @Option(names = "--sae-weights", paramLabel = "PATH", description = "Instead of --saelens: SAE weights as"
            + " saved, format detected: a SAELens or EleutherAI sparsify folder, a .safetensors file, or a PyTorch"
            + " .pt/.pth state dict (dictionary_learning, torch.save(sae.state_dict())), read without Python.")
    Path saeWeights;

    @Option(names = "--explanations", paramLabel = "PATH", arity = "1..*",
            description = "Explanations: a Neuronpedia export folder or batch, a delphi explanations folder, .csv or .jsonl (feature, text, source).")
    List<Path> explanations = new ArrayList<>();

    @Option(names = "--examples", paramLabel = "PATH", arity = "1..*",
            description = "Activating examples: a Neuronpedia export or activations folder, or one of its"
                    + " batch-N.jsonl.gz; a folder of SAEDashboard batch files (batch-0.json, batch-1.json, ...),"
                    + " or one SAEDashboard batch .json; an sae_vis export (token ids: with --vocab); a"
                    + " feature_circuits top-context dump (FILE#<submodule>_<layer> when it mixes dictionaries).")
    List<Path> examples = new ArrayList<>();

    @Option(names = "--vocab", paramLabel = "TOKENIZER_JSON", description = "A Hugging Face tokenizer.json, or a JSON"
            + " list of token strings or {id: string} / {string: id} map (e.g. a character model): with a"
            + " delphi cache saved with tokens (or --tokens), each feature's top activating windows become its examples;"
            + " it also spells examples stored as token ids (sae_vis).")
    Path vocab;

    @Option(names = "--tokens", paramLabel = "FILE", description = "Token ids of the activation rows, [n_seq, ctx]"
            + " (.npy, or .safetensors tensor 'tokens'), for --vocab examples when the activations carry none"
            + " (.npz, .npy, residuals).")
    Path tokens;

    @Option(names = "--examples-per-feature", paramLabel = "N", defaultValue = "20",
            description = "Examples per feature made with --vocab: the top windows, one per sequence [${DEFAULT-VALUE}].")
    int examplesPerFeature;

    @Option(names = "--example-window", paramLabel = "BEFORE,AFTER", split = ",", defaultValue = "24,8",
            description = "Tokens kept before and after the peak in examples made with --vocab [${DEFAULT-VALUE}].")
    int[] exampleWindow;

    @Option(names = "--no-dependence", description = "Skip the stable dependence graph (co-activation and cosine only).")
    boolean noDependence;

    @Option(names = "--offline", description = "First load of a new embedded database (--data without a database yet):"
            + " compute everything, then write it with Neo4j's offline importer, much faster than transactions for a"
            + " large SAE. Refused when the database exists or with --neo4j-uri.")
    boolean offline;

    @Mixin
    StabilityOptions stability;

    @Mixin
    DatabaseOptions database;

    @Mixin
    DeviceOptions device;

    @Mixin
    ErrorStatsOptions errorStats;

    @Override
    public Integer call() {
        if (atlasFile != null) {
            return buildAtlasFile();
        }
        if (sae == null) {
            throw new AtlasException("build: give an atlas file (./atlas build atlas.yaml) or one SAE with --sae ID and"
                    + " its inputs");
        }
        int threads = stability.threads != null ? stability.threads : Runtime.getRuntime().availableProcessors();
        try (ComputeEngine engine = residuals != null || saelens != null || saeWeights != null
                ? device.engine(database.data, threads)
                : ComputeEngine.java(threads)) {
            return build(engine);
        }
    }

    private Integer build(ComputeEngine engine) {
        if ((activations == null) == (residuals == null)) {
            throw new AtlasException("build: give exactly one of --activations (feature activations) and --residuals"
                    + " (residual-stream activations to encode with --saelens)");
        }
        if (saelens != null && saeWeights != null) {
            throw new AtlasException("build: give one of --saelens and --sae-weights");
        }
        if (residuals != null && saelens == null && saeWeights == null) {
            throw new AtlasException("--residuals: needs --saelens, the SAE folder to encode " + residuals + " with"
                    + " (or --sae-weights)");
        }
        SaeWeights weights = saelens != null ? SaeLensFolder.read(saelens) : saeWeights != null
                ? Checkpoints.describe(org.saeatlas.ingest.formats.SaeCheckpoints.read(saeWeights, null)) : null;
        ErrorStatistics errors = null;
        SparseActivations x;
        ActivationFiles.Source source = null;
        if (residuals != null) {
            EncodeResult encoded = encode(engine, weights);
            x = encoded.activations();
            errors = encoded.statistics();
        } else {
            source = ActivationFiles.readSource(activations);
            x = source.activations();
        }
        if (weights != null && weights.dSae() != x.featureCount()) {
            throw new AtlasException(activations + ": activations have " + x.featureCount() + " feature columns but"
                    + " the SAE in " + (saelens != null ? saelens : saeWeights) + " declares d_sae=" + weights.dSae());
        }
        String modelId = model != null ? model : weights != null ? weights.modelName() : null;
        if (modelId == null || modelId.isBlank()) {
            throw new AtlasException("--model: required when no SAELens folder names the model");
        }
        SaeInputs.Annotations notes = SaeInputs.annotations(explanations, examples, vocab);
        List<Rows.ExplanationRow> expl = notes.explanations();
        List<Rows.ExampleRow> ex = new ArrayList<>(notes.examples());
        if (tokens != null) {
            source = TokenIds.attach(tokens, x);
        }
        if (vocab != null) {
            if (source == null) {
                throw new AtlasException("--vocab: needs token ids: --tokens, or --activations from a delphi cache"
                        + " saved with tokens");
            }
            if (source.tokens() == null) {
                throw new AtlasException("--vocab: " + activations + " carries no token ids; give them with --tokens");
            }
            if (exampleWindow.length != 2 || exampleWindow[0] < 0 || exampleWindow[1] < 0) {
                throw new AtlasException("--example-window: expected BEFORE,AFTER (two non-negative token counts),"
                        + " found " + java.util.Arrays.toString(exampleWindow));
            }
            int made = SaeInputs.addTokenExamples(ex, tokens != null ? tokens : activations, source, vocab,
                    examplesPerFeature, exampleWindow[0], exampleWindow[1]);
            System.out.printf(Locale.ROOT, "made %,d activating examples from the tokens of %s with %s%n", made,
                    tokens != null ? tokens : activations, vocab);
        } else if (source != null && source.tokens() != null && examples.isEmpty()) {
            System.out.println("hint: " + activations + " has token ids; give --vocab tokenizer.json to turn each"
                    + " feature's top activating windows into examples");
        }
        Rows.SaeRow row = SaeInputs.saeRow(sae, modelId, release, layer, null, x.featureCount(), seed, null, weights,
                errors);
        SaeInput input = new SaeInput(row, x, weights != null ? weights.wDec() : null, expl, ex, Checksums.of(x),
                notes.logits());
        if (offline) {
            Neo4jTarget target = database.target();
            if (!target.embedded() || !BulkImport.isNew(target.dataDir())) {
                throw new AtlasException("--offline loads a new embedded database: " + (target.embedded()
                        ? target.dataDir() + " already holds one (load into it without --offline)"
                        : "not with --neo4j-uri (a server loads online, or with its own neo4j-admin import)"));
            }
            ContentCollector content = new ContentCollector();
            content.model(new Rows.ModelRow(modelId, modelId));
            SaeLoader.offline(System.out, database.data.resolve("runs"), engine.cosine()).load(input,
                    CoActivationParameters.defaults(), noDependence ? null : stability.parameters(), Map.of(),
                    content);
            AtlasLoad.Result r = AtlasLoad.load(target, content.content(), AtlasLoad.Mode.OFFLINE,
                    new ProgressPrinter(System.out));
            errorStats.store(r.database().cypher(), sae, x, source, vocab, exampleWindow, residuals);
            // the importer's collector drops logit tables (AtlasSink.logits): set them on the new database
            new AtlasWriter(r.database().cypher(), new ProgressPrinter(System.out)).logits(sae, input.logits());
            r.database().close();
            System.out.printf(Locale.ROOT, "offline import: %,d nodes and %,d relationships (%,d run edges) in %.1f s,"
                    + " first open with indexes %.1f s%n", r.nodes(), r.relationships(), r.edges(), r.nodeSeconds(),
                    r.openSeconds());
        } else {
            try (AtlasDatabase db = AtlasDatabase.open(database.target())) {
                new AtlasWriter(db.cypher(), new ProgressPrinter(System.out)).model(new Rows.ModelRow(modelId, modelId));
                new SaeLoader(db, System.out, database.data.resolve("runs"), engine.cosine()).load(input,
                        CoActivationParameters.defaults(), noDependence ? null : stability.parameters(), Map.of());
                errorStats.store(db.cypher(), sae, x, source, vocab, exampleWindow, residuals);
            }
        }
        System.out.println("SAE " + sae + " is in the atlas; `./atlas serve` to explore it");
        return 0;
    }

    private Integer buildAtlasFile() {
        if (sae != null || activations != null || residuals != null || saelens != null) {
            throw new AtlasException("build " + atlasFile + ": an atlas file says everything; leave out --sae,"
                    + " --activations, --residuals and --saelens (or build one SAE without the file)");
        }
        AtlasPlan plan = AtlasFileOptions.plan(atlasFile);
        int cores = Runtime.getRuntime().availableProcessors();
        int n = jobs != null ? Math.max(1, jobs) : Math.max(1, cores / 2);
        long budget = memory != null ? AtlasFileOptions.bytes("--memory", memory) : AtlasFileOptions.defaultBudget();
        if (budget > Runtime.getRuntime().maxMemory()) {
            System.out.println("warning: --memory " + memory + " is more than this JVM's maximum heap ("
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); set ATLAS_JAVA_OPTS=-Xmx... to raise it");
        }
        long t0 = System.nanoTime();
        try (ComputeEngine engine = device.engine(database.data, cores)) {
            AtlasBuild build = new AtlasBuild(plan, AtlasFileOptions.results(results, database.data), engine,
                    System.out);
            build.computeMissing(n, budget);
            System.out.println("opening Neo4j " + (database.uri != null ? database.uri : "(embedded, "
                    + database.data.resolve("neo4j") + ")") + " ...");
            try (AtlasDatabase db = AtlasDatabase.open(database.target())) {
                build.loadAndRun(db);
            }
            build.printSummary();
            System.out.printf(Locale.ROOT, "build of %s: %.1fs%n", atlasFile, (System.nanoTime() - t0) / 1e9);
            return finish(build);
        }
    }

    /** 0 when every task ended well; else lists the failures and returns 1. */
    static int finish(AtlasBuild build) {
        List<AtlasBuild.TaskResult> failed = build.outcomes().values().stream()
                .filter(r -> r.outcome() == AtlasBuild.Outcome.FAILED || r.outcome() == AtlasBuild.Outcome.SKIPPED)
                .toList();
        if (failed.isEmpty()) {
            System.out.println("every task is done; `./atlas serve` to explore the atlas");
            return 0;
        }
        System.out.println(failed.size() + " tasks failed or were skipped (the logs are in " + build.results()
                .resolve("logs") + "); fix the cause and run again: finished tasks are kept");
        return 1;
    }

    private EncodeResult encode(ComputeEngine engine, SaeWeights weights) {
        ResidualFiles file = ResidualFiles.open(residuals, residualTensor, weights.dIn(), encodeBatch);
        EncodeParameters defaults = EncodeParameters.defaults();
        EncodeParameters params = new EncodeParameters(encodeBatch, defaults.blockSize(),
                stability.threads != null ? stability.threads : defaults.threads());
        System.out.printf(Locale.ROOT, "encoding %,d tokens of %s (%s) through the %s SAE (d_in=%d, d_sae=%d), %d"
                        + " threads, engine %s%n", file.tokens(), residuals, file.dtype(), weights.architecture()
                        .name().toLowerCase(Locale.ROOT), weights.dIn(), weights.dSae(), params.threads(),
                engine.name());
        long t0 = System.nanoTime();
        org.saeatlas.compute.darkmatter.ErrorMoments moments = errorStats.moments(weights.dIn(), params.threads(),
                engine.gram());
        EncodeResult r = engine.encoder(weights, params).encode(file, file.tokens(), new ProgressPrinter(System.out),
                moments);
        ErrorStatistics s = r.statistics();
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "  encoded in %.1fs (%.0f tokens/s): mean L0 %.2f, FVU %.4f (explained variance"
                + " %.4f), mean error norm %.4g%n", secs, s.tokens() / secs, s.meanL0(), s.fvu(),
                s.explainedVariance(), s.meanErrorNorm());
        errorStats.fit(moments, s);
        return r;
    }

}
