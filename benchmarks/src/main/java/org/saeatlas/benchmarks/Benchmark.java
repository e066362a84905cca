package org.saeatlas.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;
import org.saeatlas.compute.stability.StabilityGraph;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.compute.stability.StabilityResult;

/**
 * Times one run on planted data with about {@code active} features per token and prints per-stage wall-clock
 * milliseconds, peak heap (sum of the heap pools' peaks), edges per second (distinct observed edges / total time),
 * the process CPU time (a steadier figure than wall time on a shared machine) and a digest of every edge field (equal
 * digests: identical output).
 * Usage: {@code Benchmark features tokens [active=60] [resamples=30] [config=default]}; run one case per JVM, with
 * the heap limit to be checked (e.g. -Xmx2g).
 */
public final class Benchmark {
    private Benchmark() {
    }

    public static void main(String[] args) {
        int p = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        double active = args.length > 2 ? Double.parseDouble(args[2]) : 60;
        int r = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        String config = args.length > 4 ? args[4] : "default";
        long g0 = System.nanoTime();
        PlantedGraph g = PlantedGraph.generate(PlantedSpec.withActivePerToken(p, n, active, 11L));
        double genSecs = (System.nanoTime() - g0) / 1e9;
        System.out.printf(Locale.ROOT, "case p=%d n=%d: %.1f active/token, nnz=%d, generated in %.1f s%n", p, n,
                g.activations().nnz() / (double) n, g.activations().nnz(), genSecs);
        resetPeaks();
        StabilityParameters params = Configs.named(config).withResamples(r);
        Map<String, Long> stages = new LinkedHashMap<>();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        StabilityResult res = StabilityGraph.run(g.activations(), params, Progress.NONE, stages);
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpuSecs = (cpuNanos() - cpu0) / 1e9;
        System.out.printf(Locale.ROOT, "config %s, R=%d+%d trials, threads=%d%n", config, r, r, params.threads());
        stages.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-14s %8.2f s%n", k, v / 1000.0));
        long edges = res.edges().size();
        System.out.printf(Locale.ROOT, "total %.2f s; peak heap %.0f MiB; %d distinct observed edges (%d stable, r*=%s);"
                        + " %.0f edges/s; mean BH discoveries/trial %.0f; mean candidates %.2f%n",
                secs, peakHeap() / 1048576.0, edges, res.stableEdges().size(),
                res.rStar().isPresent() ? res.rStar().getAsInt() : "none", edges / secs,
                res.trials().stream().mapToLong(t -> t.bhDiscoveries()).average().orElse(0),
                res.trials().stream().mapToDouble(t -> t.meanCandidates()).average().orElse(0));
        System.out.printf(Locale.ROOT, "process CPU %.2f s (%.2f cores busy on average); edges digest %016x%n",
                cpuSecs, cpuSecs / secs, digest(res));
    }

    /** A 64-bit digest of every edge field, to check that two builds give the same output. */
    static long digest(StabilityResult res) {
        long h = 1125899906842597L;
        for (var e : res.edges()) {
            long[] fields = {e.i(), e.j(), e.replicates(), e.nullReplicates(), Double.doubleToLongBits(e.weight()),
                Double.doubleToLongBits(e.medianWeight()), Double.doubleToLongBits(e.signConsistency()),
                e.stable() ? 1 : 0};
            for (long f : fields) {
                h = 31 * h + f;
                h ^= h >>> 29;
            }
        }
        return h;
    }

    /** CPU time of the whole process (all threads, JIT and GC included). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
