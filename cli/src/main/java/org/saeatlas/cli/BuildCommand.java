package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.SaeBuild;
import org.saeatlas.ingest.atlas.AtlasBuild;
import org.saeatlas.ingest.atlas.AtlasFileBuild;
import org.saeatlas.ingest.atlas.AtlasPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    @Mixin
    SaeFilesOptions files;

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
        SaeBuild.Request request = new SaeBuild.Request(model, sae, layer, release, seed, activations, residuals,
                residualTensor, encodeBatch, files.saelens, files.saeWeights, files.explanations, files.examples,
                files.vocab, tokens, examplesPerFeature, exampleWindow, noDependence ? null : stability.parameters(),
                stability.threads, offline, errorStats.request());
        try (ComputeEngine engine = request.runsTheSae() ? device.engine(database.data, threads)
                : ComputeEngine.java(threads)) {
            SaeBuild.Result r = new SaeBuild(database.target(), database.data, System.out).build(request, engine);
            System.out.println("SAE " + r.sae() + " is in the atlas; `./atlas serve` to explore it");
            return 0;
        }
    }

    private Integer buildAtlasFile() {
        if (sae != null || activations != null || residuals != null || files.saelens != null) {
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
            AtlasBuild build = new AtlasFileBuild(database.target(), System.out).run(new AtlasFileBuild.Request(plan,
                    AtlasFileOptions.results(results, database.data), n, budget, false), engine).build();
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
}
