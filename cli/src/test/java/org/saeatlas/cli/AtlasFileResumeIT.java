package org.saeatlas.cli;

import org.saeatlas.cli.AtlasCli.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.atlas.DemoFiles;
import org.saeatlas.ingest.atlas.TaskFolder;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * {@code ./atlas build atlas.yaml} killed with {@code kill -9} mid-way (a child JVM) and run again: it resumes
 * (finished task folders are not recomputed, nothing half-written is visible) and ends with the same runs and
 * comparisons as a build that was never interrupted.
 */
class AtlasFileResumeIT {

    @TempDir
    static Path dir;

    static Run atlas(String... args) {
        return AtlasCli.run(args);
    }

    static Path atlasFile() throws IOException {
        // 3 layers x 2 seeds of a small generated SAE; communities and connections left out to keep the test short
        DemoParameters p = new DemoParameters(5, 256, 6_000, 16, 4, 3, 3, 0.8);
        Path file = DemoFiles.write(dir.resolve("files"), p, 3, "lm", new PrintStream(new ByteArrayOutputStream()));
        String yaml = Files.readString(file).replace("communities: true", "communities: false");
        int connections = yaml.indexOf("\nconnections:");
        Files.writeString(file, connections < 0 ? yaml : yaml.substring(0, connections + 1));
        return file;
    }

    static String[] build(Path file, Path data) {
        return new String[] {"build", file.toString(), "--data", data.toString(), "--device", "java", "--jobs", "1",
            "--bolt-port", String.valueOf(EmbeddedNeo4j.freePort()), "--neo4j-http-port",
            String.valueOf(EmbeddedNeo4j.freePort())};
    }

    /** Every complete run (id -> edge count) and comparison id in the atlas of {@code data}. */
    static Map<String, Long> stored(Path data) {
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, data.resolve("neo4j"),
                EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "64m")); var s = db.driver().session()) {
            Map<String, Long> m = new TreeMap<>();
            s.run("MATCH (r:Run {status: 'complete'}) RETURN r.id AS id, r.edgeCount AS n").list()
                    .forEach(r -> m.put(r.get("id").asString(), r.get("n").asLong()));
            s.run("MATCH (c:Comparison) RETURN c.id AS id").list().forEach(r -> m.put(r.get("id").asString(), -1L));
            s.run("MATCH (r:Run {status: 'loading'}) RETURN r.id AS id").list()
                    .forEach(r -> m.put("LOADING " + r.get("id").asString(), 0L));
            return m;
        }
    }

    static List<Path> children(Path results) throws IOException {
        if (!Files.isDirectory(results)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(results)) {
            return s.filter(p -> p.getFileName().toString().startsWith("sae_")).toList();
        }
    }

    @Test
    void aBuildKilledMidWayResumesAndEndsWithTheSameRuns() throws Exception {
        Path file = atlasFile();
        Run reference = atlas(build(file, dir.resolve("reference")));
        assertEquals(0, reference.exit(), reference.out() + reference.err());
        assertTrue(reference.out().contains("every task is done"), reference.out());
        Map<String, Long> expected = stored(dir.resolve("reference"));
        assertEquals(6 * 3 + 3 * 2 + 3 + 3, expected.size(), "3 runs per SAE, 2 match runs and a structural match"
                + " per seed pair, and 3 comparisons: " + expected);

        Path data = dir.resolve("killed");
        Path results = data.resolve("results");
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(build(file, data)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        int finished = 0;
        while (System.nanoTime() < deadline && p.isAlive()) {
            finished = (int) children(results).stream().filter(TaskFolder::finished).count();
            if (finished >= 1) {
                break;
            }
            Thread.sleep(20);
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String log = Files.readString(dir.resolve("killed.log"));
        assertTrue(finished >= 1, "the child finished a task before it was killed: " + log);
        for (Path c : children(results)) {
            assertTrue(TaskFolder.finished(c), "a visible task folder is a finished one: " + c);
        }

        Run resumed = atlas(build(file, data));
        assertEquals(0, resumed.exit(), resumed.out() + resumed.err());
        Matcher m = Pattern.compile("compute: (\\d) of 6 SAE tasks to do \\((\\d) already computed\\)")
                .matcher(resumed.out());
        assertTrue(m.find(), resumed.out());
        int kept = Integer.parseInt(m.group(2));
        assertTrue(kept >= finished, "the folders finished before the kill are kept: " + kept + " >= " + finished);
        assertEquals(expected, stored(data), "the resumed build stored the same runs, edge counts and comparisons");

        Run again = atlas(build(file, data));
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("compute: 0 of 6 SAE tasks to do (6 already computed)"), again.out());
        assertFalse(Pattern.compile("(?m)^\\[\\w+ \\d+/\\d+\\] \\S+ \\.\\.\\.$").matcher(again.out()).find(),
                "nothing loaded or run again: " + again.out());
        Run status = atlas("status", file.toString(), "--data", data.toString());
        assertTrue(status.out().contains("12 built, 0 stale, 0 failed, 0 missing"), status.out());
    }
}
