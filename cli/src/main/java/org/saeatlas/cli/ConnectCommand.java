package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.saeatlas.compute.connections.ConnectionParameters;
import org.saeatlas.compute.connections.MlpBaseline;
import org.saeatlas.compute.connections.NonlinearBaseline;
import org.saeatlas.djl.EngineChoice;
import org.saeatlas.djl.Engines;
import org.saeatlas.ingest.SaeConnections;
import org.saeatlas.ingest.analytics.ConnectionLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "connect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Sparse connections from the features of an upstream SAE A to those of a downstream SAE B (e.g."
                + " consecutive layers) over the same tokens: per downstream feature a LASSO on the upstream features"
                + " that co-fire with it, over token resamples with a null (A's tokens shuffled against B's), stored"
                + " as (:Feature)-[:CONNECTS {run, weight, replicates, nullReplicates, signConsistency, stable}]->"
                + "(:Feature); per downstream feature its linear R2 against a small nonlinear baseline (one-hidden-"
                + "layer MLP), stored as (:Feature)-[:LINEARITY {run, linearR2, nonlinearR2, lossDifference, linear}]"
                + "->(:Run). Prints the share of linear features.",
            "Example: ./atlas connect demo-l0-s0 demo-l1-s0 --activations-a l0.npz --activations-b l1.npz"})
class ConnectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SAE_A", description = "Upstream SAE id (already in the atlas).")
    String saeA;

    @Parameters(index = "1", paramLabel = "SAE_B", description = "Downstream SAE id.")
    String saeB;

    @Option(names = "--activations-a", required = true, paramLabel = "PATH",
            description = "Activations of SAE A (same formats as match/compute: .npz, .npy, .safetensors, ...).")
    Path activationsA;

    @Option(names = "--activations-b", required = true, paramLabel = "PATH",
            description = "Activations of SAE B over the same tokens in the same order.")
    Path activationsB;

    @Option(names = "--resamples", paramLabel = "R", description = "Token half-subsamples, each with a null trial [20].")
    Integer resamples;

    @Option(names = "--linear-threshold", paramLabel = "D", description = "A downstream feature is linear when the"
            + " nonlinear baseline explains less than D more of its variance than the sparse linear fit"
            + " [0.001, published].")
    Double linearThreshold;

    @Option(names = "--baseline", defaultValue = "auto", paramLabel = "auto|djl|java",
            description = "Who trains the nonlinear baseline: djl (DJL's PyTorch engine on CPU, PyTorch autograd),"
                    + " java (pure Java, same model and training) or auto (default: djl when the engine loads,"
                    + " otherwise java after a warning, as an atlas file's connections do); the run records which.")
    String baseline;

    @Option(names = "--seed", paramLabel = "S", description = "Master seed [42].")
    Long seed;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (the output does not depend on it)"
            + " [all cores].")
    Integer threads;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        ConnectionParameters p = ConnectionParameters.defaults();
        if (resamples != null) {
            p = p.withResamples(resamples);
        }
        if (linearThreshold != null) {
            p = p.withLinearThreshold(linearThreshold);
        }
        if (seed != null) {
            p = p.withSeed(seed);
        }
        if (threads != null) {
            p = p.withThreads(threads);
        }
        if (!List.of("auto", "java", "djl").contains(baseline)) {
            throw new org.saeatlas.errors.AtlasException("--baseline: expected auto, djl or java, found '" + baseline
                    + "'");
        }
        ConnectionLoader.Summary s = new SaeConnections(database.target(), System.out).connect(
                new SaeConnections.Request(saeA, activationsA, saeB, activationsB, p), this::baseline);
        System.out.println("connection run " + s.run());
        System.out.print(ConnectionLoader.table(List.of(s)));
        return 0;
    }

    /** The nonlinear baseline that --baseline names (auto: DJL when its engine loads, else Java after a warning). */
    private NonlinearBaseline baseline(ConnectionParameters p) {
        return switch (baseline) {
            case "java" -> new MlpBaseline(p.hidden(), p.epochs());
            case "djl" -> Engines.djl(EngineChoice.CPU, database.data.resolve("djl-cache"), p.threads(), msg -> {
                throw new org.saeatlas.errors.AtlasException("--baseline djl: " + msg);
            }).mlp(p.hidden(), p.epochs());
            default -> Engines.select(EngineChoice.CPU, database.data.resolve("djl-cache"), p.threads(),
                    System.err::println).mlp(p.hidden(), p.epochs());
        };
    }
}
