package org.saeatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.atlas.DemoFiles;
import org.saeatlas.ingest.atlas.TaskFolder;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * The Slurm plan run for real, on a one-node Slurm started on this machine by .ci/slurm-up (Debian's slurm-wlm and
 * munge, which .ci/run installs; skipped with the reason where they are missing or not root): a small generated
 * release (one layer, two seeds) is planned with {@code atlas plan --slurm}, submitted, its compute array killed
 * by the scheduler after the first task (as a time limit or preemption would), submitted again, and the atlas the
 * load job built must equal a local {@code atlas build} of the same file: the same runs with the same edges.
 */
class SlurmClusterIT {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path CLUSTER = Path.of("target", "slurm-it").toAbsolutePath();
    static Map<String, String> slurmEnv;

    @TempDir
    Path dir;

    record Result(int exit, String out) { }

    static Result run(Path cwd, int timeoutSeconds, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
            if (slurmEnv != null) {
                pb.environment().putAll(slurmEnv);
            }
            Path log = Files.createTempFile("slurm-it-", ".log");
            Process p = pb.redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not end in " + timeoutSeconds + " s: "
                        + Files.readString(log));
            }
            String out = Files.readString(log);
            Files.delete(log);
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static boolean onPath(String tool) {
        return run(ROOT, 10, "sh", "-c", "command -v " + tool).exit() == 0;
    }

    @BeforeAll
    static void startSlurm() {
        for (String tool : List.of("sbatch", "slurmctld", "slurmd", "munged")) {
            assumeTrue(onPath(tool), tool + " is not installed (.ci/run installs slurm-wlm and munge)");
        }
        assumeTrue("0".equals(run(ROOT, 10, "id", "-u").out().strip()), "a one-node Slurm here needs root");
        long t = System.nanoTime();
        Result up = run(ROOT, 120, "bash", ".ci/slurm-up", CLUSTER.toString());
        assertEquals(0, up.exit(), ".ci/slurm-up failed:\n" + up.out());
        Matcher conf = Pattern.compile("(?m)^SLURM_CONF=(.+)$").matcher(up.out());
        assertTrue(conf.find(), up.out());
        slurmEnv = Map.of("SLURM_CONF", conf.group(1).strip());
        System.out.printf("SlurmClusterIT: one-node Slurm up in %.1f s%n", (System.nanoTime() - t) / 1e9);
    }

    @AfterAll
    static void stopSlurm() {
        if (slurmEnv != null) {
            run(ROOT, 60, "bash", ".ci/slurm-down", CLUSTER.toString());
        }
    }

    static String atlas(String... args) {
        AtlasCli.Run r = AtlasCli.run(args);
        String text = r.out() + r.err();
        assertEquals(0, r.exit(), "atlas " + String.join(" ", args) + ":\n" + text);
        return text;
    }

    /** The job ids submit.sh printed: compute arrays, then the load. */
    record Submitted(List<String> compute, String load) {
        List<String> all() {
            List<String> a = new ArrayList<>(compute);
            a.add(load);
            return a;
        }
    }

    Submitted submit(Path jobs) {
        Result r = run(dir, 60, "bash", jobs.resolve("submit.sh").toString());
        assertEquals(0, r.exit(), r.out());
        Matcher c = Pattern.compile("(?m)^compute: ([0-9 ]+)$").matcher(r.out());
        Matcher l = Pattern.compile("(?m)^load: ([0-9]+) ").matcher(r.out());
        assertTrue(c.find() && l.find(), r.out());
        return new Submitted(Arrays.asList(c.group(1).strip().split(" ")), l.group(1));
    }

    /** Every state of the job's elements (an array has one per element). */
    List<String> states(String job) {
        Result r = run(dir, 30, "scontrol", "show", "job", job);
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("JobState=(\\w+)").matcher(r.out());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    boolean running(String element) {
        return run(dir, 30, "squeue", "-h", "-t", "RUNNING", "-o", "%i").out().lines()
                .anyMatch(l -> l.strip().equals(element));
    }

    boolean queued(Submitted s) {
        return !run(dir, 30, "squeue", "-h", "-o", "%i", "-j", String.join(",", s.all())).out().isBlank();
    }

    void await(String what, int seconds, BooleanSupplier done, Path jobs) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "\nsqueue:\n"
                        + run(dir, 30, "squeue").out() + "\nlogs:\n" + logs(jobs));
            }
            Thread.sleep(200);
        }
    }

    static String logs(Path jobs) throws IOException {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> files = Files.list(jobs.resolve("logs"))) {
            for (Path f : files.sorted().toList()) {
                s.append("== ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        }
        return s.toString();
    }

    static List<Path> finished(Path results) throws IOException {
        if (!Files.isDirectory(results)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(results)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".") && TaskFolder.finished(p)).sorted()
                    .toList();
        }
    }

    @Test
    void theSlurmBuildResumesAfterTheSchedulerKillsItAndEqualsTheLocalBuild() throws Exception {
        // a small release: one layer, two seeds of a 256-feature SAE over 6,000 tokens, 10+10 trials
        Path atlasFile = DemoFiles.write(dir.resolve("release"),
                new DemoParameters(20261205L, 256, 6_000, 16, 6, 4, 4, 0.8), 1, System.out);
        Files.writeString(atlasFile, Files.readString(atlasFile).replace("defaults:", "defaults:\n  resamples: 10"));
        long t = System.nanoTime();
        String build = atlas("build", atlasFile.toString(), "--data", dir.resolve("local").toString());
        System.out.printf("SlurmClusterIT: local build in %.1f s; its summary:%n", (System.nanoTime() - t) / 1e9);
        List<String> lines = build.lines().toList();
        lines.subList(Math.max(0, lines.size() - 10), lines.size()).forEach(System.out::println);

        Path jobs = dir.resolve("jobs");
        Path data = dir.resolve("cluster");
        Path results = data.resolve("results");
        // one element at a time, so the scheduler's kill comes after the first task and before the second ends
        atlas("plan", atlasFile.toString(), "--slurm", jobs.toString(), "--data", data.toString(), "--max-running",
                "1");
        assertTrue(Files.readString(jobs.resolve("compute-0.sbatch")).contains("\n#SBATCH --array=0,1%1\n"));

        t = System.nanoTime();
        Submitted first = submit(jobs);
        // the scheduler kills the second element while it runs (scancel: SIGTERM, then SIGKILL, as at a time limit)
        String secondElement = first.compute().get(0) + "_1";
        await("the first task folder and the second element running", 300,
                () -> uncheckedCount(results) >= 1 && (running(secondElement) || !queued(first)), jobs);
        assertTrue(queued(first), "the second task ended before the scheduler could be made to kill it; logs:\n"
                + logs(jobs));
        Result cancel = run(dir, 30, "scancel", first.compute().get(0));
        assertEquals(0, cancel.exit(), cancel.out());
        await("the cancelled jobs to leave the queue", 120, () -> !queued(first), jobs);
        List<Path> before = finished(results);
        assertEquals(1, before.size(), "the kill came after one task and while the other ran: " + before);
        assertTrue(states(first.load()).stream().allMatch(s -> s.equals("CANCELLED")),
                "the load never runs when a compute task did not succeed: " + states(first.load()));
        assertFalse(Files.exists(data.resolve("neo4j")), "nothing was loaded");
        FileTime kept = Files.getLastModifiedTime(before.get(0).resolve(TaskFolder.MANIFEST));
        System.out.printf("SlurmClusterIT: first submission killed after one task, %.1f s%n",
                (System.nanoTime() - t) / 1e9);

        t = System.nanoTime();
        Submitted second = submit(jobs);
        await("the second submission", 600, () -> !queued(second), jobs);
        System.out.printf("SlurmClusterIT: second submission done in %.1f s%n", (System.nanoTime() - t) / 1e9);
        String logs = logs(jobs);
        for (String job : second.all()) {
            assertTrue(states(job).stream().allMatch(s -> s.equals("COMPLETED")),
                    job + ": " + states(job) + "\n" + logs);
        }
        assertEquals(2, finished(results).size(), logs);
        assertEquals(kept, Files.getLastModifiedTime(before.get(0).resolve(TaskFolder.MANIFEST)),
                "the task finished before the kill was not computed again");
        assertTrue(logs.contains("already computed"), logs);

        Map<String, List<Map<String, Object>>> local = contents(dir.resolve("local"));
        Map<String, List<Map<String, Object>>> cluster = contents(data);
        assertFalse(local.get("runs").isEmpty());
        assertTrue(local.get("edges").stream().mapToLong(r -> ((Number) r.get("n")).longValue()).sum() > 0);
        assertEquals(local.get("runs"), cluster.get("runs"));
        assertEquals(local.get("edges"), cluster.get("edges"));
        assertEquals(local, cluster);
    }

    private static long uncheckedCount(Path results) {
        try {
            return finished(results).size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** What an atlas holds, by count: its runs, each run's edges by type, nodes by label, relationships by type. */
    static Map<String, List<Map<String, Object>>> contents(Path data) {
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, data.resolve("neo4j"),
                EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "64m"))) {
            Map<String, List<Map<String, Object>>> m = new LinkedHashMap<>();
            m.put("runs", db.cypher().read("MATCH (r:Run) RETURN r.id AS id, r.kind AS kind, r.sae AS sae,"
                    + " r.status AS status, r.edges AS edges ORDER BY id", Map.of()));
            m.put("edges", db.cypher().read("MATCH ()-[e]->() WHERE e.run IS NOT NULL"
                    + " RETURN e.run AS run, type(e) AS type, count(*) AS n ORDER BY run, type", Map.of()));
            m.put("labels", db.cypher().read("MATCH (n) UNWIND labels(n) AS label"
                    + " RETURN label, count(*) AS n ORDER BY label", Map.of()));
            m.put("relationships", db.cypher().read("MATCH ()-[e]->() RETURN type(e) AS type, count(*) AS n"
                    + " ORDER BY type", Map.of()));
            return m;
        }
    }
}
