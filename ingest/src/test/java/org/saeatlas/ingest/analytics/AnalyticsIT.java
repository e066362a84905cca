package org.saeatlas.ingest.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.saeatlas.compute.comparison.ComparisonParameters;
import org.saeatlas.compute.comparison.PartitionAgreement;
import org.saeatlas.compute.demo.DemoAtlas;
import org.saeatlas.compute.demo.DemoAtlasGenerator;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.compute.graphs.ConnectedComponents;
import org.saeatlas.compute.matching.MatchParameters;
import org.saeatlas.ingest.DemoLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * Analytics on a real embedded Neo4j with GDS, over the small demo atlas loaded through {@link DemoLoader} (which
 * matches the two seeds, analyses every co-activation and dependence run and compares the seeds' co-activation
 * graphs). Figures are printed for the record.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsIT {

    private static final DemoParameters PARAMS = DemoParameters.small(7);

    private Path dir;
    private AtlasDatabase db;
    private Driver driver;
    private CypherExecutor cypher;
    private DemoAtlas atlas;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream out;

    @BeforeAll
    void load() throws Exception {
        dir = Files.createTempDirectory("analytics-it");
        db = AtlasDatabase.open(Neo4jTarget.embedded(dir.resolve("neo4j")));
        driver = db.driver();
        cypher = db.boltCypher();
        out = new PrintStream(log, true, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        new DemoLoader(db.boltCypher(), out).load(PARAMS);
        System.out.printf("small demo loaded with analytics in %.1fs%n", (System.nanoTime() - t0) / 1e9);
        atlas = DemoAtlasGenerator.generate(PARAMS);
    }

    @AfterAll
    void close() throws Exception {
        // the loader's and analyses' own output (progress, summaries), for the record
        Files.writeString(Path.of("target", "analytics-it.log"), log.toString(StandardCharsets.UTF_8));
        if (db != null) {
            db.close();
        }
    }

    private List<Record> read(String cypher, Map<String, Object> params) {
        return new TestStatements(driver).read(cypher, params);
    }

    private String run(String sae, String kind) {
        return read("MATCH (r:Run {sae: $sae, kind: $kind, status: 'complete'}) RETURN r.id AS id",
                Map.of("sae", sae, "kind", kind)).get(0).get("id").asString();
    }

    private String saeA() {
        return atlas.saes().get(0).id();
    }

    private String saeB() {
        return atlas.saes().get(1).id();
    }

    @Test
    void plantedModulesComeBackAsCommunitiesOfTheCoActivationGraph() {
        String run = run(saeA(), "coactivation");
        String analysis = RunAnalysis.analysisId(run, AnalysisParameters.defaults());
        int width = atlas.saes().get(0).width();
        int[] found = new RunComparison(cypher, out).labels(analysis, width);
        int[] planted = new int[width];
        Arrays.fill(planted, -1);
        List<int[]> modules = atlas.truth().modules();
        for (int m = 0; m < modules.size(); m++) {
            for (int f : modules.get(m)) {
                planted[f] = m;
            }
        }
        PartitionAgreement.Agreement agreement = PartitionAgreement.of(planted, found);
        System.out.printf("planted modules vs Leiden communities (co-activation, %d module members): ARI %.3f,"
                + " NMI %.3f%n", agreement.items(), agreement.ari(), agreement.nmi());
        assertTrue(agreement.items() >= 0.9 * Arrays.stream(planted).filter(x -> x >= 0).count(),
                "planted module members should have co-activation edges");
        assertTrue(agreement.ari() >= 0.8, "ARI " + agreement.ari());
        Record a = read("MATCH (a:Analysis {id: $id}) RETURN a.status AS s, a.modularity AS q",
                Map.of("id", analysis)).get(0);
        assertEquals("complete", a.get("s").asString());
        assertTrue(a.get("q").asDouble() > 0.3, "modularity " + a.get("q").asDouble());
    }

    @Test
    void gdsComponentsEqualTheBreadthFirstComponents() {
        String run = run(saeA(), "coactivation");
        String analysis = RunAnalysis.analysisId(run, AnalysisParameters.defaults());
        WeightedRunGraph graph = WeightedRunGraph.read(cypher, run);
        ConnectedComponents cc = ConnectedComponents.of(graph.graph());
        int[] expected = cc.componentOf().clone();
        for (int v = 0; v < expected.length; v++) {
            expected[v] = graph.graph().degree(v) == 0 ? -1 : expected[v];
        }
        int[] stored = new int[expected.length];
        Arrays.fill(stored, -1);
        for (Record r : read("""
                MATCH (f:Feature)-[:MEMBER_OF {analysis: $id}]->(c:Community {kind: 'component'})
                RETURN f.index AS f, c.index AS c""", Map.of("id", analysis))) {
            stored[r.get("f").asInt()] = r.get("c").asInt();
        }
        assertEquals(1.0, PartitionAgreement.of(expected, stored).ari(), 1e-12);
        assertEquals(Arrays.stream(expected).filter(x -> x >= 0).count(),
                Arrays.stream(stored).filter(x -> x >= 0).count());
    }

    @Test
    void nearDuplicateComponentsArePlantedDuplicatesOnly() {
        String run = run(saeA(), "dependence");
        String analysis = RunAnalysis.analysisId(run, AnalysisParameters.defaults());
        java.util.Set<List<Integer>> duplicates = new java.util.HashSet<>();
        for (int[] d : atlas.truth().duplicates()) {
            duplicates.add(List.of(Math.min(d[0], d[1]), Math.max(d[0], d[1])));
        }
        List<Record> flagged = read("""
                MATCH (f:Feature)-[:MEMBER_OF]->(c:Community {analysis: $id, kind: 'component', nearDuplicate: true})
                WITH c, f ORDER BY f.index
                RETURN c.index AS c, collect(f.index) AS members""", Map.of("id", analysis));
        System.out.printf("near-duplicate components of the dependence graph: %d flagged, %d planted pairs%n",
                flagged.size(), duplicates.size());
        assertFalse(flagged.isEmpty());
        for (Record r : flagged) {
            assertTrue(duplicates.contains(r.get("members").asList(v -> v.asInt())),
                    "flagged component " + r.get("members") + " is not a planted duplicate pair");
        }
    }

    @Test
    void matchingRecoversTheKnownCorrespondenceAndLeavesUnsharedFeaturesUnmatched() {
        int[] truth = atlas.truth().bOfA();
        for (String method : List.of("decoder_cosine", "activation_correlation")) {
            int[] bOfA = new int[truth.length];
            Arrays.fill(bOfA, -1);
            for (Record r : read("""
                    MATCH (a:Feature {sae: $a})-[m:MATCHES {method: $method}]->(b:Feature {sae: $b})
                    RETURN a.index AS a, b.index AS b""",
                    Map.of("a", saeA(), "b", saeB(), "method", method + "/assignment"))) {
                bOfA[r.get("a").asInt()] = r.get("b").asInt();
            }
            int shared = 0;
            int recovered = 0;
            int unshared = 0;
            int falselyMatched = 0;
            for (int i = 0; i < truth.length; i++) {
                if (truth[i] >= 0) {
                    shared++;
                    recovered += bOfA[i] == truth[i] ? 1 : 0;
                } else {
                    unshared++;
                    falselyMatched += bOfA[i] >= 0 ? 1 : 0;
                }
            }
            System.out.printf("%s assignment: %d/%d shared features recovered (%.1f%%), %d/%d unshared matched%n",
                    method, recovered, shared, 100.0 * recovered / shared, falselyMatched, unshared);
            assertTrue(recovered >= 0.95 * shared, method + ": recovered " + recovered + " of " + shared);
            assertTrue(falselyMatched <= 0.05 * unshared, method + ": matched " + falselyMatched + " of " + unshared);
        }
        Record run = read("""
                MATCH (r:Run {kind: 'match', method: 'decoder_cosine'}) WHERE $a IN r.saes AND $b IN r.saes
                RETURN r.status AS s, r.saes AS saes, r.shareMatchedA AS share""",
                Map.of("a", saeA(), "b", saeB())).get(0);
        assertEquals("complete", run.get("s").asString());
        assertEquals(List.of(saeA(), saeB()), run.get("saes").asList());
        long stable = read("MATCH (f:Feature {sae: $a}) WHERE f.matchedIn = 1 RETURN count(f) AS n",
                Map.of("a", saeA())).get(0).get("n").asLong();
        long shared = Arrays.stream(truth).filter(x -> x >= 0).count();
        assertTrue(stable >= 0.95 * shared && stable <= truth.length, "matchedIn = 1 for " + stable);
    }

    @Test
    void seedsAreCloserThanBothRandomBaselines() {
        String a = run(saeA(), "coactivation");
        String b = run(saeB(), "coactivation");
        Record c = read("MATCH (c:Comparison {runA: $a, runB: $b}) RETURN c", Map.of("a", a, "b", b)).get(0);
        var cmp = c.get("c");
        System.out.printf("co-activation, seed vs seed: degree JSD %.4f (ER %.4f, rewired %.4f), strength JSD %.4f"
                        + " (ER %.4f, rewired %.4f), edge Jaccard %.3f (ER %.4f, rewired %.4f), ARI %.3f, NMI %.3f%n",
                cmp.get("degreeJsd").asDouble(), cmp.get("erDegreeJsd").asDouble(),
                cmp.get("rewiredDegreeJsd").asDouble(), cmp.get("strengthJsd").asDouble(),
                cmp.get("erStrengthJsd").asDouble(), cmp.get("rewiredStrengthJsd").asDouble(),
                cmp.get("edgeJaccard").asDouble(), cmp.get("erEdgeJaccard").asDouble(),
                cmp.get("rewiredEdgeJaccard").asDouble(), cmp.get("ari").asDouble(), cmp.get("nmi").asDouble());
        assertTrue(cmp.get("degreeJsd").asDouble() < cmp.get("erDegreeJsd").asDouble());
        assertTrue(cmp.get("strengthJsd").asDouble() < cmp.get("erStrengthJsd").asDouble());
        assertTrue(cmp.get("edgeJaccard").asDouble() > 5 * cmp.get("erEdgeJaccard").asDouble());
        assertTrue(cmp.get("edgeJaccard").asDouble() > cmp.get("rewiredEdgeJaccard").asDouble());
        assertTrue(cmp.get("ari").asDouble() > 0.5, "ARI " + cmp.get("ari").asDouble());
    }

    @Test
    void analysingMatchingAndComparingAgainChangeNothing() {
        String run = run(saeA(), "coactivation");
        Map<String, Object> none = Map.of();
        String counts = """
                MATCH (c:Community) WITH count(c) AS communities
                MATCH ()-[m:MEMBER_OF]->() WITH communities, count(m) AS members
                MATCH ()-[x:MATCHES]->() WITH communities, members, count(x) AS matches
                MATCH (k:Comparison) RETURN communities, members, matches, count(k) AS comparisons""";
        Map<String, Object> before = read(counts, none).get(0).asMap();
        RunAnalysis.Result again = new RunAnalysis(cypher, out).analyse(run, AnalysisParameters.defaults());
        assertFalse(again.computed());
        List<MatchLoader.Summary> m = new MatchLoader(cypher, out).load(DemoAnalytics.side(atlas.saes().get(0)),
                DemoAnalytics.side(atlas.saes().get(1)), MatchParameters.defaults());
        assertTrue(m.stream().noneMatch(MatchLoader.Summary::computed));
        new RunComparison(cypher, out).compare(run, run(saeB(), "coactivation"), null, ComparisonParameters.defaults());
        assertEquals(before, read(counts, none).get(0).asMap());
    }

    @Test
    void anInterruptedAnalysisIsClearedAndRedone() {
        String run = run(saeB(), "dependence");
        AnalysisParameters p = AnalysisParameters.defaults().withSeed(5);
        RunAnalysis analysis = new RunAnalysis(cypher, out);
        RunAnalysis.Result first = analysis.analyse(run, p);
        assertTrue(first.computed());
        String count = "MATCH (c:Community {analysis: $id}) RETURN count(c) AS n";
        long n = read(count, Map.of("id", first.analysisId())).get(0).get("n").asLong();
        // a crash half-way: status back to loading with some communities gone
        new TestStatements(driver).write("""
                MATCH (a:Analysis {id: $id}) SET a.status = 'loading'
                WITH a MATCH (c:Community {analysis: $id}) WHERE c.index % 2 = 0 DETACH DELETE c""",
                Map.of("id", first.analysisId()));
        RunAnalysis.Result redone = analysis.analyse(run, p);
        assertTrue(redone.computed());
        assertEquals(n, read(count, Map.of("id", first.analysisId())).get(0).get("n").asLong());
        assertEquals(first.communities(), redone.communities());
        assertEquals(first.modularity(), redone.modularity(), 1e-12);
    }

    @Test
    void louvainIsAnOptionAndACommunityExportsAsNodeLinkJson() throws Exception {
        String run = run(saeB(), "coactivation");
        RunAnalysis analysis = new RunAnalysis(cypher, out);
        RunAnalysis.Result louvain = analysis.analyse(run,
                AnalysisParameters.defaults().withAlgorithm(CommunityAlgorithm.LOUVAIN));
        assertTrue(louvain.modularity() > 0.3, "Louvain modularity " + louvain.modularity());
        analysis.printSummary(louvain.analysisId(), 3);
        String id = louvain.analysisId() + "/community/0";
        Path file = dir.resolve("community.json");
        int nodes = CommunityExport.write(cypher, id, file);
        Map<?, ?> json = new com.fasterxml.jackson.databind.ObjectMapper().readValue(file.toFile(), Map.class);
        Record c = read("MATCH (c:Community {id: $id}) RETURN c.size AS size, c.edges AS edges", Map.of("id", id))
                .get(0);
        assertEquals(c.get("size").asInt(), nodes);
        assertEquals(c.get("size").asInt(), ((List<?>) json.get("nodes")).size());
        assertEquals(c.get("edges").asLong(), ((List<?>) json.get("links")).size());
        assertEquals(false, json.get("directed"));
        assertNotNull(((Map<?, ?>) json.get("graph")).get("type"));
    }

    @Test
    void plantedModuleEdgesAreSeedStableAndMarkingAgainChangesNothing() {
        String a = run(saeA(), "coactivation");
        String b = run(saeB(), "coactivation");
        java.util.Set<Long> moduleKeys = new java.util.HashSet<>();
        for (int[] module : atlas.truth().modules()) {
            for (int x : module) {
                for (int y : module) {
                    if (x < y) {
                        moduleKeys.add((long) x << 32 | y);
                    }
                }
            }
        }
        String edges = """
                MATCH (x:Feature)-[e:COACTIVATES {run: $run}]->(y:Feature)
                RETURN x.index AS x, y.index AS y, e.seedStable AS s, e.seedStableIn AS n, e.seedStableRuns AS runs
                ORDER BY x, y""";
        List<Record> before = read(edges, Map.of("run", a));
        int module = 0;
        int moduleStable = 0;
        int stable = 0;
        for (Record r : before) {
            assertFalse(r.get("s").isNull(), "every analysed edge is marked");
            boolean s = r.get("s").asBoolean();
            assertEquals(s, r.get("n").asInt() > 0);
            stable += s ? 1 : 0;
            int x = Math.min(r.get("x").asInt(), r.get("y").asInt());
            int y = Math.max(r.get("x").asInt(), r.get("y").asInt());
            if (moduleKeys.contains((long) x << 32 | y)) {
                module++;
                moduleStable += s ? 1 : 0;
            }
        }
        Record c = read("MATCH (c:Comparison {runA: $a, runB: $b}) RETURN c.seedStableEdgesA AS sa,"
                + " c.analysedEdgesA AS ea", Map.of("a", a, "b", b)).get(0);
        System.out.printf("seed-stable co-activation edges of seed A: %d of %d (%.1f%%); planted module edges %d of %d"
                + " (%.1f%%)%n", stable, before.size(), 100.0 * stable / before.size(), moduleStable, module,
                100.0 * moduleStable / Math.max(1, module));
        assertEquals(stable, c.get("sa").asInt());
        assertEquals(before.size(), c.get("ea").asInt());
        assertTrue(module > 0, "planted module edges are in the graph");
        assertTrue(moduleStable >= 0.6 * module, moduleStable + " of " + module);
        new RunComparison(cypher, out).compare(a, b, null, ComparisonParameters.defaults());
        List<Record> after = read(edges, Map.of("run", a));
        assertEquals(before.stream().map(Record::asMap).toList(), after.stream().map(Record::asMap).toList());
    }

    @Test
    void structuralMatchingFindsTruePartnersMoreOftenThanChance() {
        WeightedRunGraph ga = WeightedRunGraph.read(cypher, run(saeA(), "coactivation"));
        WeightedRunGraph gb = WeightedRunGraph.read(cypher, run(saeB(), "coactivation"));
        int[] truth = atlas.truth().bOfA();
        org.saeatlas.compute.matching.CandidateSet c =
                org.saeatlas.compute.matching.StructuralMatcher.candidates(ga.graph(), gb.graph(), 10);
        int[] rank = c.rankInA();
        int withEdges = 0;
        int top1 = 0;
        int top10 = 0;
        int nodesB = 0;
        for (int j = 0; j < gb.graph().nodes(); j++) {
            nodesB += gb.graph().degree(j) > 0 ? 1 : 0;
        }
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || ga.graph().degree(i) == 0 || gb.graph().degree(truth[i]) == 0) {
                continue;
            }
            withEdges++;
            for (int n = c.rowStart(i); n < c.rowStart(i + 1); n++) {
                if (c.b()[n] == truth[i]) {
                    top1 += rank[n] == 1 ? 1 : 0;
                    top10 += rank[n] <= 10 ? 1 : 0;
                }
            }
        }
        double chance = 10.0 / Math.max(1, nodesB);
        System.out.printf("structural matching, co-activation graphs: true partner top-1 %d, top-10 %d of %d shared"
                + " features with edges on both sides (%.1f%%; chance %.1f%% among %d B nodes with edges)%n", top1,
                top10, withEdges, 100.0 * top10 / Math.max(1, withEdges), 100 * chance, nodesB);
        assertTrue(withEdges > 0);
        assertTrue(top10 > chance * withEdges, "top-10 " + top10 + " of " + withEdges);
    }

    private String structuralRun() {
        return read("""
                MATCH (r:Run {kind: 'structural_match', status: 'complete'}) WHERE $a IN r.saes AND $b IN r.saes
                RETURN r.id AS id""", Map.of("a", saeA(), "b", saeB())).get(0).get("id").asString();
    }

    @Test
    void structuralMatchesAreStoredWithProvenanceAndBeatChance() {
        String run = structuralRun();
        String coA = run(saeA(), "coactivation");
        String coB = run(saeB(), "coactivation");
        Record r = read("MATCH (r:Run {id: $id})-[:ON_SAE]->(s:Sae) RETURN r, collect(s.id) AS saes",
                Map.of("id", run)).get(0);
        var node = r.get("r");
        assertEquals("structural", node.get("method").asString());
        assertEquals(List.of(coA, coB), node.get("graphRuns").asList());
        assertEquals(List.of(saeA(), saeB()), r.get("saes").asList().stream().sorted().toList());
        String parameters = node.get("parameters").asString();
        assertTrue(parameters.contains("\"graphRuns\"") && parameters.contains("clustering")
                && parameters.contains("\"minScore\":0.7"), parameters);
        List<Record> edges = read("""
                MATCH (a:Feature)-[m:MATCHES {run: $run}]->(b:Feature)
                RETURN a.sae AS sa, b.sae AS sb, a.index AS a, b.index AS b, m.method AS method, m.score AS score,
                       m.rank AS rank""", Map.of("run", run));
        assertEquals(node.get("edgeCount").asLong(), edges.size());
        assertFalse(edges.isEmpty());
        int[] truth = atlas.truth().bOfA();
        int assigned = 0;
        int right = 0;
        for (Record e : edges) {
            assertEquals(saeA(), e.get("sa").asString());
            assertEquals(saeB(), e.get("sb").asString());
            String method = e.get("method").asString();
            assertTrue(method.equals("structural/assignment") || method.equals("structural/mutual_nearest"), method);
            double score = e.get("score").asDouble();
            assertTrue(score >= 0.7 && score <= 1, "score " + score);
            assertTrue(e.get("rank").asInt() >= 1);
            if (method.equals("structural/assignment")) {
                assigned++;
                right += truth[e.get("a").asInt()] == e.get("b").asInt() ? 1 : 0;
            }
        }
        long withEdgesB = read("""
                MATCH (f:Feature {sae: $b}) WHERE EXISTS { (f)-[:COACTIVATES {run: $run}]-() }
                RETURN count(f) AS n""", Map.of("b", saeB(), "run", coB)).get(0).get("n").asLong();
        System.out.printf("structural matches stored: %d assigned (%.1f%% of A), %d to the true partner (%.1f%%;"
                + " chance %.1f%%)%n", assigned, 100 * node.get("shareMatchedA").asDouble(), right,
                100.0 * right / Math.max(1, assigned), 100.0 / withEdgesB);
        assertTrue(right > 3.0 * assigned / withEdgesB, right + " of " + assigned + " assigned to the true partner");
        MatchLoader.Summary again = new MatchLoader(cypher, out).loadStructural(coA, coB, MatchParameters.defaults());
        assertFalse(again.computed());
        assertEquals(run, again.run());
    }

    @Test
    void structuralMatchesNeverCountAsSeedStabilityOrDriveAComparison() {
        String run = structuralRun();
        // every feature's matchedIn is exactly what the confident (decoder / activation) matches give
        List<Record> rows = read("""
                MATCH (f:Feature {sae: $a})
                RETURN f.index AS f, f.matchedIn AS matchedIn,
                  EXISTS { MATCH (f)-[m:MATCHES]-(:Feature) WHERE m.method ENDS WITH '/assignment'
                           AND EXISTS { MATCH (:Run {id: m.run, kind: 'match', status: 'complete'}) } } AS confident,
                  EXISTS { MATCH (f)-[m:MATCHES {run: $run, method: 'structural/assignment'}]-(:Feature) } AS structural""",
                Map.of("a", saeA(), "run", run));
        int structuralOnly = 0;
        for (Record r : rows) {
            boolean confident = r.get("confident").asBoolean();
            assertEquals(confident ? 1 : 0, r.get("matchedIn").asInt(), "feature " + r.get("f").asInt());
            structuralOnly += r.get("structural").asBoolean() && !confident ? 1 : 0;
        }
        assertTrue(structuralOnly > 0, "some features have a structural match only, so the check above can fail");
        // the structural run is the newest match-like run, yet a comparison picks a confident one
        RunComparison.Result c = new RunComparison(cypher, out).compare(run(saeA(), "coactivation"),
                run(saeB(), "coactivation"), null, ComparisonParameters.defaults());
        assertEquals("match", read("MATCH (r:Run {id: $id}) RETURN r.kind AS k", Map.of("id", c.matchRun()))
                .get(0).get("k").asString());
        var refused = org.junit.jupiter.api.Assertions.assertThrows(org.saeatlas.errors.AtlasException.class,
                () -> new RunComparison(cypher, out).compare(run(saeA(), "coactivation"), run(saeB(), "coactivation"),
                        run, ComparisonParameters.defaults()));
        assertTrue(refused.getMessage().contains("neighbourhood structure"), refused.getMessage());
        // nor do structural matches make an edge seed-stable
        long marked = read("""
                MATCH ()-[e:COACTIVATES]->() WHERE $run IN coalesce(e.seedStableRuns, []) RETURN count(e) AS n""",
                Map.of("run", run)).get(0).get("n").asLong();
        assertEquals(0, marked);
    }

    /**
     * Between widths: a narrow SAE of 300 random unit directions and a wide one of 600 in which each narrow feature
     * split into two (its direction plus and minus 0.3 of a random orthogonal direction, cosine 1/sqrt(1.09) = 0.958
     * to the parent). Both are new SAEs, so the demo's seed stability is untouched.
     */
    @Test
    void featuresThatSplitBetweenWidthsAreStoredOneToMany() {
        int narrow = 300;
        int dIn = 64;
        java.util.Random rng = new java.util.Random(5);
        float[] a = new float[narrow * dIn];
        float[] b = new float[2 * narrow * dIn];
        for (int i = 0; i < narrow; i++) {
            double[] u = unit(rng, dIn);
            double[] r = unit(rng, dIn);
            double dot = 0;
            for (int d = 0; d < dIn; d++) {
                dot += u[d] * r[d];
            }
            for (int d = 0; d < dIn; d++) {
                r[d] -= dot * u[d];
            }
            double rn = Math.sqrt(Arrays.stream(r).map(x -> x * x).sum());
            for (int d = 0; d < dIn; d++) {
                a[i * dIn + d] = (float) u[d];
                b[i * dIn + d] = (float) ((u[d] + 0.3 * r[d] / rn) / Math.sqrt(1.09));
                b[(i + narrow) * dIn + d] = (float) ((u[d] - 0.3 * r[d] / rn) / Math.sqrt(1.09));
            }
        }
        new TestStatements(driver).write("""
                MATCH (m:Model) WITH m LIMIT 1
                UNWIND [['split-narrow', $narrow], ['split-wide', 2 * $narrow]] AS s
                CREATE (sae:Sae {id: s[0], model: m.id, width: s[1], dIn: $dIn})-[:OF_MODEL]->(m)
                WITH sae, s
                UNWIND range(0, s[1] - 1) AS i
                CREATE (:Feature {id: s[0] + '/' + i, sae: s[0], index: i})-[:IN_SAE]->(sae)""",
                Map.of("narrow", narrow, "dIn", dIn));
        MatchLoader.Summary s = new MatchLoader(cypher, out).load(
                new MatchLoader.Side("split-narrow", narrow, a, dIn, null),
                new MatchLoader.Side("split-wide", 2 * narrow, b, dIn, null),
                org.saeatlas.compute.matching.Similarity.DECODER_COSINE, MatchParameters.defaults());
        assertEquals(2 * narrow, s.oneToManyMatches(), "every wide feature goes to its parent");
        List<Record> rows = read("""
                MATCH (x:Feature {sae: 'split-narrow'})-[m:MATCHES {run: $run, method: 'decoder_cosine/one_to_many'}]
                      ->(y:Feature {sae: 'split-wide'})
                WITH x, m, y ORDER BY m.rank
                RETURN x.index AS parent, collect(y.index) AS children, collect(m.rank) AS ranks""",
                Map.of("run", s.run()));
        assertEquals(narrow, rows.size());
        for (Record r : rows) {
            int parent = r.get("parent").asInt();
            assertEquals(List.of(parent, parent + narrow), r.get("children").asList(v -> v.asInt()).stream().sorted()
                    .toList(), "children of " + parent);
            assertEquals(List.of(1, 2), r.get("ranks").asList(v -> v.asInt()));
        }
        // the one-to-one assignment takes one child of each parent: all of the narrow SAE, half of the wide one
        assertEquals(1.0, s.shareMatchedA(), 1e-12);
        assertEquals(0.5, s.shareMatchedB(), 1e-12);
    }

    private static double[] unit(java.util.Random rng, int d) {
        double[] x = new double[d];
        double n = 0;
        for (int i = 0; i < d; i++) {
            x[i] = rng.nextGaussian();
            n += x[i] * x[i];
        }
        for (int i = 0; i < d; i++) {
            x[i] /= Math.sqrt(n);
        }
        return x;
    }
}
