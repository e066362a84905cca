package org.saeatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.cli.AtlasCli.Run;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.atlas.DemoFiles;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * An atlas file built, one SAE's setting changed, built again: the SAE's runs the new build did not produce (its
 * old dependence run) are deleted with what was derived from them (its community analysis), the new ones are
 * there, the other SAE's runs are untouched, and a run loaded by hand (no atlas task) stays.
 */
class AtlasFileSupersedeIT {

    @TempDir
    static Path dir;

    private static final String HAND = "by-hand-run";

    /** run id -> "kind sae task"; analyses as "analysis of RUN". */
    static Map<String, String> stored(Path data) {
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, data.resolve("neo4j"),
                EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "64m")); var s = db.driver().session()) {
            Map<String, String> m = new TreeMap<>();
            s.run("MATCH (r:Run) RETURN r.id AS id, r.kind AS kind, coalesce(r.sae, '-') AS sae,"
                    + " coalesce(r.atlasTask, '-') AS task, r.status AS status").list()
                    .forEach(r -> m.put(r.get("id").asString(), r.get("kind").asString() + " "
                            + r.get("sae").asString() + " " + r.get("task").asString() + " "
                            + r.get("status").asString()));
            s.run("MATCH (a:Analysis) RETURN a.id AS id, a.run AS run").list()
                    .forEach(r -> m.put(r.get("id").asString(), "analysis of " + r.get("run").asString()));
            return m;
        }
    }

    static void addByHand(Path data, String sae) {
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, data.resolve("neo4j"),
                EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "64m"))) {
            db.cypher().write("CREATE (:Run {id: $id, kind: 'coactivation', sae: $sae, status: 'complete',"
                    + " edgeCount: 0})", Map.of("id", HAND, "sae", sae));
        }
    }

    static String runOf(Map<String, String> runs, String kind, String sae) {
        List<String> ids = runs.entrySet().stream().filter(e -> e.getValue().startsWith(kind + " " + sae + " "))
                .map(Map.Entry::getKey).toList();
        assertEquals(1, ids.size(), kind + " runs of " + sae + ": " + runs);
        return ids.get(0);
    }

    @Test
    void aRebuiltSaeReplacesItsSupersededRunsAndKeepsEverythingElse() throws Exception {
        DemoParameters p = new DemoParameters(7, 128, 5_000, 16, 3, 2, 2, 0.8);
        Path file = DemoFiles.write(dir.resolve("files"), p, 1, "lm", new PrintStream(new ByteArrayOutputStream()));
        String s0 = DemoFiles.saeId("lm", p, 0, 0);
        String s1 = DemoFiles.saeId("lm", p, 0, 1);
        Path data = dir.resolve("data");
        Run first = AtlasCli.run(AtlasFileResumeIT.build(file, data));
        assertEquals(0, first.exit(), first.out() + first.err());
        Map<String, String> before = stored(data);
        String oldDependence = runOf(before, "dependence", s1);
        String otherDependence = runOf(before, "dependence", s0);
        assertEquals("dependence " + s1 + " sae:" + s1 + " complete", before.get(oldDependence));
        assertTrue(before.containsValue("analysis of " + oldDependence), before.toString());
        addByHand(data, s1);

        // one setting of s1 changes: its task, its communities, the match and the comparison are stale
        String yaml = Files.readString(file);
        String entry = "      - id: " + s1 + "\n";
        assertTrue(yaml.contains(entry), yaml);
        Files.writeString(file, yaml.replace(entry, entry + "        settings: {resamples: 20}\n"));
        Run second = AtlasCli.run(AtlasFileResumeIT.build(file, data));
        assertEquals(0, second.exit(), second.out() + second.err());
        assertTrue(second.out().contains("sae:" + s1 + ": deleted the superseded run " + oldDependence),
                second.out());
        Map<String, String> after = stored(data);

        String newDependence = runOf(after, "dependence", s1);
        assertNotEquals(oldDependence, newDependence);
        assertFalse(after.containsKey(oldDependence), "the superseded run is gone: " + after);
        assertFalse(after.containsValue("analysis of " + oldDependence), "and its communities: " + after);
        assertTrue(after.containsValue("analysis of " + newDependence), "the new run has its own: " + after);
        assertEquals(before.get(otherDependence), after.get(otherDependence), "the other SAE's run is untouched");
        assertEquals("coactivation " + s1 + " - complete", after.get(HAND), "a run loaded by hand stays");
        for (Map.Entry<String, String> e : before.entrySet()) {
            if (!e.getKey().equals(oldDependence) && !e.getValue().equals("analysis of " + oldDependence)
                    && !e.getValue().startsWith("analysis of")) {
                assertTrue(after.containsKey(e.getKey()), "kept: " + e + " in " + after);
            }
        }
        for (String v : after.values()) {
            assertFalse(v.endsWith(" loading"), "nothing half-loaded: " + after);
        }

        // a third build changes nothing and deletes nothing
        Run third = AtlasCli.run(AtlasFileResumeIT.build(file, data));
        assertEquals(0, third.exit(), third.out() + third.err());
        assertFalse(third.out().contains("superseded"), third.out());
        assertEquals(after, stored(data));
    }
}
