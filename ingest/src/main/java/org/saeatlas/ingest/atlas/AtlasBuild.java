package org.saeatlas.ingest.atlas;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.coactivation.CoActivationParameters;
import org.saeatlas.compute.comparison.ComparisonParameters;
import org.saeatlas.compute.matching.MatchParameters;
import org.saeatlas.compute.matching.Similarity;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.SaeInput;
import org.saeatlas.ingest.SaeLoader;
import org.saeatlas.ingest.analytics.AnalysisParameters;
import org.saeatlas.ingest.analytics.MatchLoader;
import org.saeatlas.ingest.analytics.RunAnalysis;
import org.saeatlas.ingest.analytics.RunComparison;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.formats.ActivationFiles;
import org.saeatlas.ingest.formats.SaeLensFolder;
import org.saeatlas.ingest.store.AtlasWriter;
import org.saeatlas.ingest.store.RunStore;
import org.saeatlas.ingest.store.Rows;
import org.saeatlas.schema.Vocabulary;
import org.saeatlas.compute.sae.SaeWeights;

/**
 * Runs the tasks of an atlas plan. Compute tasks (one SAE each) write a task folder under the results folder
 * ({@link TaskFolder}, atomically) and touch no database, so they can run anywhere and in parallel; the load step
 * puts finished folders into Neo4j (a folder whose runs are all complete there is skipped); then the tasks on the
 * database (communities, matches, comparisons, connections) run in plan order, each recorded as done with its key
 * and what it stored. Re-running does only what is missing or stale: after Ctrl-C or {@code kill -9} the finished
 * task folders are kept, a half-written one was never visible, and a half-loaded run is reloaded by the writer.
 */
public final class AtlasBuild {

    /**
     * What a task on the database works with.
     *
     * @param plan    the plan
     * @param keys    every task's key
     * @param results the folder of task folders and state
     * @param db      the atlas database
     * @param engine  the compute engine (encoding, decoder cosine)
     * @param out     where the task prints
     */
    public record Context(AtlasPlan plan, TaskKeys keys, Path results, AtlasDatabase db, ComputeEngine engine,
                          PrintStream out) { }

    /** How a task ended in this build. */
    public enum Outcome { COMPUTED, REUSED, LOADED, DONE, FAILED, SKIPPED }

    /** One task's outcome: {@code detail} says why it failed or was skipped. */
    public record TaskResult(AtlasPlan.Task task, Outcome outcome, String detail, double seconds) { }

    private final AtlasPlan plan;
    private final TaskKeys keys;
    private final Path results;
    private final ComputeEngine engine;
    private final PrintStream out;
    private final Map<String, TaskResult> outcomes = new LinkedHashMap<>();
    private final Map<String, Double> loadSeconds = new LinkedHashMap<>();

    public AtlasBuild(AtlasPlan plan, Path results, ComputeEngine engine, PrintStream out) {
        ConnectStep.checkAvailable(plan);
        this.plan = plan;
        this.results = results.toAbsolutePath().normalize();
        this.engine = engine;
        this.out = out;
        this.keys = new TaskKeys(plan, this.results);
    }

    public TaskKeys keys() {
        return keys;
    }

    public Path results() {
        return results;
    }

    /** Outcomes so far, in the order tasks ended. */
    public Map<String, TaskResult> outcomes() {
        return outcomes;
    }

    /** Seconds each SAE task's folder took to load in this build (absent: not loaded now). */
    public Map<String, Double> loadSeconds() {
        return loadSeconds;
    }

    /** The folder of a SAE task for its current key (finished or not). */
    public Path folder(AtlasPlan.Task t) {
        return TaskState.folder(results, t.id(), keys.key(t.id()));
    }

    // ---------------------------------------------------------------- compute

    /**
     * Computes one SAE task into its task folder (no database); a folder already there for the same key is kept.
     * A failure is recorded in the state folder and thrown.
     */
    public Path compute(AtlasPlan.Task t, int threads, PrintStream log) {
        if (!t.kind().compute()) {
            throw new AtlasException("task " + t.id() + " (" + t.kind() + ") works on the database; only SAE tasks"
                    + " are computed on their own");
        }
        Path folder = folder(t);
        if (TaskFolder.finished(folder)) {
            log.println(t.id() + ": already computed (" + folder.getFileName() + ")");
            return folder;
        }
        long t0 = System.nanoTime();
        AtlasFile.Sae s = plan.file().sae(t.saes().get(0));
        try (TaskFolder.Writer writer = TaskFolder.writer(folder)) {
            SaeInput in = SaeTaskInput.read(s, engine, threads, log);
            writer.model(model(s.model()));
            CoActivationParameters co = CoActivationParameters.defaults();
            SaeLoader.offline(log, writer.runsDir(), engine.cosine()).load(in,
                    new CoActivationParameters(co.minCount(), co.minAbsCorrelation(), co.topK(), Math.max(1, threads)),
                    s.settings().dependence() ? s.settings().stability(threads) : null, Map.of(), writer);
            Path done = writer.commit(t.id(), keys.key(t.id()), keys.basis(t.id()).asMap(),
                    (System.nanoTime() - t0) / 1e9);
            TaskState.clear(results, t.id());
            log.println(t.id() + ": computed into " + done.getFileName());
            return done;
        } catch (RuntimeException | OutOfMemoryError e) {
            TaskState.recordFailure(results, t.id(), keys.key(t.id()), e, keys.basis(t.id()));
            throw e;
        }
    }

    private Rows.ModelRow model(String id) {
        for (AtlasFile.Model m : plan.file().models()) {
            if (m.id().equals(id)) {
                return new Rows.ModelRow(m.id(), m.name());
            }
        }
        return new Rows.ModelRow(id, id);
    }

    /**
     * Computes every SAE task whose folder is missing: up to {@code jobs} at a time while their memory estimates
     * fit in {@code memoryBudget} bytes (a task larger than the budget runs alone), with one progress display.
     */
    public void computeMissing(int jobs, long memoryBudget) {
        out.println("checking the inputs of " + plan.computeCount() + " SAE tasks (SHA-256, cached by size and"
                + " time) ...");
        List<AtlasPlan.Task> todo = new ArrayList<>();
        for (AtlasPlan.Task t : plan.computeTasks()) {
            if (TaskFolder.finished(folder(t))) {
                outcomes.put(t.id(), new TaskResult(t, Outcome.REUSED, null, 0));
            } else {
                todo.add(t);
            }
        }
        int reused = plan.computeCount() - todo.size();
        out.printf(Locale.ROOT, "compute: %d of %d SAE tasks to do (%d already computed), %d at a time within %s%n",
                todo.size(), plan.computeCount(), reused, Math.max(1, jobs), bytes(memoryBudget));
        if (todo.isEmpty()) {
            return;
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, jobs));
        Display display = new Display(todo, out);
        Deque<AtlasPlan.Task> pending = new ArrayDeque<>(todo);
        Object lock = new Object();
        long[] used = {0};
        int[] running = {0};
        List<Thread> threadsStarted = new ArrayList<>();
        display.start();
        try {
            while (!pending.isEmpty()) {
                AtlasPlan.Task next = pending.peekFirst();
                synchronized (lock) {
                    while (running[0] > 0 && (running[0] >= Math.max(1, jobs)
                            || used[0] + next.memoryEstimate() > memoryBudget)) {
                        lock.wait();
                    }
                    pending.removeFirst();
                    running[0]++;
                    used[0] += next.memoryEstimate();
                }
                Thread th = new Thread(() -> {
                    TaskOutput o = new TaskOutput(results.resolve("logs").resolve(TaskFolder.name(next.id(),
                            keys.key(next.id())) + ".log"));
                    display.started(next, o);
                    long t0 = System.nanoTime();
                    try (PrintStream log = o.stream()) {
                        try {
                            compute(next, threads, log);
                            record(new TaskResult(next, Outcome.COMPUTED, null, (System.nanoTime() - t0) / 1e9));
                            display.finished(next, null);
                        } catch (RuntimeException | OutOfMemoryError e) {
                            e.printStackTrace(log);
                            String first = firstLine(e);
                            record(new TaskResult(next, Outcome.FAILED, first, (System.nanoTime() - t0) / 1e9));
                            display.finished(next, first);
                        }
                    } finally {
                        synchronized (lock) {
                            running[0]--;
                            used[0] -= next.memoryEstimate();
                            lock.notifyAll();
                        }
                    }
                }, "atlas-task-" + next.index());
                th.setDaemon(true);
                threadsStarted.add(th);
                th.start();
            }
            for (Thread th : threadsStarted) {
                th.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AtlasException("build interrupted; finished task folders are kept, re-run to resume", e);
        } finally {
            display.stop();
        }
    }

    private synchronized void record(TaskResult r) {
        outcomes.put(r.task().id(), r);
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    // ---------------------------------------------------------------- load and tasks on the database

    /**
     * Loads every finished SAE task folder of the plan into {@code db} (skipping those whose runs are complete there),
     * then runs the tasks on the database in plan order. Tasks whose SAE folder is missing or failed are skipped with
     * their dependants.
     */
    public void loadAndRun(AtlasDatabase db) {
        Context context = new Context(plan, keys, results, db, engine, out);
        List<AtlasPlan.Task> saeTasks = plan.computeTasks();
        int k = 0;
        for (AtlasPlan.Task t : saeTasks) {
            k++;
            TaskResult before = outcomes.get(t.id());
            if (before != null && before.outcome() == Outcome.FAILED) {
                continue;
            }
            Path folder = folder(t);
            if (!TaskFolder.finished(folder)) {
                TaskState.Record r = TaskState.read(results, t.id());
                String why = r != null && "failed".equals(r.status()) && keys.key(t.id()).equals(r.key())
                        ? "failed: " + r.error() : "not computed (no task folder " + folder.getFileName() + " in "
                        + results + ")";
                record(new TaskResult(t, r != null && why.startsWith("failed") ? Outcome.FAILED : Outcome.SKIPPED,
                        why, 0));
                continue;
            }
            long t0 = System.nanoTime();
            TaskFolder.Manifest m = TaskFolder.manifest(folder);
            if (loaded(db, m)) {
                out.printf(Locale.ROOT, "[load %d/%d] %s: already loaded%n", k, saeTasks.size(), t.id());
            } else {
                out.printf(Locale.ROOT, "[load %d/%d] %s ...%n", k, saeTasks.size(), t.id());
                TaskFolder.replay(m, new AtlasWriter(db.cypher(), new ProgressPrinter(out)));
                loadSeconds.put(t.id(), (System.nanoTime() - t0) / 1e9);
                out.printf(Locale.ROOT, "[load %d/%d] %s: loaded in %.1fs%n", k, saeTasks.size(), t.id(),
                        (System.nanoTime() - t0) / 1e9);
            }
            supersede(db, t.id(), m.runs().stream().map(r -> r.run().id()).toList());
            if (before == null) {
                record(new TaskResult(t, Outcome.LOADED, null, (System.nanoTime() - t0) / 1e9));
            }
        }
        List<AtlasPlan.Task> onDb = plan.tasks().stream().filter(t -> !t.kind().compute()).toList();
        k = 0;
        for (AtlasPlan.Task t : onDb) {
            k++;
            String blocked = null;
            for (String d : t.dependsOn()) {
                TaskResult r = outcomes.get(d);
                if (r == null || r.outcome() == Outcome.FAILED || r.outcome() == Outcome.SKIPPED) {
                    blocked = d + (r == null ? " did not run" : r.outcome() == Outcome.FAILED ? " failed"
                            : " was skipped");
                    break;
                }
            }
            String prefix = String.format(Locale.ROOT, "[%s %d/%d] %s", t.kind().name().toLowerCase(Locale.ROOT), k,
                    onDb.size(), t.id());
            if (blocked != null) {
                out.println(prefix + ": skipped, " + blocked);
                record(new TaskResult(t, Outcome.SKIPPED, blocked, 0));
                continue;
            }
            String key = keys.key(t.id());
            TaskState.Record r = TaskState.read(results, t.id());
            if (r != null && "done".equals(r.status()) && key.equals(r.key()) && stored(db, r.stored())) {
                supersede(db, t.id(), r.stored().getOrDefault("runs", List.of()));
                out.println(prefix + ": already done");
                record(new TaskResult(t, Outcome.REUSED, null, 0));
                continue;
            }
            long t0 = System.nanoTime();
            out.println(prefix + " ...");
            try {
                Map<String, List<String>> stored = runOnDatabase(t, context);
                TaskState.recordDone(results, t.id(), key, keys.basis(t.id()), stored);
                supersede(db, t.id(), stored.getOrDefault("runs", List.of()));
                double secs = (System.nanoTime() - t0) / 1e9;
                out.printf(Locale.ROOT, "%s: done in %.1fs%n", prefix, secs);
                record(new TaskResult(t, Outcome.DONE, null, secs));
            } catch (RuntimeException e) {
                TaskState.recordFailure(results, t.id(), key, e, keys.basis(t.id()));
                out.println(prefix + ": FAILED: " + firstLine(e));
                record(new TaskResult(t, Outcome.FAILED, firstLine(e), (System.nanoTime() - t0) / 1e9));
            }
        }
    }

    /** True when every run of the task folder is complete in the database. */
    static boolean loaded(AtlasDatabase db, TaskFolder.Manifest m) {
        List<String> ids = m.runs().stream().map(r -> r.run().id()).toList();
        return db.cypher().read("""
                MATCH (s:Sae {id: $sae})
                OPTIONAL MATCH (r:Run) WHERE r.id IN $ids AND r.status = $complete
                RETURN count(DISTINCT r) AS n""", Map.of("sae", m.sae().id(), "ids", ids,
                "complete", Vocabulary.STATUS_COMPLETE)).stream()
                .anyMatch(rec -> ((Number) rec.get("n")).longValue() == ids.size());
    }

    /**
     * Marks {@code current} (the runs this build of task {@code taskId} loaded or made) as the task's, then deletes
     * the task's other runs: those an earlier build of it loaded from other inputs or settings (superseded), with
     * their edges and what was derived from them (community analyses, comparisons, structural matches). Runs
     * loaded by hand carry no task and are never touched. Called only once the current runs are complete, so an
     * interrupted build never leaves a task with neither its old nor its new runs; the earlier task folder stays
     * under the results folder, so reverting the change loads the old runs again without computing.
     */
    static List<String> supersede(AtlasDatabase db, String taskId, List<String> current, PrintStream out) {
        db.cypher().write("MATCH (r:Run) WHERE r.id IN $ids SET r." + Vocabulary.ATLAS_TASK + " = $task",
                Map.of("ids", current, "task", taskId));
        List<String> old = db.cypher().read("MATCH (r:Run) WHERE r." + Vocabulary.ATLAS_TASK + " = $task"
                + " AND NOT r.id IN $ids RETURN r.id AS id ORDER BY id", Map.of("ids", current, "task", taskId))
                .stream().map(row -> (String) row.get("id")).toList();
        RunStore store = new RunStore(db.cypher());
        for (String id : old) {
            RunStore.Deleted d = store.deleteRun(id, new ProgressPrinter(out));
            out.printf(Locale.ROOT, "  %s: deleted the superseded run %s (an earlier build of this task): %,d edges,"
                    + " %,d community analyses, %,d comparisons%s%n", taskId, id, d.edges(), d.analyses(),
                    d.comparisons(), d.runs() > 1 ? ", " + (d.runs() - 1) + " runs built on it" : "");
        }
        return old;
    }

    private void supersede(AtlasDatabase db, String taskId, List<String> current) {
        supersede(db, taskId, current, out);
    }

    /** True when everything a task recorded as stored is in the database. */
    static boolean stored(AtlasDatabase db, Map<String, List<String>> stored) {
        if (stored == null) {
            return false;
        }
        List<String> runs = stored.getOrDefault("runs", List.of());
        List<String> analyses = stored.getOrDefault("analyses", List.of());
        List<String> comparisons = stored.getOrDefault("comparisons", List.of());
        Map<String, Object> row = db.cypher().read("""
                CALL { MATCH (r:Run) WHERE r.id IN $runs AND r.status = $c RETURN count(r) AS r }
                CALL { MATCH (a:Analysis) WHERE a.id IN $analyses AND a.status = $c RETURN count(a) AS a }
                CALL { MATCH (x:Comparison) WHERE x.id IN $comparisons RETURN count(x) AS x }
                RETURN r, a, x""", Map.of("runs", runs, "analyses", analyses, "comparisons", comparisons,
                "c", Vocabulary.STATUS_COMPLETE)).get(0);
        return ((Number) row.get("r")).longValue() == runs.size()
                && ((Number) row.get("a")).longValue() == analyses.size()
                && ((Number) row.get("x")).longValue() == comparisons.size();
    }

    private TaskFolder.Manifest manifest(String sae) {
        return TaskFolder.manifest(folder(plan.task(AtlasPlan.saeTaskId(sae))));
    }

    private String runOf(String sae, String kind) {
        for (TaskFolder.RunEntry r : manifest(sae).runs()) {
            if (r.run().kind().equals(kind)) {
                return r.run().id();
            }
        }
        return null;
    }

    private Map<String, List<String>> runOnDatabase(AtlasPlan.Task t, Context c) {
        Map<String, List<String>> stored = new LinkedHashMap<>();
        switch (t.kind()) {
            case ANALYSE -> {
                RunAnalysis analysis = new RunAnalysis(c.db().cypher(), c.out());
                List<String> ids = new ArrayList<>();
                for (String kind : List.of(Vocabulary.KIND_COACTIVATION, Vocabulary.KIND_DEPENDENCE)) {
                    String run = runOf(t.saes().get(0), kind);
                    if (run != null) {
                        RunAnalysis.Result a = analysis.analyse(run, AnalysisParameters.defaults());
                        c.out().printf(Locale.ROOT, "  %s: %,d components, %,d communities, modularity %.3f%n", kind,
                                a.components(), a.communities(), a.modularity());
                        ids.add(a.analysisId());
                    }
                }
                stored.put("analyses", ids);
            }
            case MATCH -> stored.put("runs", match(t, c));
            case COMPARE -> {
                String a = runOf(t.saes().get(0), Vocabulary.KIND_COACTIVATION);
                String b = runOf(t.saes().get(1), Vocabulary.KIND_COACTIVATION);
                MatchLoader.Summary s = new MatchLoader(c.db().cypher(), c.out(), c.engine().cosine())
                        .loadStructural(a, b, MatchParameters.defaults());
                RunComparison comparison = new RunComparison(c.db().cypher(), c.out());
                RunComparison.Result r = comparison.compare(a, b, null, ComparisonParameters.defaults());
                comparison.print(r);
                stored.put("runs", List.of(s.run()));
                stored.put("comparisons", List.of(r.id()));
            }
            case CONNECT -> stored.put("runs", ConnectStep.run(t, c));
            default -> throw new IllegalStateException(t.kind() + " is a compute task");
        }
        return stored;
    }

    private List<String> match(AtlasPlan.Task t, Context c) {
        AtlasFile.Sae a = plan.file().sae(t.saes().get(0));
        AtlasFile.Sae b = plan.file().sae(t.saes().get(1));
        List<String> similarities = plan.file().similarities();
        MatchLoader loader = new MatchLoader(c.db().cypher(), c.out(), c.engine().cosine());
        List<String> runs = new ArrayList<>();
        boolean cosine = similarities.contains(AtlasFile.DECODER_COSINE) && a.inputs().saelens() != null
                && b.inputs().saelens() != null;
        boolean correlation = similarities.contains(AtlasFile.ACTIVATION_CORRELATION)
                && a.inputs().activations() != null && b.inputs().activations() != null;
        if (!cosine && !correlation) {
            throw new AtlasException("matching " + a.id() + " with " + b.id() + ": " + String.join(" or ", similarities)
                    + " needs both SAEs' " + (similarities.contains(AtlasFile.DECODER_COSINE) ? "saelens folders"
                    : "activations over the same tokens") + " in the atlas file");
        }
        if (cosine) {
            runs.add(loader.load(side(a, true, false), side(b, true, false), Similarity.DECODER_COSINE,
                    MatchParameters.defaults()).run());
        }
        if (correlation) {
            runs.add(loader.load(side(a, false, true), side(b, false, true), Similarity.ACTIVATION_CORRELATION,
                    MatchParameters.defaults()).run());
        }
        return runs;
    }

    private static MatchLoader.Side side(AtlasFile.Sae s, boolean decoder, boolean activations) {
        SaeWeights w = decoder ? SaeLensFolder.read(s.inputs().saelens()) : null;
        var x = activations ? ActivationFiles.read(s.inputs().activations()) : null;
        int width = w != null ? w.dSae() : x.featureCount();
        return new MatchLoader.Side(s.id(), width, w == null ? null : w.wDec(), w == null ? 0 : w.dIn(), x);
    }

    // ---------------------------------------------------------------- summary

    /** Prints the summary table: per SAE features, L0/FVU, edges per kind, r*, seconds; then the other tasks. */
    public void printSummary() {
        out.println();
        out.printf(Locale.ROOT, "%-28s %8s %7s %7s %10s %10s %10s %7s %4s %8s  %s%n", "SAE", "features", "L0", "FVU",
                "co-act.", "cosine", "dependence", "stable", "r*", "seconds", "");
        for (AtlasPlan.Task t : plan.computeTasks()) {
            TaskResult r = outcomes.get(t.id());
            Path folder = folder(t);
            String sae = t.saes().get(0);
            if (!TaskFolder.finished(folder)) {
                out.printf(Locale.ROOT, "%-28s %s%n", sae, r == null ? "not computed"
                        : r.outcome().name().toLowerCase(Locale.ROOT) + (r.detail() == null ? "" : ": " + r.detail()));
                continue;
            }
            TaskFolder.Manifest m = TaskFolder.manifest(folder);
            Map<String, Long> edges = new LinkedHashMap<>();
            Object rStar = null;
            Object stable = null;
            for (TaskFolder.RunEntry e : m.runs()) {
                edges.put(e.run().kind(), e.edges());
                if (Vocabulary.KIND_DEPENDENCE.equals(e.run().kind())) {
                    rStar = e.run().properties().get("rStar");
                    stable = e.run().properties().get("stableEdges");
                }
            }
            out.printf(Locale.ROOT, "%-28s %,8d %7s %7s %10s %10s %10s %7s %4s %8.1f  %s%n", sae, m.sae().width(),
                    m.sae().l0() == null ? "-" : String.format(Locale.ROOT, "%.1f", m.sae().l0()),
                    m.sae().fvu() == null ? "-" : String.format(Locale.ROOT, "%.3f", m.sae().fvu()),
                    count(edges.get(Vocabulary.KIND_COACTIVATION)), count(edges.get("cosine")),
                    count(edges.get(Vocabulary.KIND_DEPENDENCE)), stable == null ? "-" : String.format(Locale.ROOT,
                            "%,d", ((Number) stable).longValue()),
                    rStar == null ? "-" : rStar.toString(), m.seconds(),
                    r == null ? "" : r.outcome() == Outcome.COMPUTED ? "computed now" : "computed earlier");
        }
        for (AtlasPlan.Task t : plan.tasks()) {
            if (t.kind().compute()) {
                continue;
            }
            TaskResult r = outcomes.get(t.id());
            out.printf(Locale.ROOT, "%-40s %s%n", t.id(), r == null ? "not run" : r.outcome() == Outcome.REUSED
                    ? "done earlier" : r.outcome().name().toLowerCase(Locale.ROOT)
                    + (r.seconds() > 0 ? String.format(Locale.ROOT, " in %.1fs", r.seconds()) : "")
                    + (r.detail() == null ? "" : ": " + r.detail()));
        }
    }

    /** Tasks that failed in this build. */
    public List<TaskResult> failures() {
        return outcomes.values().stream().filter(r -> r.outcome() == Outcome.FAILED).toList();
    }

    private static String count(Long n) {
        return n == null ? "-" : String.format(Locale.ROOT, "%,d", n);
    }

    static String bytes(long b) {
        return b >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d MiB", b >> 20);
    }

    /** True when {@code results} holds no task folder yet. */
    static boolean empty(Path results) {
        return !Files.isDirectory(results) || TaskState.folders(results).isEmpty();
    }

    /** The one progress display of the compute step: tasks done/running/left, each running task's stage, an ETA. */
    private static final class Display {
        private final PrintStream out;
        private final int total;
        private final long totalWeight;
        private final Map<String, TaskOutput> running = new LinkedHashMap<>();
        private final Map<String, Long> weights = new LinkedHashMap<>();
        private int done;
        private int failed;
        private long doneWeight;
        private final long t0 = System.nanoTime();
        private final boolean tty = System.console() != null;
        private Thread ticker;
        private String last = "";
        private long lastPrint;

        Display(List<AtlasPlan.Task> tasks, PrintStream out) {
            this.out = out;
            this.total = tasks.size();
            long w = 0;
            for (AtlasPlan.Task t : tasks) {
                weights.put(t.id(), Math.max(1, t.memoryEstimate()));
                w += Math.max(1, t.memoryEstimate());
            }
            this.totalWeight = w;
        }

        void start() {
            ticker = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(1000);
                        print(false);
                    }
                } catch (InterruptedException e) {
                    // stopped
                }
            }, "atlas-progress");
            ticker.setDaemon(true);
            ticker.start();
        }

        void stop() {
            if (ticker != null) {
                ticker.interrupt();
            }
            print(true);
            if (tty) {
                out.println();
            }
        }

        synchronized void started(AtlasPlan.Task t, TaskOutput o) {
            running.put(t.id(), o);
            line(t.id() + ": started");
        }

        synchronized void finished(AtlasPlan.Task t, String error) {
            running.remove(t.id());
            done++;
            doneWeight += weights.get(t.id());
            if (error != null) {
                failed++;
            }
            line(t.id() + (error == null ? ": done" : ": FAILED: " + error));
        }

        private void line(String s) {
            if (tty) {
                out.print("\r\033[K");
            }
            out.println(s);
            print(true);
        }

        synchronized void print(boolean force) {
            double elapsed = (System.nanoTime() - t0) / 1e9;
            String eta = doneWeight == 0 ? "ETA ?" : "ETA " + duration(elapsed * (totalWeight - doneWeight)
                    / doneWeight);
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "compute %d/%d done%s, %d running, %d left,"
                    + " %s, %s", done, total, failed > 0 ? " (" + failed + " failed)" : "", running.size(),
                    total - done - running.size(), duration(elapsed) + " elapsed", eta));
            for (Map.Entry<String, TaskOutput> e : running.entrySet()) {
                String stage = e.getValue().stage();
                s.append(" | ").append(e.getKey()).append(": ").append(stage.length() > 70
                        ? stage.substring(0, 70) + "..." : stage);
            }
            String text = s.toString();
            long now = System.nanoTime();
            if (tty) {
                out.print("\r\033[K" + (text.length() > 230 ? text.substring(0, 230) : text));
                out.flush();
            } else if (force || (!text.equals(last) && now - lastPrint > 10_000_000_000L)) {
                out.println(text);
                lastPrint = now;
            }
            last = text;
        }

        private static String duration(double s) {
            long x = Math.round(s);
            return x >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", x / 3600, x % 3600 / 60)
                    : String.format(Locale.ROOT, "%dm%02ds", x / 60, x % 60);
        }
    }
}
