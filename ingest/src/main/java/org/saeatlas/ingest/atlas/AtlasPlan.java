package org.saeatlas.ingest.atlas;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;

/**
 * What an atlas file asks for, as tasks in a fixed order with fixed ids (the same file gives the same plan on every
 * machine). Compute tasks ({@link Kind#SAE}: one SAE's statistics and graphs, written to a task folder, no
 * database) come first, so compute task {@code i} is {@code tasks().get(i)} and a scheduler's array index is the
 * task index. The other tasks work on the loaded atlas (the database) and run after the load, in order.
 */
public final class AtlasPlan {

    public enum Kind {
        /** One SAE: features, statistics, co-activation, decoder cosine, stable dependence graph (compute only). */
        SAE,
        /** Communities (WCC + Leiden) of an SAE's co-activation and dependence runs, in the database. */
        ANALYSE,
        /** Feature matches between two SAEs (decoder cosine, activation correlation). */
        MATCH,
        /** Two SAEs' graphs compared through their matches (structural match, JSD, edge overlap, ARI/NMI). */
        COMPARE,
        /** Layer-to-layer connections from an upstream SAE to a downstream one (see {@link ConnectStep}). */
        CONNECT;

        /** Whether tasks of this kind compute without a database (on a cluster node). */
        public boolean compute() {
            return this == SAE;
        }
    }

    /**
     * One task.
     *
     * @param index          position in the plan (compute tasks first: a scheduler's array index)
     * @param id             stable id: {@code sae:<id>}, {@code analyse:<id>}, {@code match:<a>~<b>},
     *                       {@code compare:<a>~<b>}, {@code connect:<up>><down>}
     * @param kind           what it does
     * @param saes           the SAE ids it works on (one, or two in order: A/B, upstream/downstream)
     * @param inputs         the input files it reads, by role (e.g. {@code activations}, {@code A.saelens})
     * @param dependsOn      ids of the tasks that must be done first
     * @param memoryEstimate bytes of heap it is expected to need (a rough estimate from its input sizes)
     * @param cpus           cores it can use well
     */
    public record Task(int index, String id, Kind kind, List<String> saes, Map<String, Path> inputs,
                       List<String> dependsOn, long memoryEstimate, int cpus) {

        public Task {
            saes = List.copyOf(saes);
            inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
            dependsOn = List.copyOf(dependsOn);
        }
    }

    private final AtlasFile file;
    private final List<Task> tasks;
    private final Map<String, Task> byId;

    private AtlasPlan(AtlasFile file, List<Task> tasks) {
        this.file = file;
        this.tasks = List.copyOf(tasks);
        Map<String, Task> m = new LinkedHashMap<>();
        for (Task t : tasks) {
            m.put(t.id(), t);
        }
        this.byId = Collections.unmodifiableMap(m);
    }

    public AtlasFile file() {
        return file;
    }

    /** Every task in plan order. */
    public List<Task> tasks() {
        return tasks;
    }

    /** The compute tasks (the first {@code computeCount()} tasks). */
    public List<Task> computeTasks() {
        return tasks.stream().filter(t -> t.kind().compute()).toList();
    }

    public int computeCount() {
        return (int) tasks.stream().filter(t -> t.kind().compute()).count();
    }

    public Task task(String id) {
        Task t = byId.get(id);
        if (t == null) {
            throw new AtlasException("no task '" + id + "' in the plan of " + file.file());
        }
        return t;
    }

    /** Compute task {@code index}; refused, with the range, when there is none. */
    public Task computeTask(int index) {
        int n = computeCount();
        if (index < 0 || index >= n) {
            throw new AtlasException("--index: expected a compute task index in 0.." + (n - 1) + " (" + n
                    + " compute tasks in " + file.file() + "), found " + index);
        }
        return tasks.get(index);
    }

    public static String saeTaskId(String sae) {
        return "sae:" + sae;
    }

    /** The plan of {@code file}. */
    public static AtlasPlan of(AtlasFile file) {
        List<Task> out = new ArrayList<>();
        for (AtlasFile.Sae s : file.saes()) {
            out.add(new Task(out.size(), saeTaskId(s.id()), Kind.SAE, List.of(s.id()), s.inputs().byRole(), List.of(),
                    memory(s), cpus(s)));
        }
        for (AtlasFile.Sae s : file.saes()) {
            if (s.settings().communities()) {
                out.add(new Task(out.size(), "analyse:" + s.id(), Kind.ANALYSE, List.of(s.id()), Map.of(),
                        List.of(saeTaskId(s.id())), 0, 1));
            }
        }
        List<AtlasFile.Pair> matches = new ArrayList<>(file.matches());
        for (AtlasFile.Pair c : file.comparisons()) {
            if (matches.stream().noneMatch(m -> same(m, c))) {
                matches.add(new AtlasFile.Pair(c.a(), c.b(), "for comparison"));
            }
        }
        Map<String, String> matchOf = new HashMap<>();
        for (AtlasFile.Pair p : matches) {
            String id = "match:" + p.a() + "~" + p.b();
            matchOf.put(p.a() + "\0" + p.b(), id);
            matchOf.put(p.b() + "\0" + p.a(), id);
            Map<String, Path> in = new LinkedHashMap<>();
            for (String side : List.of("A", "B")) {
                AtlasFile.Sae s = file.sae(side.equals("A") ? p.a() : p.b());
                if (s.inputs().saelens() != null) {
                    in.put(side + ".saelens", s.inputs().saelens());
                }
                if (file.similarities().contains(AtlasFile.ACTIVATION_CORRELATION) && s.inputs().activations() != null) {
                    in.put(side + ".activations", s.inputs().activations());
                }
            }
            out.add(new Task(out.size(), id, Kind.MATCH, List.of(p.a(), p.b()), in,
                    List.of(saeTaskId(p.a()), saeTaskId(p.b())), 0, 1));
        }
        for (AtlasFile.Pair p : file.comparisons()) {
            List<String> deps = new ArrayList<>();
            deps.add(matchOf.get(p.a() + "\0" + p.b()));
            for (String s : List.of(p.a(), p.b())) {
                deps.add(file.sae(s).settings().communities() ? "analyse:" + s : saeTaskId(s));
            }
            out.add(new Task(out.size(), "compare:" + p.a() + "~" + p.b(), Kind.COMPARE, List.of(p.a(), p.b()),
                    Map.of(), deps, 0, 1));
        }
        for (AtlasFile.Pair p : file.connections()) {
            out.add(new Task(out.size(), "connect:" + p.a() + ">" + p.b(), Kind.CONNECT, List.of(p.a(), p.b()),
                    Map.of(), List.of(saeTaskId(p.a()), saeTaskId(p.b())), 0, 1));
        }
        AtlasPlan plan = new AtlasPlan(file, out);
        plan.checkAcyclic();
        return plan;
    }

    private static boolean same(AtlasFile.Pair x, AtlasFile.Pair y) {
        return x.a().equals(y.a()) && x.b().equals(y.b()) || x.a().equals(y.b()) && x.b().equals(y.a());
    }

    /** Every dependency names an earlier task: the order is a topological order, so there is no cycle. */
    private void checkAcyclic() {
        Map<String, Integer> at = new HashMap<>();
        for (Task t : tasks) {
            at.put(t.id(), t.index());
        }
        for (Task t : tasks) {
            for (String d : t.dependsOn()) {
                Integer i = at.get(d);
                if (i == null || i >= t.index()) {
                    throw new AtlasException(file.file() + ": task " + t.id() + " depends on " + d
                            + (i == null ? ", which is not in the plan" : ", which does not come before it (a cycle)"));
                }
            }
        }
    }

    /**
     * A rough heap estimate for one SAE task: 256 MiB, plus four times the activations' bytes on disk (the matrix,
     * one trial's copy, the null copy, membership lanes), plus three times the SAELens weights (read, widened,
     * decoder kept), plus twice the residuals when they are encoded.
     */
    static long memory(AtlasFile.Sae s) {
        long bytes = 256L << 20;
        bytes += 4 * size(s.inputs().activations());
        bytes += 3 * size(s.inputs().saelens());
        bytes += 2 * size(s.inputs().residuals());
        return bytes;
    }

    static int cpus(AtlasFile.Sae s) {
        Integer w = s.width();
        return w == null ? 2 : w <= 4096 ? 1 : w <= 32768 ? 2 : 4;
    }

    private static long size(Path p) {
        if (p == null) {
            return 0;
        }
        try (var files = Files.walk(p)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (java.io.IOException e) {
                    return 0;
                }
            }).sum();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
