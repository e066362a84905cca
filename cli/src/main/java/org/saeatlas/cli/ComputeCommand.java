package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saeatlas.compute.fdr.FdrTable;
import org.saeatlas.compute.stability.StabilityResult;
import org.saeatlas.ingest.StabilityRunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compute", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Compute the stable conditional-dependence graph of one SAE's feature activations and write a run folder"
                + " (edges.csv, fdr_table.csv, run.json) that pandas and networkx read (`build` writes the same folders under --data/runs and reuses them).",
            "Per trial: pre-screen pairs (exact sparse Pearson / co-firing test, Benjamini-Hochberg, top-k per feature),"
                + " nodewise LASSO over a lambda path with BIC/EBIC (or K-fold CV) selection, AND merge; R resamples each with a"
                + " matched null trial; edges that a nested common neighbour or container explains are listed, not"
                + " counted; r* = smallest replicate count whose estimated error (chance FDR from the null trials +"
                + " indirect share from a planted twin) <= alpha.",
            "ACTIVATIONS: a scipy sparse .npz (CSR/CSC), a dense .npy, a .safetensors tensor or a delphi latent cache folder;"
                + " rows are tokens, columns are features."})
class ComputeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ACTIVATIONS", description = "Feature activations (tokens x features).")
    Path activations;

    @Option(names = "--out", required = true, paramLabel = "FOLDER", description = "Run folder to create (must not exist).")
    Path out;

    @Mixin
    StabilityOptions stability;

    @Option(names = "--timings", description = "Print where the time went: the JVM start and class loading before this"
            + " command ran, reading, each stage of the engine (the planted twin among them), writing; wall seconds and"
            + " the process's CPU seconds (all threads, JIT and GC included).")
    boolean timings;

    @Override
    public Integer call() {
        Timings clock = new Timings(timings);
        clock.mark("JVM start, class loading, options");
        StabilityRunFolder.Result r = new StabilityRunFolder(System.out, System.err).compute(
                new StabilityRunFolder.Request(activations, out, stability.parameters()), clock::mark);
        printSummary(r.result(), r.seconds());
        System.out.println("wrote " + out);
        clock.print(r.stages());
        return 0;
    }

    static void printSummary(StabilityResult result, double seconds) {
        System.out.printf(Locale.ROOT, "%n%,d edges seen in at least one trial; r* = %s; %,d stable edges; %,d in all %d"
                + " trials (%.1fs)%n", result.edges().size(),
                result.rStar().isPresent() ? result.rStar().getAsInt() : "none (no r met alpha)",
                result.stableEdges().size(), result.edgesInAllTrials().size(), result.parameters().resamples(), seconds);
        System.out.println("   r   observed   expected null  chance FDR  indirect share  total error");
        for (FdrTable.Row row : result.fdrTable().rows()) {
            System.out.printf(Locale.ROOT, "%s%3d %10d %15d %11s %15s %12s%n",
                    result.rStar().isPresent() && result.rStar().getAsInt() == row.r() ? "*" : " ", row.r(),
                    row.observed(), row.expectedNull(), fmt(row.fdrEst()),
                    row.hasIndirectEstimate() ? fmt(row.indirectShare()) : "n/a", fmt(row.totalError()));
        }
        if (result.twin() != null) {
            System.out.printf(Locale.ROOT, "indirect share estimated on a planted twin: %,d features x %,d tokens,"
                            + " %.1f active per token, %,d planted edges%n", result.twin().features(),
                    result.twin().tokens(), result.twin().activePerToken(), result.twin().plantedEdges());
        }
        System.out.println(result.thresholdReason());
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
    }

    /** Wall and process CPU seconds between marks, counted from the JVM's start. */
    static final class Timings {
        private final boolean on;
        private final java.util.List<String> lines = new java.util.ArrayList<>();
        private long lastWallMs;
        private long lastCpuNs;

        Timings(boolean on) {
            this.on = on;
        }

        void mark(String what) {
            if (!on) {
                return;
            }
            long wall = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
            long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime();
            lines.add(String.format(Locale.ROOT, "  %-40s %7.2f s wall %7.2f s CPU", what, (wall - lastWallMs) / 1e3,
                    (cpu - lastCpuNs) / 1e9));
            lastWallMs = wall;
            lastCpuNs = cpu;
        }

        void print(java.util.Map<String, Long> stages) {
            if (!on) {
                return;
            }
            System.out.printf(Locale.ROOT, "%ntimings (from the JVM's start; total %.2f s wall, %.2f s CPU):%n",
                    lastWallMs / 1e3, lastCpuNs / 1e9);
            lines.forEach(System.out::println);
            System.out.println("  engine stages (wall; summed over trials that run side by side, one per core):");
            stages.forEach((k, v) -> System.out.printf(Locale.ROOT, "    %-38s %7.2f s%n", k, v / 1e3));
        }
    }
}
