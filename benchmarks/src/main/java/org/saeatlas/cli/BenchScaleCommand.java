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

    /** One stage: wall and process CPU seconds. */
    record Stage(double wall, double cpu) {
    }

    /** One measured width. */
    record Point(int features, int tokens, double activePerToken, Map<String, Stage> stages, long heapPeak,
                 long residentPeak) {
    }

    /** The log lines that end each stage of one SAE's build, in order. */
    private static final List<String[]> MARKS = List.of(
            new String[] {"read", "^SAE .* active per token$"},
            new String[] {"statistics, co-activation", "^\\s+co-activation: "},
            new String[] {"decoder cosine", "^\\s+decoder cosine: "},
            new String[] {"dependence graph", "^\\s+dependence graph: "},
            new String[] {"writing the task", "^sae:\\S+: computed into "},
            new String[] {"load", "^\\[load \\d+/\\d+\\] \\S+: loaded in "},
            new String[] {"communities", "^\\[analyse \\d+/\\d+\\] \\S+: done in "});

    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

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
        double rateScale = Math.min(1.0, ratesOf / (double) width);
        DemoParameters params = DemoParameters.scaled(seed, width, tokens, rateScale);
        System.out.printf(Locale.ROOT, "%n== %,d features x %,d tokens (rate scale %.4f) ==%n", width, tokens,
                rateScale);
        Map<String, Stage> stages = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        long cpu0 = OS.getProcessCpuTime();
        Path file = DemoFiles.write(dir.resolve("files"), params, 1, "scale-lm", 1, System.out);
        stages.put("generate", new Stage(seconds(t0), (OS.getProcessCpuTime() - cpu0) / 1e9));
        AtlasPlan plan = AtlasFileOptions.plan(file);
        AtlasPlan.Task task = plan.computeTasks().get(0);
        StageLog log = new StageLog(stages);
        try (PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            AtlasBuild build = new AtlasBuild(plan, dir.resolve("results"), engine, ps);
            log.start();
            build.compute(task, threadCount, ps);
            stages.put("SAE task", log.since(log.startWall, log.startCpu));
            if (!noLoad) {
                long w = System.nanoTime();
                long c = OS.getProcessCpuTime();
                try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"),
                        EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "1g"))) {
                    log.mark(); // opening the database is not the load
                    build.loadAndRun(db);
                }
                stages.put("database (open, load, communities)", log.since(w, c));
                if (!build.failures().isEmpty()) {
                    throw new AtlasException("bench scale: " + build.failures().get(0).task().id() + " failed: "
                            + build.failures().get(0).detail());
                }
            }
            if (!TaskFolder.finished(build.folder(task))) {
                throw new AtlasException("bench scale: the SAE task of " + width + " features did not finish");
            }
        }
        stages.put("total", new Stage(seconds(t0), (OS.getProcessCpuTime() - cpu0) / 1e9));
        return new Point(width, tokens, log.active, stages, heapPeak(), residentPeak());
    }

    /** How each stage grows by the README's cost model: with n a (one pass), n a^2 (co-firing pairs), p^2 or p. */
    private static double growth(String stage, Point base, Point p) {
        double na = p.tokens() * p.activePerToken() / (base.tokens() * base.activePerToken());
        double na2 = na * p.activePerToken() / base.activePerToken();
        double pp = p.features() / (double) base.features();
        return switch (stage) {
            case "read", "writing the task" -> Math.max(na, pp);
            case "statistics, co-activation", "dependence graph" -> Math.max(na2, pp);
            case "decoder cosine" -> pp * pp;
            case "load", "communities" -> pp;
            default -> Double.NaN;
        };
    }

    private static void printTable(List<Point> points) {
        Point base = points.get(0);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%n%-36s", "stage (seconds)"));
        for (Point p : points) {
            s.append(String.format(Locale.ROOT, " | %-33s", String.format(Locale.ROOT, "%,d features", p.features())));
        }
        s.append(String.format(Locale.ROOT, "%n%-36s", ""));
        for (Point p : points) {
            s.append(String.format(Locale.ROOT, " | %7s %7s %8s %8s", "wall", "CPU", p == base ? "" : "wall~",
                    p == base ? "" : "CPU~"));
        }
        s.append('\n');
        for (String stage : base.stages().keySet()) {
            s.append(String.format(Locale.ROOT, "%-36s", stage));
            for (Point p : points) {
                Stage m = p.stages().get(stage);
                Stage b = base.stages().get(stage);
                double g = p == base ? Double.NaN : growth(stage, base, p);
                s.append(String.format(Locale.ROOT, " | %7s %7s %8s %8s", m == null ? "-" : fmt(m.wall()),
                        m == null ? "-" : fmt(m.cpu()), Double.isNaN(g) || b == null ? "" : fmt(b.wall() * g),
                        Double.isNaN(g) || b == null ? "" : fmt(b.cpu() * g)));
            }
            s.append('\n');
        }
        row(s, "active features per token", points, p -> String.format(Locale.ROOT, "%.1f", p.activePerToken()));
        row(s, "peak heap MiB", points, p -> String.format(Locale.ROOT, "%,d", p.heapPeak() >> 20));
        row(s, "peak resident MiB", points, p -> p.residentPeak() < 0 ? "not measured"
                : String.format(Locale.ROOT, "%,d", p.residentPeak() >> 20));
        s.append("wall~, CPU~: the first width's seconds grown as the README's cost model says: reading and writing"
                + " by n a, statistics with co-activation and the dependence graph by n a^2 (co-firing pairs, at"
                + " least by p), decoder cosine by p^2, loading and communities by p (n tokens, a active features"
                + " per token, p features). CPU: the process's user + system seconds.\n");
        System.out.print(s);
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.1f", x);
    }

    private static void row(StringBuilder s, String name, List<Point> points,
                            java.util.function.Function<Point, String> value) {
        s.append(String.format(Locale.ROOT, "%-36s", name));
        for (Point p : points) {
            s.append(String.format(Locale.ROOT, " | %-33s", value.apply(p)));
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

    /** The build's output, echoed to stdout; each stage ends at its marking line (wall and process CPU). */
    private static final class StageLog extends OutputStream {
        private final Map<String, Stage> stages;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final List<Pattern> patterns = MARKS.stream().map(m -> Pattern.compile(m[1])).toList();
        long startWall;
        long startCpu;
        private long lastWall;
        private long lastCpu;
        double active = Double.NaN;

        StageLog(Map<String, Stage> stages) {
            this.stages = stages;
        }

        void start() {
            mark();
            startWall = lastWall;
            startCpu = lastCpu;
        }

        void mark() {
            lastWall = System.nanoTime();
            lastCpu = OS.getProcessCpuTime();
        }

        Stage since(long wall, long cpu) {
            return new Stage(seconds(wall), (OS.getProcessCpuTime() - cpu) / 1e9);
        }

        @Override
        public void write(int b) {
            System.out.write(b);
            if (b != '\n' && b != '\r') {
                line.write(b);
                return;
            }
            String s = line.toString(StandardCharsets.UTF_8);
            line.reset();
            for (int k = 0; k < patterns.size(); k++) {
                if (patterns.get(k).matcher(s).find()) {
                    stages.put(MARKS.get(k)[0], since(lastWall, lastCpu));
                    mark();
                    if (k == 0) {
                        Matcher m = Pattern.compile("([0-9.]+) active per token$").matcher(s);
                        if (m.find()) {
                            active = Double.parseDouble(m.group(1));
                        }
                    }
                }
            }
        }

        @Override
        public void flush() {
            System.out.flush();
        }
    }
}
