package org.saeatlas.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.formats.Folders;
import org.saeatlas.ingest.atlas.AtlasBuild;
import org.saeatlas.ingest.atlas.AtlasPlan;
import org.saeatlas.ingest.atlas.DemoFiles;
import org.saeatlas.ingest.atlas.TaskFolder;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "release", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A release-sized atlas file built end to end with the full default pipeline: a generated model"
            + " with --layers layers x 2 seeds of a --features SAE with planted structure, written as files with its"
            + " atlas.yaml, then `build atlas.yaml` (compute, load into a new embedded Neo4j, communities, matches,"
            + " comparisons). Prints the time of each SAE (compute and load), of the tasks on the database, the total,"
            + " and the peak heap and resident memory.",
            "Example: ./atlas bench release                      (8 SAEs of 16,384 features, 100,000 tokens)",
            "Example: ./atlas bench release --features 1024 --layers 1 --tokens 10000   (a quick check)"})
class BenchReleaseCommand implements Callable<Integer> {

    @Option(names = "--features", defaultValue = "16384", description = "Features per SAE (default: ${DEFAULT-VALUE}).")
    int features;

    @Option(names = "--layers", defaultValue = "4", description = "Layers, each with 2 seeds (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--tokens", defaultValue = "100000", description = "Tokens per layer (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--jobs", defaultValue = "1", description = "Compute tasks at once (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--data", description = "Folder for the files, results and the new embedded database (default: a"
            + " temporary folder, deleted after).")
    Path data;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() throws IOException {
        boolean temporary = data == null;
        Path dir = temporary ? Files.createTempDirectory("atlas-bench-release") : data;
        try {
            return run(dir);
        } finally {
            if (temporary) {
                Folders.deleteTree(dir);
            }
        }
    }

    private int run(Path dir) {
        DemoParameters params = DemoParameters.scaled(seed, features, tokens, 1.0);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "release benchmark: %d layers x 2 seeds of %,d features, %,d tokens per layer;"
                + " %d cores, max heap %,d MiB%n", layers, features, tokens, cores,
                Runtime.getRuntime().maxMemory() >> 20);
        long t0 = System.nanoTime();
        Path file = DemoFiles.write(dir.resolve("files"), params, layers, "bench-lm", System.out);
        double generate = seconds(t0);
        AtlasPlan plan = AtlasFileOptions.plan(file);
        long t1 = System.nanoTime();
        double compute;
        double onDatabase;
        AtlasBuild build;
        try (LazyEngine engine = new LazyEngine(() -> device.engine(dir, cores))) {
            build = new AtlasBuild(plan, dir.resolve("results"), engine, System.out);
            build.computeMissing(Math.max(1, jobs), AtlasFileOptions.defaultBudget());
            compute = seconds(t1);
            long t2 = System.nanoTime();
            try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"),
                    EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "1g"))) {
                build.loadAndRun(db);
            }
            onDatabase = seconds(t2);
        }
        build.printSummary();
        System.out.println();
        System.out.printf(Locale.ROOT, "%-32s %10s %10s%n", "SAE", "compute s", "load s");
        for (AtlasPlan.Task t : plan.computeTasks()) {
            Path folder = build.folder(t);
            double c = TaskFolder.finished(folder) ? TaskFolder.manifest(folder).seconds() : Double.NaN;
            Double load = build.loadSeconds().get(t.id());
            System.out.printf(Locale.ROOT, "%-32s %10.1f %10s%n", t.saes().get(0), c,
                    load == null ? "-" : String.format(Locale.ROOT, "%.1f", load));
        }
        double loads = build.loadSeconds().values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.printf(Locale.ROOT, "%-10s %6s %10s %10s %10s%n", "on the db", "tasks", "sum s", "min s", "max s");
        System.out.printf(Locale.ROOT, "%-10s %6d %10.1f %10s %10s%n", "load", build.loadSeconds().size(), loads,
                build.loadSeconds().isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f",
                        build.loadSeconds().values().stream().mapToDouble(Double::doubleValue).min().orElse(0)),
                build.loadSeconds().isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f",
                        build.loadSeconds().values().stream().mapToDouble(Double::doubleValue).max().orElse(0)));
        double connections = 0;
        for (AtlasPlan.Kind kind : AtlasPlan.Kind.values()) {
            if (kind.compute()) {
                continue;
            }
            java.util.DoubleSummaryStatistics k = build.outcomes().values().stream()
                    .filter(r -> r.task().kind() == kind && r.outcome() == AtlasBuild.Outcome.DONE)
                    .mapToDouble(AtlasBuild.TaskResult::seconds).summaryStatistics();
            if (k.getCount() == 0) {
                continue;
            }
            if (kind == AtlasPlan.Kind.CONNECT) {
                connections = k.getSum();
            }
            System.out.printf(Locale.ROOT, "%-10s %6d %10.1f %10.1f %10.1f%n", kind.name().toLowerCase(Locale.ROOT),
                    k.getCount(), k.getSum(), k.getMin(), k.getMax());
        }
        double total = seconds(t0);
        System.out.printf(Locale.ROOT, "generate files %.1f s, compute %.1f s, load and database tasks %.1f s,"
                + " total %.1f s (%.1f s without the connections' %.1f s)%n", generate, compute, onDatabase, total,
                total - connections, connections);
        System.out.printf(Locale.ROOT, "process CPU %.1f s; JVM %s%n", ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9,
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-Xm") || a.startsWith("-XX:+Use")).toList()));
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "peak heap (sum of the pools' peaks) %,d MiB, peak resident %s%n",
                heapPeak >> 20, peakResident());
        return BuildCommand.finish(build);
    }

    private static String peakResident() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%,d MiB", kb >> 10);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return "not measured here";
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
