package org.saeatlas.ingest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.stability.StabilityGraph;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.compute.stability.StabilityResult;
import org.saeatlas.ingest.formats.ActivationFiles;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.runfolder.RunFolderWriter;
import org.saeatlas.ingest.runfolder.RunInput;
import org.saeatlas.schema.AtlasVersion;

/**
 * The stable dependence graph of one activation file computed into a run folder, without a database
 * ({@code ./atlas compute}).
 */
public final class StabilityRunFolder {

    /** The activations (tokens x features), the run folder to create (must not exist) and the parameters. */
    public record Request(Path activations, Path out, StabilityParameters params) {
    }

    /** The engine's result, its seconds (engine and writing) and its stages' wall milliseconds. */
    public record Result(StabilityResult result, double seconds, Map<String, Long> stages) {
    }

    private final PrintStream out;
    private final PrintStream err;

    public StabilityRunFolder(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Computes and writes the run folder; {@code mark} is told when reading, the engine and writing end. */
    public Result compute(Request r, Consumer<String> mark) {
        RunFolderWriter.requireNew(r.out()); // before minutes of computing, not after
        if (!r.params().calibrated()) {
            err.println("warning: per-trial null trials on overlapping subsamples are miscalibrated: on planted"
                    + " data they estimated FDR 0.03 where the realised share of chance edges was 0.97. Use --null"
                    + " global or --resampling disjoint unless you are reproducing the published method.");
        }
        out.println("reading " + r.activations() + " ...");
        SparseActivations x = ActivationFiles.read(r.activations());
        mark.accept("reading " + r.activations().getFileName());
        out.printf(Locale.ROOT, "%,d tokens x %,d features, %.1f active per token, sparsity %.5f%n",
                x.tokens(), x.featureCount(), x.nnz() / (double) Math.max(1, x.tokens()), x.sparsity());
        long t0 = System.nanoTime();
        // the input's SHA-256 (for run.json) on the side while the engine starts, instead of after it
        CompletableFuture<RunInput> input = CompletableFuture.supplyAsync(
                () -> RunInput.of(r.activations(), x.tokens(), x.featureCount()));
        Map<String, Long> stages = new LinkedHashMap<>();
        StabilityResult result = StabilityGraph.run(x, r.params(), new ProgressPrinter(out), stages);
        mark.accept("engine");
        RunInput hashed;
        try {
            hashed = input.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        RunFolderWriter.write(r.out(), result, hashed, AtlasVersion.SOFTWARE);
        mark.accept("writing the run folder");
        return new Result(result, (System.nanoTime() - t0) / 1e9, stages);
    }
}
