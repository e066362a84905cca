package org.saeatlas.cli;

import com.sun.management.OperatingSystemMXBean;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.saeatlas.errors.AtlasException;
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

@Command(name = "scale", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How one SAE's build grows with its width: for each --features, a generated SAE with planted"
            + " structure over --tokens tokens is written as files with its atlas.yaml and built as an atlas file"
            + " would (the SAE task: reading, statistics, co-activation, decoder cosine top-10, the stable dependence"
            + " graph; then loading into a new embedded Neo4j and its communities). Prints per width the seconds of"
            + " each stage, the process CPU seconds, the peak heap and the peak resident memory, and each stage's"
            + " prediction from the first width by the README's cost model.",
            "Firing rates are scaled by 16,384 / features for wider SAEs (--rates-of), so every width has about the"
            + " active features per token of a 16,384-feature SAE, as real wider SAEs do (sparser per feature).",
            "Example: ./atlas bench scale --features 16384,65536,131072 --tokens 1000000",
            "Example: ./atlas bench scale --features 1024,2048 --tokens 20000   (a quick check)"})
class BenchScaleCommand implements Callable<Integer> {

    @Option(names = "--features", split = ",", defaultValue = "16384,65536,131072",
            description = "Widths to measure, in order (default: ${DEFAULT-VALUE}).")
    List<Integer> features;

    @Option(names = "--tokens", defaultValue = "1000000", description = "Tokens (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--rates-of", defaultValue = "16384", description = "Firing rates are scaled by this / features"
            + " when features is larger, keeping the active features per token of this width (default:"
            + " ${DEFAULT-VALUE}).")
    int ratesOf;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Threads of the SAE task (default: the cores).")
    Integer threads;

    @Option(names = "--no-load", description = "Only the SAE task (no Neo4j load, no communities).")
    boolean noLoad;

    @Option(names = "--data", description = "Folder for the files, results and databases (default: a temporary"
            + " folder, deleted after).")
    Path data;

    @Mixin
    DeviceOptions device;

    /** One measured width. */
    record Point(int features, int tokens, double activePerToken, Map<String, Double> stages, double cpu,
                 long heapPeak, long residentPeak) {
    }

    private static final Pattern STAGE = Pattern.compile("^\\s+(co-activation|decoder cosine|dependence graph):.*\\((\\d+\\.\\d)s");

    @Override
    public Integer call() throws IOException {
        boolean temporary = data == null;
        Path dir = temporary ? Files.createTempDirectory("atlas-bench-scale") : data;
        try {
            List<Point> points = new ArrayList<>();
            int cores = Runtime.getRuntime().availableProcessors();
            int t = threads == null ? cores : Math.max(1, threads);
            System.out.printf(Locale.ROOT, "scale benchmark: widths %s, %,d tokens, rates as at %,d features;"
                    + " %d cores, %d threads, max heap %,d MiB (%s)%n", features, tokens, ratesOf, cores, t,
                    Runtime.getRuntime().maxMemory() >> 20,
                    String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                            .filter(a -> a.startsWith("-Xm") || a.startsWith("-XX:+Use")).toList()));
            try (LazyEngine engine = new LazyEngine(() -> device.engine(dir, t))) {
                // the engine (a native library for DJL) starts before the first width, so no width pays for it
                engine.cosine().within(new float[] {1, 0, 0, 1}, 2, 2, 1, org.saeatlas.compute.Progress.NONE);
                for (int f : features) {
                    Path pointDir = dir.resolve("w" + f);
                    points.add(point(pointDir, f, t, engine));
                    if (temporary) {
                        Folders.deleteTree(pointDir);
                    }
                    printTable(points);
                }
            }
            return 0;
        } finally {
            if (temporary) {
                Folders.deleteTree(dir);
            }
        }
    }

    private Point point(Path dir, int width, int threadCount, LazyEngine engine) {
        System.gc();
        resetPeaks();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        DemoParameters d = DemoParameters.defaults();
        double scale = width / (double) d.features();
        double rateScale = Math.min(1.0, ratesOf / (double) width);
        DemoParameters params = new DemoParameters(seed, width, tokens, d.dIn(),
                (int) Math.round(d.modules() * scale), (int) Math.round(d.hierarchies() * scale),
                (int) Math.round(d.duplicates() * scale), d.sharedFraction(), rateScale);
        System.out.printf(Locale.ROOT, "%n== %,d features x %,d tokens (rate scale %.4f) ==%n", width, tokens,
                rateScale);
        Map<String, Double> stages = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Path file = DemoFiles.write(dir.resolve("files"), params, 1, "scale-lm", 1, System.out);
        stages.put("generate", seconds(t0));
        AtlasPlan plan = AtlasFileOptions.plan(file);
        AtlasPlan.Task task = plan.computeTasks().get(0);
        double[] active = {Double.NaN};
        StageLog log = new StageLog(stages, active);
        {
            AtlasBuild build = new AtlasBuild(plan, dir.resolve("results"), engine, System.out);
            long t1 = System.nanoTime();
            try (PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8)) {
                log.start(t1);
                build.compute(task, threadCount, ps);
            }
            double compute = seconds(t1);
            double named = 0;
            for (String s : List.of("read", "co-activation", "decoder cosine", "dependence graph")) {
                named += stages.getOrDefault(s, 0.0);
            }
            stages.put("statistics, writing", Math.max(0, compute - named));
            stages.put("SAE task", compute);
            if (!noLoad) {
                long t2 = System.nanoTime();
                try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"),
                        EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "1g"))) {
                    build.loadAndRun(db);
                }
                Double load = build.loadSeconds().get(task.id());
                stages.put("load", load);
                AtlasBuild.TaskResult analyse = build.outcomes().values().stream()
                        .filter(r -> r.task().kind() == AtlasPlan.Kind.ANALYSE).findFirst().orElse(null);
                stages.put("communities", analyse == null ? null : analyse.seconds());
                stages.put("load and database", seconds(t2));
                if (!build.failures().isEmpty()) {
                    throw new AtlasException("bench scale: " + build.failures().get(0).task().id() + " failed: "
                            + build.failures().get(0).detail());
                }
            }
            if (!TaskFolder.finished(build.folder(task))) {
                throw new AtlasException("bench scale: the SAE task of " + width + " features did not finish");
            }
        }
        stages.put("total", seconds(t0));
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        return new Point(width, tokens, active[0], stages, cpu, heapPeak(), residentPeak());
    }

    /** The stages of the README's cost model and how each grows: by n a (one pass), n a^2 (pairs), p^2 d, p. */
    private static double predict(String stage, Point base, Point p) {
        double na = p.tokens() * p.activePerToken() / (base.tokens() * base.activePerToken());
        double na2 = p.tokens() * p.activePerToken() * p.activePerToken()
                / (base.tokens() * base.activePerToken() * base.activePerToken());
        double pp = p.features() / (double) base.features();
        Double b = base.stages().get(stage);
        if (b == null) {
            return Double.NaN;
        }
        return switch (stage) {
            case "read", "statistics, writing" -> b * Math.max(na, pp);
            case "co-activation", "dependence graph" -> b * Math.max(na2, pp);
            case "decoder cosine" -> b * pp * pp;
            case "load", "communities" -> b * pp;
            default -> Double.NaN;
        };
    }

    private static final List<String> MODELLED = List.of("read", "statistics, writing", "co-activation",
            "decoder cosine", "dependence graph", "load", "communities");

    private static void printTable(List<Point> points) {
        Point base = points.get(0);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n%-22s", "stage (seconds)"));
        for (Point p : points) {
            s.append(String.format(Locale.ROOT, " %21s", String.format(Locale.ROOT, "%,d", p.features())));
        }
        s.append(String.format(Locale.ROOT, "%n%-22s", ""));
        for (Point p : points) {
            s.append(String.format(Locale.ROOT, " %10s %10s", "measured", p == base ? "" : "predicted"));
        }
        s.append('\n');
        for (String stage : base.stages().keySet()) {
            s.append(String.format(Locale.ROOT, "%-22s", stage));
            for (Point p : points) {
                Double m = p.stages().get(stage);
                double pr = p == base || !MODELLED.contains(stage) ? Double.NaN : predict(stage, base, p);
                s.append(String.format(Locale.ROOT, " %10s %10s", m == null ? "-" : String.format(Locale.ROOT,
                        "%.1f", m), Double.isNaN(pr) ? "" : String.format(Locale.ROOT, "%.1f", pr)));
            }
            s.append('\n');
        }
        row(s, "process CPU s", points, p -> String.format(Locale.ROOT, "%.1f", p.cpu()));
        row(s, "active per token", points, p -> String.format(Locale.ROOT, "%.1f", p.activePerToken()));
        row(s, "peak heap MiB", points, p -> String.format(Locale.ROOT, "%,d", p.heapPeak() >> 20));
        row(s, "peak resident MiB", points, p -> p.residentPeak() < 0 ? "not measured"
                : String.format(Locale.ROOT, "%,d", p.residentPeak() >> 20));
        s.append("predicted: the first width's stage times grown as the cost model says: reading and statistics by"
                + " n a, co-activation and the dependence graph by n a^2 (co-firing pairs; at least by p),"
                + " decoder cosine by p^2, loading and communities by p.\n");
        System.out.print(s);
    }

    private static void row(StringBuilder s, String name, List<Point> points,
                            java.util.function.Function<Point, String> value) {
        s.append(String.format(Locale.ROOT, "%-22s", name));
        for (Point p : points) {
            s.append(String.format(Locale.ROOT, " %10s %10s", value.apply(p), ""));
        }
        s.append('\n');
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        try {
            // 5 resets the process's peak resident set (VmHWM) on Linux
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux, or not allowed: the peak is then the process's since its start
        }
    }

    private static long heapPeak() {
        long heap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heap += pool.getPeakUsage().getUsed();
            }
        }
        return heap;
    }

    private static long residentPeak() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The SAE task's log, echoed to stdout, with each stage's seconds taken from its own line. */
    private static final class StageLog extends OutputStream {
        private final Map<String, Double> stages;
        private final double[] active;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private long start;

        StageLog(Map<String, Double> stages, double[] active) {
            this.stages = stages;
            this.active = active;
        }

        void start(long t) {
            start = t;
        }

        @Override
        public void write(int b) {
            System.out.write(b);
            if (b == '\n' || b == '\r') {
                String s = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (s.startsWith("SAE ") && s.endsWith(" active per token")) {
                    stages.put("read", seconds(start));
                    Matcher m = Pattern.compile("([0-9.]+) active per token$").matcher(s);
                    if (m.find()) {
                        active[0] = Double.parseDouble(m.group(1));
                    }
                }
                Matcher m = STAGE.matcher(s);
                if (m.find()) {
                    stages.put(m.group(1), Double.parseDouble(m.group(2)));
                }
            } else {
                line.write(b);
            }
        }

        @Override
        public void flush() {
            System.out.flush();
        }
    }
}
