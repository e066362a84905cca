package org.saeatlas.ingest.analytics;

import org.saeatlas.schema.AtlasVersion;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.comparison.ComparisonParameters;
import org.saeatlas.compute.comparison.GraphComparison;
import org.saeatlas.compute.comparison.PartitionAgreement;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.CypherRow;
import org.saeatlas.ingest.store.RunLoading;
import org.saeatlas.schema.Vocabulary;

/**
 * {@code atlas compare}: two runs' graphs compared through the stored matches between their SAEs
 * ({@link GraphComparison}): Jensen-Shannon divergence (base 2, the divergence, not its square root) of the degree
 * and of the strength distributions against Erdos-Renyi and degree-preserving baselines averaged over seeds, edge
 * Jaccard under the one-to-one assignment, and community agreement (ARI, NMI) under it when both runs are analysed.
 * Stored as one {@code (:Comparison)} node, written in one transaction and identified by its inputs, so comparing
 * again is a no-op. Two runs of the same SAE are compared under the identity matching.
 */
public final class RunComparison {

    private final CypherExecutor db;
    private final PrintStream out;
    private final Progress progress;
    private final RunLoading batches;

    public RunComparison(CypherExecutor db, PrintStream out) {
        this.db = db;
        this.out = out;
        this.progress = new ProgressPrinter(out);
        this.batches = new RunLoading(db, progress);
    }

    private List<CypherRow> read(String cypher, Map<String, Object> params) {
        return CypherRow.of(db.read(cypher, params));
    }

    /**
     * @param matchRun    the match run used, or null (same SAE: identity; no match run: no matching)
     * @param matched     features of A with a partner in B
     * @param agreement   community agreement under the matching, or null when a run is not analysed
     */
    public record Result(String id, String runA, String runB, String matchRun, int matched,
                         GraphComparison.Result comparison, String analysisA, String analysisB,
                         PartitionAgreement.Agreement agreement, double seconds) { }

    /** {@code matchRun}: a match run between the two SAEs, or null for the newest complete one. */
    public Result compare(String runA, String runB, String matchRun, ComparisonParameters p) {
        long t0 = System.nanoTime();
        WeightedRunGraph.Info a = WeightedRunGraph.info(db, runA);
        WeightedRunGraph.Info b = WeightedRunGraph.info(db, runB);
        String match = a.sae().equals(b.sae()) ? null : matchRun != null ? checkMatchRun(matchRun, a, b)
                : newestMatchRun(a, b);
        int[] bOfA = a.sae().equals(b.sae()) ? identity(a.width()) : match == null ? null : assignment(match, a, b);
        if (bOfA == null) {
            out.println("  no complete match run between " + a.sae() + " and " + b.sae() + ": comparing"
                    + " distributions only (run `atlas match` for edge overlap and community agreement)");
        }
        WeightedRunGraph ga = WeightedRunGraph.read(db, runA);
        WeightedRunGraph gb = WeightedRunGraph.read(db, runB);
        GraphComparison.Result c = GraphComparison.compare(ga.graph(), gb.graph(), bOfA, p, progress);
        String[] analyses = analyses(runA, runB);
        PartitionAgreement.Agreement agreement = null;
        if (analyses != null && bOfA != null) {
            agreement = PartitionAgreement.underMatching(labels(analyses[0], a.width()), labels(analyses[1], b.width()),
                    bOfA);
        }
        int matched = bOfA == null ? 0 : (int) Arrays.stream(bOfA).filter(x -> x >= 0).count();
        Map<String, Object> params = parameters(p);
        String id = "comparison-" + Checksums.of(runA, runB, String.valueOf(match), String.valueOf(analyses == null
                ? null : analyses[0] + "," + analyses[1]), RunAnalysis.json(params), AtlasVersion.SOFTWARE).substring(0, 16);
        Result result = new Result(id, runA, runB, match, matched, c, analyses == null ? null : analyses[0],
                analyses == null ? null : analyses[1], agreement, (System.nanoTime() - t0) / 1e9);
        store(result, params);
        if (bOfA != null && !runA.equals(runB)) {
            markSeedStableEdges(id, a, b, ga, gb, bOfA);
        }
        return result;
    }

    /** Edges of each run marked seed-stable in this comparison, of its analysed edges. */
    public record SeedStable(int stableA, int edgesA, int stableB, int edgesB) {
        public double shareA() {
            return edgesA == 0 ? 0 : (double) stableA / edgesA;
        }

        public double shareB() {
            return edgesB == 0 ? 0 : (double) stableB / edgesB;
        }
    }

    /**
     * Marks every analysed edge of each run with whether its counterpart under the one-to-one assignment is an
     * analysed edge of the other run. Per edge: {@code seedStableRuns}, the other runs in which it held (the entry
     * for the other run is replaced, so recomputing gives the same values), {@code seedStableIn} its size and
     * {@code seedStable = seedStableIn > 0}. The counts are set on the Comparison node.
     */
    SeedStable markSeedStableEdges(String comparison, WeightedRunGraph.Info a, WeightedRunGraph.Info b, WeightedRunGraph ga, WeightedRunGraph gb,
                                   int[] bOfA) {
        int[] aOfB = new int[b.width()];
        Arrays.fill(aOfB, -1);
        for (int i = 0; i < bOfA.length; i++) {
            if (bOfA[i] >= 0 && bOfA[i] < aOfB.length) {
                aOfB[bOfA[i]] = i;
            }
        }
        int[] sa = markEdges(a, b.run(), bOfA, gb);
        int[] sb = markEdges(b, a.run(), aOfB, ga);
        db.write("""
                MATCH (c:Comparison {id: $id}) SET c.seedStableEdgesA = $sa, c.analysedEdgesA = $ea,
                  c.seedStableEdgesB = $sb, c.analysedEdgesB = $eb""",
                Map.of("id", comparison, "sa", sa[0], "ea", sa[1], "sb", sb[0], "eb", sb[1]));
        SeedStable s = new SeedStable(sa[0], sa[1], sb[0], sb[1]);
        out.printf(Locale.ROOT, "  seed-stable edges: %,d of %,d in %s (%.1f%%), %,d of %,d in %s (%.1f%%)%n",
                s.stableA(), s.edgesA(), a.run(), 100 * s.shareA(), s.stableB(), s.edgesB(), b.run(),
                100 * s.shareB());
        return s;
    }

    /** {stable, edges} of one run's analysed edges, written in batches. */
    private int[] markEdges(WeightedRunGraph.Info run, String other, int[] partner, WeightedRunGraph otherGraph) {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        int stable = 0;
        for (CypherRow r : read("MATCH " + WeightedRunGraph.edgePattern(run.relationship())
                + " RETURN elementId(e) AS id, a.index AS a, b.index AS b",
                Map.of("run", run.run(), "all", !Vocabulary.KIND_DEPENDENCE.equals(run.kind())))) {
            int x = r.asInt("a");
            int y = r.asInt("b");
            int px = x < partner.length ? partner[x] : -1;
            int py = y < partner.length ? partner[y] : -1;
            boolean held = x != y && px >= 0 && py >= 0 && px != py && otherGraph.graph().hasEdge(px, py);
            stable += held ? 1 : 0;
            rows.add(Map.of("id", r.string("id"), "stable", held));
        }
        batches.write("seed-stable edges of " + run.run(), rows, """
                UNWIND $rows AS row
                MATCH ()-[e]->() WHERE elementId(e) = row.id
                WITH e, row, [x IN coalesce(e.seedStableRuns, []) WHERE x <> $other] AS rest
                WITH e, CASE WHEN row.stable THEN rest + $other ELSE rest END AS runs
                SET e.seedStableRuns = runs, e.seedStableIn = size(runs), e.seedStable = size(runs) > 0""",
                Map.of("other", other), m -> m);
        // the edges of a complete run changed: whatever was derived from them (the server's projections) rebuilds
        db.write("MATCH (r:Run {id: $run}) SET r." + Vocabulary.EDGES_REVISION + " = coalesce(r."
                + Vocabulary.EDGES_REVISION + ", 0) + 1", Map.of("run", run.run()));
        return new int[] {stable, rows.size()};
    }

    private static int[] identity(int n) {
        int[] id = new int[n];
        Arrays.setAll(id, i -> i);
        return id;
    }

    private String checkMatchRun(String run, WeightedRunGraph.Info a, WeightedRunGraph.Info b) {
        List<CypherRow> rows = read("MATCH (r:Run {id: $id}) RETURN r.kind AS kind, r.status AS status, r.saes AS saes",
                Map.of("id", run));
        if (!rows.isEmpty() && Vocabulary.KIND_STRUCTURAL_MATCH.equals(rows.get(0).string("kind"))) {
            throw new AtlasException("--match-run " + run + " matches by neighbourhood structure, which is too weak to"
                    + " carry edge overlap, community agreement or edge seed stability; give a decoder-cosine or"
                    + " activation-correlation match run between " + a.sae() + " and " + b.sae());
        }
        if (rows.isEmpty() || !Vocabulary.KIND_MATCH.equals(rows.get(0).string("kind"))) {
            throw new AtlasException("--match-run " + run + ": expected a match run between " + a.sae() + " and "
                    + b.sae() + ", found " + (rows.isEmpty() ? "no such run" : "a '" + rows.get(0).string("kind") + "' run"));
        }
        List<Object> saes = rows.get(0).list("saes");
        if (!saes.contains(a.sae()) || !saes.contains(b.sae())
                || !Vocabulary.STATUS_COMPLETE.equals(rows.get(0).string("status"))) {
            throw new AtlasException("--match-run " + run + ": matches " + saes + " (status "
                    + rows.get(0).string("status") + "), expected a complete run matching " + a.sae()
                    + " and " + b.sae());
        }
        return run;
    }

    private String newestMatchRun(WeightedRunGraph.Info a, WeightedRunGraph.Info b) {
        List<CypherRow> rows = read("""
                MATCH (r:Run {kind: $kind, status: $complete}) WHERE $a IN r.saes AND $b IN r.saes
                RETURN r.id AS id ORDER BY r.completedAt DESC, r.id LIMIT 1""", Map.of("kind", Vocabulary.KIND_MATCH,
                "complete", Vocabulary.STATUS_COMPLETE, "a", a.sae(), "b", b.sae()));
        return rows.isEmpty() ? null : rows.get(0).string("id");
    }

    /** B's partner of each A feature under the run's one-to-one assignment (either direction of storage). */
    private int[] assignment(String match, WeightedRunGraph.Info a, WeightedRunGraph.Info b) {
        int[] bOfA = new int[a.width()];
        Arrays.fill(bOfA, -1);
        for (CypherRow r : read("""
                MATCH (x:Feature)-[m:MATCHES {run: $run}]->(y:Feature) WHERE m.method ENDS WITH $assignment
                RETURN x.sae AS sae, x.index AS x, y.index AS y""",
                Map.of("run", match, "assignment", "/" + MatchLoader.ASSIGNMENT))) {
            boolean forward = r.string("sae").equals(a.sae());
            int i = forward ? r.asInt("x") : r.asInt("y");
            int j = forward ? r.asInt("y") : r.asInt("x");
            if (i < a.width() && j < b.width()) {
                bOfA[i] = j;
            }
        }
        return bOfA;
    }

    /** The newest complete analyses of both runs with the same algorithm, or null. */
    private String[] analyses(String runA, String runB) {
        List<CypherRow> rows = read("""
                MATCH (x:Analysis {run: $a, status: $complete}), (y:Analysis {run: $b, status: $complete})
                WHERE x.algorithm = y.algorithm
                WITH x, y ORDER BY x.completedAt DESC, y.completedAt DESC, x.id, y.id LIMIT 1
                RETURN x.id AS ax, y.id AS ay""",
                Map.of("a", runA, "b", runB, "complete", Vocabulary.STATUS_COMPLETE));
        return rows.isEmpty() ? null : new String[] {rows.get(0).string("ax"), rows.get(0).string("ay")};
    }

    /** Community of each feature in an analysis, -1 for none. */
    int[] labels(String analysis, int width) {
        int[] labels = new int[width];
        Arrays.fill(labels, -1);
        for (CypherRow r : read("""
                MATCH (f:Feature)-[:MEMBER_OF {analysis: $id}]->(c:Community {kind: $kind})
                RETURN f.index AS f, c.index AS c""", Map.of("id", analysis, "kind", Vocabulary.GROUP_COMMUNITY))) {
            labels[r.asInt("f")] = r.asInt("c");
        }
        return labels;
    }

    private static Map<String, Object> parameters(ComparisonParameters p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("baselineSeeds", p.baselineSeeds());
        m.put("seed", p.seed());
        m.put("swapsPerEdge", p.swapsPerEdge());
        m.put("strengthBins", p.strengthBins());
        m.put("jsd", "Jensen-Shannon divergence, log base 2, not its square root");
        m.put("matching", "one-to-one assignment");
        return m;
    }

    private void store(Result r, Map<String, Object> parameters) {
        GraphComparison.Result c = r.comparison();
        Map<String, Object> props = new HashMap<>();
        props.put("id", r.id());
        props.put("runA", r.runA());
        props.put("runB", r.runB());
        props.put("matchRun", r.matchRun());
        props.put("matchedFeatures", r.matched());
        props.put("degreeJsd", c.degreeJsd());
        props.put("strengthJsd", c.strengthJsd());
        props.put("erDegreeJsd", c.erdosRenyi().degreeJsd().mean());
        props.put("erDegreeJsdSd", c.erdosRenyi().degreeJsd().sd());
        props.put("erStrengthJsd", c.erdosRenyi().strengthJsd().mean());
        props.put("erStrengthJsdSd", c.erdosRenyi().strengthJsd().sd());
        props.put("rewiredDegreeJsd", c.rewired().degreeJsd().mean());
        props.put("rewiredStrengthJsd", c.rewired().strengthJsd().mean());
        props.put("rewiredStrengthJsdSd", c.rewired().strengthJsd().sd());
        props.put("baselineSeeds", c.erdosRenyi().seeds());
        // the distributions behind the JSDs (a few hundred numbers): observed, and the baselines' mean over the seeds
        GraphComparison.Observed o = c.observed();
        props.put("degreeCountsA", longs(o.degreeA()));
        props.put("degreeCountsB", longs(o.degreeB()));
        props.put("strengthCountsA", longs(o.strengthA()));
        props.put("strengthCountsB", longs(o.strengthB()));
        props.put("strengthBinWidth", o.strengthBinWidth());
        props.put("erDegreeCountsA", doubles(c.erdosRenyi().counts().degreeA()));
        props.put("erDegreeCountsB", doubles(c.erdosRenyi().counts().degreeB()));
        props.put("erStrengthCountsA", doubles(c.erdosRenyi().counts().strengthA()));
        props.put("erStrengthCountsB", doubles(c.erdosRenyi().counts().strengthB()));
        props.put("rewiredStrengthCountsA", doubles(c.rewired().counts().strengthA()));
        props.put("rewiredStrengthCountsB", doubles(c.rewired().counts().strengthB()));
        if (c.overlap() != null) {
            props.put("edgeJaccard", c.overlap().jaccard());
            props.put("sharedEdges", c.overlap().shared());
            props.put("matchedEdgesA", c.overlap().edgesA());
            props.put("matchedEdgesB", c.overlap().edgesB());
            props.put("erEdgeJaccard", c.erdosRenyi().edgeJaccard().mean());
            props.put("rewiredEdgeJaccard", c.rewired().edgeJaccard().mean());
        }
        if (r.agreement() != null) {
            props.put("ari", finite(r.agreement().ari()));
            props.put("nmi", finite(r.agreement().nmi()));
            props.put("agreementFeatures", r.agreement().items());
            props.put("analysisA", r.analysisA());
            props.put("analysisB", r.analysisB());
        }
        props.put("parameters", RunAnalysis.json(parameters));
        props.put("software", AtlasVersion.SOFTWARE);
        db.write("""
                MATCH (ra:Run {id: $runA}), (rb:Run {id: $runB})
                MERGE (c:Comparison {id: $id})
                ON CREATE SET c = $props, c.createdAt = toString(datetime())
                MERGE (c)-[:COMPARES {side: 'A'}]->(ra)
                MERGE (c)-[:COMPARES {side: 'B'}]->(rb)""",
                Map.of("runA", r.runA(), "runB", r.runB(), "id", r.id(), "props", props));
    }

    private static List<Long> longs(long[] x) {
        return Arrays.stream(x).boxed().toList();
    }

    private static List<Double> doubles(double[] x) {
        return Arrays.stream(x).boxed().toList();
    }

    private static Double finite(double x) {
        return Double.isFinite(x) ? x : null;
    }

    /** The printed summary of a comparison. */
    public void print(Result r) {
        GraphComparison.Result c = r.comparison();
        out.printf(Locale.ROOT, "comparison %s: %s vs %s%s%n", r.id(), r.runA(), r.runB(),
                r.matchRun() == null ? (r.matched() > 0 ? " (same SAE: identity matching)" : "")
                        : String.format(Locale.ROOT, " under match run %s (%,d matched features)", r.matchRun(),
                        r.matched()));
        out.printf(Locale.ROOT, "  Jensen-Shannon divergence (log base 2; the divergence, not its square root),"
                + " baselines averaged over %d seeds:%n", c.erdosRenyi().seeds());
        out.println("                  observed   Erdos-Renyi        degree-preserving rewiring");
        out.printf(Locale.ROOT, "    degree        %8.4f   %.4f +- %.4f   %.4f (degrees kept by construction)%n",
                c.degreeJsd(), c.erdosRenyi().degreeJsd().mean(), c.erdosRenyi().degreeJsd().sd(),
                c.rewired().degreeJsd().mean());
        out.printf(Locale.ROOT, "    strength      %8.4f   %.4f +- %.4f   %.4f +- %.4f%n", c.strengthJsd(),
                c.erdosRenyi().strengthJsd().mean(), c.erdosRenyi().strengthJsd().sd(),
                c.rewired().strengthJsd().mean(), c.rewired().strengthJsd().sd());
        if (c.overlap() != null) {
            out.printf(Locale.ROOT, "    edge Jaccard  %8.4f   %.4f             %.4f   (%,d shared of %,d and %,d edges"
                    + " between matched features)%n", c.overlap().jaccard(), c.erdosRenyi().edgeJaccard().mean(),
                    c.rewired().edgeJaccard().mean(), c.overlap().shared(), c.overlap().edgesA(),
                    c.overlap().edgesB());
        }
        if (r.agreement() != null) {
            out.printf(Locale.ROOT, "  communities under the matching: ARI %.3f, NMI %.3f over %,d features (%s vs %s)%n",
                    r.agreement().ari(), r.agreement().nmi(), r.agreement().items(), r.analysisA(), r.analysisB());
        } else {
            out.println("  communities: not compared (analyse both runs with the same algorithm first)");
        }
    }
}
