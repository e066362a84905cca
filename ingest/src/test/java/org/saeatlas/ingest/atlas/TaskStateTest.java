package org.saeatlas.ingest.atlas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.ingest.store.BulkImport;
import org.saeatlas.ingest.store.ContentCollector;
import org.saeatlas.ingest.store.Rows;

/** Task folders written and read back, and task status: built, stale (saying what changed), failed, missing. */
class TaskStateTest {

    @TempDir
    Path dir;

    Path results;

    @BeforeEach
    void inputs() throws IOException {
        for (String s : List.of("a0", "a1", "b0", "b1")) {
            Files.writeString(dir.resolve(s + ".npz"), "activations of " + s);
            Path sae = Files.createDirectories(dir.resolve("sae-" + s));
            Files.writeString(sae.resolve("cfg.json"), "{\"d_in\": 8, \"d_sae\": 64}");
            Files.writeString(sae.resolve("sae_weights.safetensors"), "weights of " + s);
        }
        results = dir.resolve("results");
    }

    private Path atlas(String extraDefaults) throws IOException {
        StringBuilder y = new StringBuilder("defaults:\n  resamples: 20\n" + extraDefaults + "models:\n  - id: lm\n"
                + "    saes:\n");
        for (String s : List.of("a0", "a1", "b0", "b1")) {
            y.append("      - id: ").append(s).append("\n        layer: ").append(s.charAt(0) == 'a' ? 0 : 1)
                    .append("\n        seed: ").append(s.charAt(1)).append("\n        inputs: {activations: ")
                    .append(s).append(".npz, saelens: sae-").append(s).append("}\n");
        }
        y.append("matches:\n  seeds: same layer\ncomparisons:\n  seeds: same layer\n");
        Path f = dir.resolve("atlas.yaml");
        Files.writeString(f, y.toString());
        return f;
    }

    /** Marks every task of the plan done as a build would: SAE task folders and done records. */
    private void buildAll(AtlasPlan plan, TaskKeys keys) {
        for (AtlasPlan.Task t : plan.tasks()) {
            String key = keys.key(t.id());
            if (t.kind().compute()) {
                String sae = t.saes().get(0);
                try (TaskFolder.Writer w = TaskFolder.writer(TaskState.folder(results, t.id(), key))) {
                    w.model(new Rows.ModelRow("lm", "lm"));
                    w.sae(new Rows.SaeRow(sae, "lm", null, 0, null, 64, 0, null, 8));
                    w.features(sae, List.of(new Rows.FeatureRow(0, 0.1, 1.0, 2.0, null)));
                    w.commit(t.id(), key, keys.basis(t.id()).asMap(), 1.0);
                }
            } else {
                TaskState.recordDone(results, t.id(), key, keys.basis(t.id()), Map.of("runs", List.of()));
            }
        }
    }

    private Map<String, TaskState.Status> status(AtlasPlan plan) {
        Map<String, TaskState.Status> m = new LinkedHashMap<>();
        for (TaskState.Status s : TaskState.status(plan, new TaskKeys(plan, results), results)) {
            m.put(s.task().id(), s);
        }
        return m;
    }

    private static List<String> in(Map<String, TaskState.Status> status, TaskState.State state) {
        return status.values().stream().filter(s -> s.state() == state).map(s -> s.task().id()).toList();
    }

    @Test
    void changingAnInputMakesExactlyItsDependantsStale() throws IOException {
        AtlasPlan plan = AtlasPlan.of(AtlasFile.read(atlas("")));
        assertEquals(List.copyOf(status(plan).keySet()), in(status(plan), TaskState.State.MISSING));
        buildAll(plan, new TaskKeys(plan, results));
        assertEquals(plan.tasks().size(), in(status(plan), TaskState.State.BUILT).size());

        // touching without changing content: still built (checksums, not times)
        Path a1 = dir.resolve("a1.npz");
        Files.setLastModifiedTime(a1, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertTrue(in(status(plan), TaskState.State.STALE).isEmpty());

        Files.writeString(a1, "other activations of a1");
        Map<String, TaskState.Status> s = status(plan);
        assertEquals(List.of("sae:a1", "analyse:a1", "match:a0~a1", "compare:a0~a1"), in(s, TaskState.State.STALE));
        assertEquals(plan.tasks().size() - 4, in(s, TaskState.State.BUILT).size());
        assertEquals("input activations changed (" + a1 + ": checksum differs)", s.get("sae:a1").detail());
        assertEquals("sae:a1 changed", s.get("match:a0~a1").detail());
    }

    @Test
    void oneTaskReadsOnlyItsOwnInputs() throws IOException {
        AtlasPlan plan = AtlasPlan.of(AtlasFile.read(atlas("")));
        new TaskKeys(plan, results).key("sae:b0");
        String cache = Files.readString(results.resolve(TaskState.STATE).resolve("checksums.json"));
        assertTrue(cache.contains("b0.npz") && cache.contains("sae-b0"), cache);
        assertFalse(cache.contains("a0.npz") || cache.contains("b1.npz"), "a cluster task hashes its own inputs: "
                + cache);
        new TaskKeys(plan, results).key("compare:b0~b1");
        assertTrue(Files.readString(results.resolve(TaskState.STATE).resolve("checksums.json")).contains("b1.npz"));
    }

    @Test
    void aChangedSettingMakesEveryTaskOfItStaleAndSaysWhich() throws IOException {
        AtlasPlan plan = AtlasPlan.of(AtlasFile.read(atlas("")));
        buildAll(plan, new TaskKeys(plan, results));
        AtlasPlan changed = AtlasPlan.of(AtlasFile.read(atlas("  alpha: 0.05\n")));
        Map<String, TaskState.Status> s = status(changed);
        assertEquals(List.of("sae:a0", "sae:a1", "sae:b0", "sae:b1"), in(s, TaskState.State.STALE).subList(0, 4));
        assertEquals("setting alpha unset -> 0.05; dependence.alpha 0.1 -> 0.05", s.get("sae:b0").detail());
        AtlasPlan more = AtlasPlan.of(AtlasFile.read(atlas("").resolveSibling("atlas.yaml")));
        assertEquals(plan.tasks().size(), in(status(more), TaskState.State.BUILT).size(), "back to the old settings");
    }

    @Test
    void aFailureIsReportedWithItsFirstLineUntilTheInputsChange() throws IOException {
        AtlasPlan plan = AtlasPlan.of(AtlasFile.read(atlas("")));
        TaskKeys keys = new TaskKeys(plan, results);
        TaskState.recordFailure(results, "sae:b1", keys.key("sae:b1"),
                new IllegalStateException("out of cheese\nat line 2"), keys.basis("sae:b1"));
        TaskState.Status s = status(plan).get("sae:b1");
        assertEquals(TaskState.State.FAILED, s.state());
        assertEquals("out of cheese", s.detail());
        Files.writeString(dir.resolve("b1.npz"), "fixed activations of b1");
        assertEquals(TaskState.State.MISSING, status(plan).get("sae:b1").state());
    }

    @Test
    void aTaskFolderReadsBackWhatWasWrittenAndAFailedWriteLeavesNothing() throws IOException {
        Path target = dir.resolve("results").resolve("sae_x-0123456789abcdef");
        float[] embedding = {0.1f, -2.5e-8f, 3f};
        Rows.RunRow run = new Rows.RunRow("dependence-1", "dependence", "x", new LinkedHashMap<>(Map.of(
                "rStar", 3, "fdrTable", "[]", "cosineStrengthCorrelation", 0.61, "method", "m")));
        run.properties().put("nothing", null);
        try (TaskFolder.Writer w = TaskFolder.writer(target)) {
            w.model(new Rows.ModelRow("lm", "Language model"));
            w.sae(new Rows.SaeRow("x", "lm", "r", 3, "blocks.3", 4, 1, "relu", 2, 12.5, 0.25, null));
            w.features("x", List.of(new Rows.FeatureRow(0, 0.5, 1.25, 3.0, new long[] {1, 2}),
                    new Rows.FeatureRow(1, null, null, null, null)));
            w.histogramEdges("x", new double[] {0, 0.5, 1e-7});
            w.explanations("x", List.of(new Rows.ExplanationRow(1, "dogs, \"quoted\"\nline", "src", 0.9, embedding)));
            w.examples("x", List.of(new Rows.ExampleRow(0, 0, List.of(" a", "b"), new float[] {0f, 1.5f})));
            w.run(run, "DEPENDS", List.of(new Rows.EdgeRow(0, 1, Map.of("weight", -0.125, "replicates", 30,
                    "stable", true, "count", 12345678901L))));
            assertFalse(TaskFolder.finished(target), "nothing visible before the commit");
            w.commit("sae:x", "0123456789abcdef0123", Map.of("settings", Map.of()), 2.5);
        }
        assertTrue(TaskFolder.finished(target));
        TaskFolder.Manifest m = TaskFolder.manifest(target);
        assertEquals("sae:x", m.taskId());
        assertEquals(12.5, m.sae().l0());
        assertNull(m.sae().errorNorm());
        ContentCollector c = new ContentCollector();
        TaskFolder.replay(m, c);
        BulkImport.Content content = c.content();
        assertEquals("Language model", content.models().get(0).name());
        assertArrayEquals(new long[] {1, 2}, content.features().get("x").get(0).histogram());
        assertNull(content.features().get("x").get(1).firingRate());
        Rows.ExplanationRow e = content.explanations().get("x").get(0);
        assertEquals("dogs, \"quoted\"\nline", e.text());
        assertArrayEquals(embedding, e.embedding());
        assertArrayEquals(new float[] {0f, 1.5f}, content.examples().get("x").get(0).values());
        assertEquals(List.of(" a", "b"), content.examples().get("x").get(0).tokens());
        BulkImport.RunEdges r = content.runs().get(0);
        assertEquals(new TreeMap<>(run.properties()), new TreeMap<>(r.run().properties()));
        Map<String, Object> p = r.edges().get(0).properties();
        assertEquals(-0.125, p.get("weight"));
        assertEquals(30, ((Number) p.get("replicates")).intValue());
        assertEquals(true, p.get("stable"));
        assertEquals(12345678901L, ((Number) p.get("count")).longValue());

        Path broken = dir.resolve("results").resolve("sae_y-0123456789abcdef");
        try (TaskFolder.Writer w = TaskFolder.writer(broken)) {
            w.features("y", List.of(new Rows.FeatureRow(0, 0.5, 1.0, 1.0, null)));
            // no commit: an exception or a kill here
        }
        List<Path> left = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve("results"))) {
            s.forEach(left::add);
        }
        assertEquals(List.of(target), left, "no folder, temporary or not, of the uncommitted task");
    }
}
