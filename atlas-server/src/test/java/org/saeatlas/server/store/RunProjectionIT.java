package org.saeatlas.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.DemoLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.schema.Vocabulary;

/**
 * On the demo atlas in a real embedded Neo4j, every edge read answered from a run's in-memory projection equals the
 * Cypher answer row for row (every run kind, features with and without edges, each filter), and a projection is
 * never used once Neo4j says the run's edges changed. The reader's Core API reads (features, explanations, examples,
 * runs) equal its Cypher statements for every feature and run of the atlas.
 */
class RunProjectionIT {

    @TempDir
    static Path dir;
    static AtlasDatabase db;
    static AtlasReader reader;
    static RunProjections projections;
    static EdgeReads edges;

    @BeforeAll
    static void load() throws Exception {
        db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"), EmbeddedNeo4j.freePort(),
                EmbeddedNeo4j.freePort(), "64m"));
        new DemoLoader(db, new PrintStream(new ByteArrayOutputStream())).load(DemoParameters.small(11));
        reader = new AtlasReader(db.cypher(), Duration.ofSeconds(30));
        projections = new RunProjections(db.cypher(), 10_000_000);
        edges = new EdgeReads(reader, projections);
        projections.warm(reader.runs());
        assertTrue(projections.awaitIdle(Duration.ofMinutes(2)));
    }

    @AfterAll
    static void close() {
        if (projections != null) {
            projections.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void coreReadsEqualTheirCypherStatements() {
        AtlasReader cypher = new AtlasReader(db.cypher(), Duration.ofSeconds(30), null, false);
        assertTrue(reader.coreReads());
        assertFalse(cypher.coreReads());
        List<Map<String, Object>> rows = cypher.statements().query(
                "MATCH (f:Feature) RETURN f.id AS id, elementId(f) AS element ORDER BY id", Map.of());
        List<String> ids = rows.stream().map(r -> (String) r.get("id")).toList();
        assertTrue(ids.size() > 100, "features: " + ids.size());
        for (String id : ids) {
            assertEquals(cypher.features().feature(id), reader.features().feature(id), id);
        }
        assertNull(reader.features().feature("nope/1"));
        List<String> asked = new ArrayList<>(ids);
        asked.add("nope/1");
        assertEquals(cypher.features().featuresById(asked), reader.features().featuresById(asked));
        Map<String, List<Explanation>> explanations = reader.features().explanationsByFeature(asked);
        assertEquals(cypher.features().explanationsByFeature(asked), explanations);
        assertFalse(explanations.isEmpty());
        for (int limit : new int[] {1, 3, 100}) {
            Map<String, List<Example>> examples = reader.features().examplesByFeature(asked, limit);
            assertEquals(cypher.features().examplesByFeature(asked, limit), examples, "limit " + limit);
            assertFalse(examples.isEmpty());
        }
        // by remembered element id: right, another feature's, and malformed element ids all give the same rows
        Map<String, String> elements = new java.util.HashMap<>();
        for (int k = 0; k < rows.size(); k++) {
            String element = (String) rows.get(k).get("element");
            elements.put(ids.get(k), k % 7 == 3 ? (String) rows.get((k + 1) % rows.size()).get("element")
                    : k % 7 == 5 ? "not-an-element-id" : element);
        }
        assertEquals(cypher.features().featuresById(asked, elements::get), reader.features().featuresById(asked, elements::get));
        // runs: every SAE and run kind, newest or named, with and without a method, and runs that are not there
        List<String> saes = new ArrayList<>(reader.catalogue().saes(null).stream().map(Sae::id).toList());
        saes.add("nope");
        List<String> kinds = reader.runs().runs(null).stream().map(Run::kind).distinct().toList();
        List<String> runIds = new ArrayList<>(reader.runs().runs(null).stream().map(Run::id).toList());
        runIds.add(null);
        runIds.add("nope");
        int found = 0;
        int sided = 0;
        for (String sae : saes) {
            for (List<String> k : List.of(kinds, List.of(kinds.get(0)), List.of(kinds.get(kinds.size() - 1)))) {
                for (String method : java.util.Arrays.asList(null, "decoder_cosine", "structural")) {
                    for (String run : runIds) {
                        for (Integer side : java.util.Arrays.asList(null, 0, 1)) {
                            NeighbourQuery q = new NeighbourQuery(sae, null, k, method, run, side, null, null, null,
                                    null, List.of(), false, 0);
                            RunRef expected = cypher.neighbours().resolveRun(q);
                            assertEquals(expected, reader.neighbours().resolveRun(q), sae + " " + k + " " + method
                                    + " " + run + " side " + side);
                            found += expected == null ? 0 : 1;
                            sided += expected != null && side != null ? 1 : 0;
                        }
                    }
                }
            }
        }
        assertTrue(found > 10, "resolved runs: " + found);
        assertTrue(sided > 0, "runs resolved with the SAE on one side (match runs): " + sided);
    }

    /** Every complete run that stores edges: id, kind, relationship, SAEs. */
    private static List<Run> edgeRuns() {
        List<Run> out = new ArrayList<>();
        for (Run r : reader.runs().runs(null)) {
            if (Vocabulary.relationshipOfRunKind(r.kind()) != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static List<String> saesOf(Run run) {
        return run.saeIds();
    }

    /** Features 0..59 and a few beyond the edges' reach of each SAE of the run. */
    private static List<String> sample(String sae) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(Vocabulary.featureId(sae, i));
        }
        ids.add(Vocabulary.featureId(sae, 4000));
        ids.add(Vocabulary.featureId(sae, 999_999));
        return ids;
    }

    @Test
    void everyRunKindIsProjectedAndAnswersExactlyAsCypher() throws Exception {
        List<Run> runs = edgeRuns();
        Set<String> kinds = new LinkedHashSet<>();
        runs.forEach(r -> kinds.add(r.kind()));
        assertTrue(kinds.containsAll(List.of(Vocabulary.KIND_COACTIVATION, Vocabulary.KIND_DEPENDENCE,
                Vocabulary.KIND_COSINE, Vocabulary.KIND_MATCH)), "demo runs: " + kinds);
        int compared = 0;
        for (Run run : runs) {
            String kind = run.kind();
            String rel = Vocabulary.relationshipOfRunKind(kind);
            RunRef ref = reader.neighbours().resolveRun(NeighbourQuery.runOf(saesOf(run).get(0), List.of(kind), null, run.id()));
            projections.get(ref, rel);
            assertTrue(projections.awaitIdle(Duration.ofMinutes(1)));
            RunProjection p = projections.get(ref, rel);
            assertNotNull(p, "projected: " + run.id());
            assertEquals(run.edgeCount().longValue(), p.edgeCount(), "all edges of " + run.id());
            List<Object[]> filters = new ArrayList<>(Arrays.asList(new Object[] {null, null, null},
                    new Object[] {null, null, "POSITIVE"}, new Object[] {null, null, "NEGATIVE"}));
            if (Vocabulary.KIND_DEPENDENCE.equals(kind)) {
                filters.add(new Object[] {10, null, null});
                filters.add(new Object[] {null, true, null});
                filters.add(new Object[] {25, true, "POSITIVE"});
            }
            for (String sae : saesOf(run)) {
                List<String> ids = sample(sae);
                for (Object[] f : filters) {
                    for (int limit : List.of(3, 50)) {
                        Map<String, List<Neighbour>> viaCypher = reader.neighbours().neighboursByFeature(ids, NeighbourQuery.of(sae, rel, List.of(kind), null, ref.id(), (Integer) f[0], (Boolean) f[1], (String) f[2], limit));
                        Map<String, List<Neighbour>> viaProjection = edges.neighboursByFeature(ids, NeighbourQuery.of(sae, rel, List.of(kind), null, ref.id(), (Integer) f[0], (Boolean) f[1], (String) f[2], limit));
                        assertEquals(viaCypher, viaProjection, run.id() + " neighbours " + Arrays.toString(f)
                                + " limit " + limit);
                        compared += viaCypher.values().stream().mapToInt(List::size).sum();
                    }
                    List<String> frontier = ids.subList(0, 20);
                    assertEquals(reader.neighbours().edgesAround(frontier, null, NeighbourQuery.edgesOf(rel, ref.id(), (Integer) f[0], (Boolean) f[1], List.of())),
                            edges.edgesAround(frontier, null, ref, NeighbourQuery.edgesOf(rel, ref.id(), (Integer) f[0], (Boolean) f[1], List.of())),
                            run.id() + " edges around " + Arrays.toString(f));
                    assertEquals(reader.neighbours().edgesAround(frontier, ids, NeighbourQuery.edgesOf(rel, ref.id(), (Integer) f[0], (Boolean) f[1], List.of())),
                            edges.edgesAround(frontier, ids, ref, NeighbourQuery.edgesOf(rel, ref.id(), (Integer) f[0], (Boolean) f[1], List.of())),
                            run.id() + " edges among " + Arrays.toString(f));
                }
            }
        }
        assertTrue(compared > 1000, "neighbour rows compared: " + compared);
    }

    @Test
    void featuresReadByRememberedElementIdsAreTheFeaturesAskedFor() throws Exception {
        Run run = edgeRuns().stream()
                .filter(r -> Vocabulary.KIND_DEPENDENCE.equals(r.kind())).findFirst().orElseThrow();
        String sae = run.sae();
        RunRef ref = reader.neighbours().resolveRun(NeighbourQuery.runOf(sae, List.of(Vocabulary.KIND_DEPENDENCE), null, run.id()));
        projections.get(ref, Vocabulary.DEPENDS);
        assertTrue(projections.awaitIdle(Duration.ofMinutes(1)));
        RunProjection p = projections.get(ref, Vocabulary.DEPENDS);
        assertNotNull(p);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            ids.add(Vocabulary.featureId(sae, i));
        }
        assertTrue(ids.stream().filter(id -> p.elementId(id) != null).count() > 10, "element ids remembered");
        Map<String, Feature> byIndex = reader.features().featuresById(ids);
        assertEquals(byIndex, reader.features().featuresById(ids, p::elementId));
        // an element id that now belongs to another node (reused after a delete) is caught and read by id instead
        String other = p.elementId(ids.get(0));
        assertEquals(byIndex, reader.features().featuresById(ids, id -> other));
        assertEquals(byIndex, reader.features().featuresById(ids, id -> "4:no-such-database:1"));
    }

    @Test
    void aChangeToARunsEdgesIsNeverServedStale() throws Exception {
        Run run = edgeRuns().stream()
                .filter(r -> Vocabulary.KIND_DEPENDENCE.equals(r.kind())).findFirst().orElseThrow();
        String sae = run.sae();
        String runId = run.id();
        RunRef before = reader.neighbours().resolveRun(NeighbourQuery.runOf(sae, List.of(Vocabulary.KIND_DEPENDENCE), null, runId));
        assertNotNull(projections.get(before, Vocabulary.DEPENDS));
        List<String> ids = sample(sae);
        String feature = ids.stream().filter(id -> !edges.neighboursByFeature(List.of(id), NeighbourQuery.of(sae, Vocabulary.DEPENDS, List.of(Vocabulary.KIND_DEPENDENCE), null, runId, null, null, null, 1)).isEmpty()).findFirst()
                .orElseThrow();
        // what a later analysis does: rewrite edge properties of the complete run, then bump its revision
        db.cypher().write("""
                MATCH (:Feature {id: $id})-[e:DEPENDS {run: $run}]-() SET e.seedStable = 'changed'
                WITH count(*) AS n MATCH (r:Run {id: $run})
                SET r.edgesRevision = coalesce(r.edgesRevision, 0) + 1""", Map.of("id", feature, "run", runId));
        RunRef after = reader.neighbours().resolveRun(NeighbourQuery.runOf(sae, List.of(Vocabulary.KIND_DEPENDENCE), null, runId));
        assertEquals(before.revision() + 1, after.revision());
        Map<String, List<Neighbour>> now = edges.neighboursByFeature(List.of(feature), NeighbourQuery.of(sae, Vocabulary.DEPENDS, List.of(Vocabulary.KIND_DEPENDENCE), null, runId, null, null, null, 5));
        for (Neighbour item : now.get(feature)) {
            assertEquals("changed", item.edge().properties().get("seedStable"), "read through Cypher at once");
        }
        assertTrue(projections.awaitIdle(Duration.ofMinutes(1)));
        RunProjection rebuilt = projections.get(after, Vocabulary.DEPENDS);
        assertNotNull(rebuilt, "the new revision is projected");
        assertEquals(after.revision(), rebuilt.revision());
        assertEquals(now, edges.neighboursByFeature(List.of(feature), NeighbourQuery.of(sae, Vocabulary.DEPENDS, List.of(Vocabulary.KIND_DEPENDENCE), null, runId, null, null, null, 5)));
        assertNull(projections.get(before, Vocabulary.DEPENDS), "the old revision is gone");
    }

    @Test
    void aRunOverTheBudgetStaysOnCypher() throws Exception {
        Run run = edgeRuns().get(0);
        String kind = run.kind();
        try (RunProjections tiny = new RunProjections(db.cypher(), 1)) {
            RunRef ref = reader.neighbours().resolveRun(NeighbourQuery.runOf(saesOf(run).get(0), List.of(kind), null, run.id()));
            assertNull(tiny.get(ref, Vocabulary.relationshipOfRunKind(kind)));
            assertTrue(tiny.awaitIdle(Duration.ofSeconds(30)));
            assertNull(tiny.get(ref, Vocabulary.relationshipOfRunKind(kind)), "never built");
            assertFalse(tiny.describe().iterator().hasNext());
            EdgeReads onCypher = new EdgeReads(reader, tiny);
            String sae = saesOf(run).get(0);
            String rel = Vocabulary.relationshipOfRunKind(kind);
            assertEquals(reader.neighbours().neighboursByFeature(sample(sae), NeighbourQuery.of(sae, rel, List.of(kind), null, ref.id(), null, null, null, 10)), onCypher.neighboursByFeature(sample(sae), NeighbourQuery.of(sae, rel, List.of(kind), null, ref.id(), null, null, null, 10)));
        }
    }
}
