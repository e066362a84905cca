package org.saeatlas.benchmarks;

import java.util.Locale;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.connections.ConnectionGraph;
import org.saeatlas.compute.connections.ConnectionParameters;
import org.saeatlas.compute.connections.ConnectionResult;
import org.saeatlas.compute.connections.MlpBaseline;
import org.saeatlas.compute.connections.PlantedLayers;
import org.saeatlas.compute.connections.PlantedRecovery;
import org.saeatlas.compute.fdr.FdrTable;

/**
 * Connections between two planted layers with known answers (OR, AND NOT, AND, PRODUCT, XOR and noise downstream
 * features): prints the recovery table (precision, recall, F1 of the stable connections, signs, features flagged
 * linear) per kind, the FDR table and the time. Usage: {@code ConnectionsBenchmark [tokens=20000] [resamples=10]
 * [seed=7] [java|djl]} (the nonlinear baseline's trainer), or for SAE-sized layers from the sparse-rate generator
 * ({@link PlantedLayers.Spec#sized}) {@code ConnectionsBenchmark sized [features=16384] [tokens=200000] [active=60]
 * [resamples=10] [seed=7] [java|djl] [threads=cores]}, which also prints the time of each stage (generation, the
 * observed and null trials, the linearity baseline), the CPU time, the peak heap and the peak resident memory.
 */
public final class ConnectionsBenchmark {
    private ConnectionsBenchmark() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("sized")) {
            sized(args);
            return;
        }
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int r = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 7;
        boolean djl = args.length > 3 && args[3].equals("djl");
        PlantedLayers.Spec spec = PlantedLayers.Spec.small(seed);
        PlantedLayers planted = PlantedLayers.generate(new PlantedLayers.Spec(tokens, spec.freeUpstream(),
                spec.shadows(), spec.or(), spec.andNot(), spec.and(), spec.product(), spec.xor(), spec.noise(), seed));
        ConnectionParameters p = ConnectionParameters.defaults().withResamples(r).withSeed(seed);
        System.out.printf(Locale.ROOT, "planted layers: %d upstream x %d downstream features, %d tokens, %d planted"
                        + " connections; R=%d+%d trials, threads=%d%n", planted.upstream().featureCount(),
                planted.downstream().featureCount(), tokens, planted.plantedConnections(), r, r, p.threads());
        long t0 = System.nanoTime();
        org.saeatlas.compute.connections.NonlinearBaseline baseline = djl
                ? org.saeatlas.djl.Engines.djl(org.saeatlas.djl.EngineChoice.CPU, java.nio.file.Path.of("target",
                        "djl-cache"), p.threads(), System.err::println).mlp(p.hidden(), p.epochs())
                : new MlpBaseline(p.hidden(), p.epochs());
        System.out.println("nonlinear baseline: " + baseline.name());
        ConnectionResult res = ConnectionGraph.run(planted.upstream(), planted.downstream(), p, baseline,
                Progress.NONE);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.print(PlantedRecovery.of(planted, res).table());
        System.out.println("r  observed  null  fdr");
        for (FdrTable.Row row : res.fdrTable().rows()) {
            System.out.printf(Locale.ROOT, "%-2d %8d %5d  %s%n", row.r(), row.observed(), row.expectedNull(),
                    Double.isNaN(row.fdrEst()) ? "-" : String.format(Locale.ROOT, "%.4f", row.fdrEst()));
        }
        System.out.printf(Locale.ROOT, "r* = %s; linear share %.3f (%d of %d, threshold %s); %.1f s%n",
                res.fdrTable().rStar().isPresent() ? res.fdrTable().rStar().getAsInt() : "none", res.linearShare(),
                res.linearCount(), res.linearity().size(), p.linearThreshold(), secs);
    }

    private static void sized(String[] args) {
        int features = args.length > 1 ? Integer.parseInt(args[1]) : 16_384;
        int tokens = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        double active = args.length > 3 ? Double.parseDouble(args[3]) : 60;
        int r = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 7;
        boolean djl = args.length > 6 && args[6].equals("djl");
        ConnectionParameters p = ConnectionParameters.defaults().withResamples(r).withSeed(seed);
        if (args.length > 7) {
            p = p.withThreads(Integer.parseInt(args[7]));
        }
        long cpu0 = EncodeBenchmark.cpuNanos();
        long t0 = System.nanoTime();
        PlantedLayers planted = PlantedLayers.generate(PlantedLayers.Spec.sized(features, tokens, active, seed));
        double genSecs = (System.nanoTime() - t0) / 1e9;
        double l0a = planted.upstream().nnz() / (double) tokens;
        double l0b = planted.downstream().nnz() / (double) tokens;
        System.out.printf(Locale.ROOT, "sparse planted layers: %,d upstream x %,d downstream features, %,d tokens,"
                        + " L0 %.1f upstream / %.1f downstream, %,d planted connections; generated in %.1f s;"
                        + " R=%d+%d trials, threads=%d%n", planted.upstream().featureCount(),
                planted.downstream().featureCount(), tokens, l0a, l0b, planted.plantedConnections(), genSecs, r, r,
                p.threads());
        org.saeatlas.compute.connections.NonlinearBaseline baseline = djl
                ? org.saeatlas.djl.Engines.djl(org.saeatlas.djl.EngineChoice.CPU, java.nio.file.Path.of("target",
                        "djl-cache"), p.threads(), System.err::println).mlp(p.hidden(), p.epochs())
                : new MlpBaseline(p.hidden(), p.epochs());
        StageClock clock = new StageClock();
        long t1 = System.nanoTime();
        ConnectionResult res = ConnectionGraph.run(planted.upstream(), planted.downstream(), p, baseline, clock);
        double runSecs = (System.nanoTime() - t1) / 1e9;
        System.out.print(PlantedRecovery.of(planted, res).table());
        System.out.printf(Locale.ROOT, "r* = %s; %,d stable connections; mean selected pairs per trial %.0f observed,"
                        + " %.0f null; linear share %.3f (%d of %d)%n",
                res.fdrTable().rStar().isPresent() ? res.fdrTable().rStar().getAsInt() : "none",
                res.stable().size(), res.observedTrialMeanConnections(), res.nullTrialMeanConnections(), res.linearShare(),
                res.linearCount(), res.linearity().size());
        System.out.printf(Locale.ROOT, "stages (wall): generate %.1f s", genSecs);
        for (var e : clock.totals.entrySet()) {
            System.out.printf(Locale.ROOT, ", %s %.1f s", e.getKey(), e.getValue() / 1e9);
        }
        System.out.printf(Locale.ROOT, "%nconnections %.1f s wall (%.1f s per observed+null trial pair), %.1f CPU-s in"
                        + " all; peak heap %,d MiB, peak resident %s (baseline %s)%n", runSecs,
                (clock.totals.getOrDefault("observed trials", 0L) + clock.totals.getOrDefault("null trials", 0L))
                        / 1e9 / r, (EncodeBenchmark.cpuNanos() - cpu0) / 1e9, peakHeapMiB(), peakRss(), baseline.name());
    }

    /**
     * Wall time per stage from the progress calls: a stage's time runs from the previous stage's last update to its
     * own last update (so the set-up before a stage's first unit counts to it); "observed trial 3/10" counts to
     * "observed trials".
     */
    static final class StageClock implements org.saeatlas.compute.Progress {
        final java.util.LinkedHashMap<String, Long> totals = new java.util.LinkedHashMap<>();
        private final long start = System.nanoTime();
        private long last = start;
        private String current;
        private long currentStart = start;

        @Override
        public synchronized void update(String stage, long done, long total) {
            if (stage.equals("connection trials")) {
                return;
            }
            String group = stage.startsWith("observed trial") ? "observed trials" : stage.startsWith("null trial")
                    ? "null trials" : stage;
            long now = System.nanoTime();
            if (!stage.equals(current)) {
                if (current != null) {
                    System.err.printf(Locale.ROOT, "  [%.0f s] %s: %.1f s%n", (last - start) / 1e9, current,
                            (last - currentStart) / 1e9);
                }
                current = stage;
                currentStart = last;
            }
            totals.merge(group, now - last, Long::sum);
            last = now;
        }
    }

    static long peakHeapMiB() {
        long sum = 0;
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory
                .getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum >> 20;
    }

    static String peakRss() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return line.substring(6).trim();
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
