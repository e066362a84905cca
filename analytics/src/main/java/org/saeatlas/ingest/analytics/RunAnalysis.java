package org.saeatlas.ingest.analytics;

import org.saeatlas.schema.AtlasVersion;
import static org.saeatlas.schema.Vocabulary.featureId;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.graphs.Distributions;
import org.saeatlas.compute.graphs.GraphShapes;
import org.saeatlas.compute.graphs.Partitions;
import org.saeatlas.compute.graphs.Shape;
import org.saeatlas.compute.graphs.WeightedGraph;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.CypherRow;
import org.saeatlas.ingest.store.RunLoading;
import org.saeatlas.ingest.store.RunStore;
import org.saeatlas.schema.Vocabulary;

/**
 * {@code atlas analyse}: connected components and communities of one run's graph (GDS, inside Neo4j), the shape of
 * each ({@link GraphShapes}) with the mean decoder cosine of its edges and a near-duplicate flag, and the run's
 * degree and strength distributions; stored as {@code (:Community)} nodes with {@code MEMBER_OF} memberships under an
 * {@code (:Analysis)} provenance node.
 *
 * <p>Same protocol as runs: an analysis is identified by its content (run, parameters, software), is {@code loading}
 * while its communities are written and {@code complete} (visible) only when all are in; analysing again is a no-op,
 * and an analysis left {@code loading} by a crash is cleared and redone.
 */
public final class RunAnalysis {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CypherExecutor db;
    private final PrintStream out;
    private final Progress progress;
    private final RunLoading loading;

    public RunAnalysis(CypherExecutor db, PrintStream out) {
        this.db = db;
        this.out = out;
        this.progress = new ProgressPrinter(out);
        this.loading = new RunLoading(db, progress);
    }

    /** One stored group (component or community) with its shape. */
    public record Group(String kind, int index, int[] members, Shape shape, double meanEdgeCosine, long cosineEdges,
                        boolean nearDuplicate, int hub) { }

    /**
     * What one analysis computed (or found already stored: {@code computed = false}, groups empty); {@code stages}:
     * seconds per stage in order (read graph, GDS projection, GDS WCC, GDS communities, shapes, write-back,
     * distributions), empty when nothing was computed.
     */
    public record Result(String analysisId, String run, boolean computed, int components, int communities,
                         double modularity, double seconds, Map<String, Double> stages) {
        public Result {
            stages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(stages));
        }
    }

    /** The id of an analysis: its run, parameters and the software. */
    public static String analysisId(String run, AnalysisParameters p) {
        return "analysis-" + Checksums.of(run, json(p.asMap()), AtlasVersion.SOFTWARE).substring(0, 16);
    }

    public Result analyse(String run, AnalysisParameters p) {
        long t0 = System.nanoTime();
        WeightedRunGraph.Info info = WeightedRunGraph.info(db, run);
        String id = analysisId(run, p);
        RunLoading.Load load = begin(id, info, p);
        if (load.alreadyComplete()) {
            CypherRow a = new CypherRow(load.stored());
            return new Result(id, run, false, a.asInt("componentCount"), a.asInt("communityCount"),
                    a.asDouble("modularity"), 0, Map.of());
        }
        load.clear(RunStore.MEMBERSHIPS_OF_ANALYSIS);
        load.clear(RunStore.COMMUNITIES_OF_ANALYSIS);
        Map<String, Double> stages = new LinkedHashMap<>();
        long t = System.nanoTime();
        WeightedRunGraph graph = WeightedRunGraph.read(db, run);
        t = lap(stages, "read graph", t);
        GdsCommunities.Result gds = GdsCommunities.run(db, info, info.width(), p, progress);
        stages.put("GDS projection", gds.projectionSeconds());
        stages.put("GDS WCC", gds.wccSeconds());
        stages.put("GDS " + p.algorithm().gdsName(), gds.communitySeconds());
        t = System.nanoTime();
        List<Group> groups = new ArrayList<>(groups(Vocabulary.GROUP_COMPONENT, graph, gds.components(), p));
        groups.addAll(groups(Vocabulary.GROUP_COMMUNITY, graph, gds.communities(), p));
        t = lap(stages, "shapes", t);
        write(id, info, p, groups);
        t = lap(stages, "write-back", t);
        int components = Partitions.groups(gds.components());
        int communities = Partitions.groups(gds.communities());
        complete(load, info, graph.graph(), gds, components, communities);
        lap(stages, "distributions", t);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(id, run, true, components, communities, gds.modularity(), seconds, stages);
    }

    private static long lap(Map<String, Double> stages, String stage, long since) {
        long now = System.nanoTime();
        stages.put(stage, (now - since) / 1e9);
        return now;
    }

    private RunLoading.Load begin(String id, WeightedRunGraph.Info info, AnalysisParameters p) {
        return loading.begin("Analysis", id, """
                MATCH (r:Run {id: $run})
                MERGE (a:Analysis {id: $id})
                ON CREATE SET a.run = $run, a.sae = $sae, a.kind = 'analysis', a.runKind = $kind,
                              a.algorithm = $algorithm, a.seed = $seed, a.parameters = $parameters,
                              a.software = $software, a.status = $loading, a.createdAt = toString(datetime())
                MERGE (a)-[:OF_RUN]->(r)
                RETURN a.status AS status""", params(
                "run", info.run(), "sae", info.sae(), "kind", info.kind(),
                "algorithm", p.algorithm().gdsName(),
                "seed", p.algorithm() == CommunityAlgorithm.LEIDEN ? p.seed() : null,
                "parameters", json(p.asMap()), "software", AtlasVersion.SOFTWARE),
                () -> "no run " + info.run() + " in the database; './atlas runs list' shows the stored runs");
    }

    static List<Group> groups(String kind, WeightedRunGraph run, int[] labels, AnalysisParameters p) {
        WeightedGraph g = run.graph();
        List<Shape> shapes = GraphShapes.ofPartition(g, labels, null, p.shapes(), Progress.NONE);
        int[][] members = Partitions.members(labels, shapes.size());
        double[] cosSum = new double[shapes.size()];
        long[] cosN = new long[shapes.size()];
        int[] inner = new int[g.nodes()];
        for (int x = 0; x < g.nodes(); x++) {
            for (int k = g.offsets()[x]; k < g.offsets()[x + 1]; k++) {
                int y = g.targets()[k];
                if (labels[x] < 0 || labels[x] != labels[y]) {
                    continue;
                }
                inner[x]++;
                Double c = y > x ? run.cosine().get(WeightedRunGraph.key(x, y)) : null;
                if (c != null) {
                    cosSum[labels[x]] += c;
                    cosN[labels[x]]++;
                }
            }
        }
        List<Group> out = new ArrayList<>(shapes.size());
        for (int c = 0; c < shapes.size(); c++) {
            int hub = members[c][0];
            for (int v : members[c]) {
                hub = inner[v] > inner[hub] ? v : hub;
            }
            double mean = cosN[c] == 0 ? Double.NaN : cosSum[c] / cosN[c];
            boolean dup = cosN[c] > 0 && mean >= p.nearDuplicateEdgeCosine();
            out.add(new Group(kind, c, members[c], shapes.get(c), mean, cosN[c], dup, hub));
        }
        return out;
    }

    private void write(String id, WeightedRunGraph.Info info, AnalysisParameters p, List<Group> groups) {
        loading.write("communities", groups, """
                MATCH (a:Analysis {id: $analysis})
                UNWIND $rows AS row
                CREATE (c:Community)
                SET c = row
                CREATE (c)-[:IN_ANALYSIS]->(a)""",
                Map.of("analysis", id), grp -> props(id, info, p, grp));
        // memberships in bounded transactions: a giant component's members are split over several
        List<Map<String, Object>> chunks = new ArrayList<>();
        for (Group grp : groups) {
            List<String> members = memberIds(info.sae(), grp.members());
            String community = communityId(id, grp);
            for (int from = 0; from < members.size(); from += loading.batch()) {
                chunks.add(Map.of("c", community, "members",
                        members.subList(from, Math.min(members.size(), from + loading.batch()))));
            }
        }
        loading.write("memberships", chunks, """
                UNWIND $rows AS row
                MATCH (c:Community {id: row.c})
                UNWIND row.members AS fid
                MATCH (f:Feature {id: fid})
                CREATE (f)-[:MEMBER_OF {run: $run, analysis: $analysis}]->(c)""",
                Map.of("analysis", id, "run", info.run()), chunk -> chunk,
                chunk -> ((List<?>) chunk.get("members")).size());
    }

    private static List<String> memberIds(String sae, int[] members) {
        List<String> ids = new ArrayList<>(members.length);
        for (int m : members) {
            ids.add(featureId(sae, m));
        }
        return ids;
    }

    private static String communityId(String analysis, Group grp) {
        return analysis + "/" + grp.kind() + "/" + grp.index();
    }

    private static Map<String, Object> props(String id, WeightedRunGraph.Info info, AnalysisParameters p, Group grp) {
        Shape s = grp.shape();
        Map<String, Object> m = new HashMap<>();
        m.put("id", communityId(id, grp));
        m.put("run", info.run());
        m.put("analysis", id);
        m.put("sae", info.sae());
        m.put("kind", grp.kind());
        m.put("algorithm", grp.kind().equals(Vocabulary.GROUP_COMPONENT) ? "wcc" : p.algorithm().gdsName());
        m.put("index", grp.index());
        m.put("size", s.size());
        m.put("edges", s.edges());
        m.put("density", s.density());
        m.put("maxDegree", s.maxDegree());
        m.put("meanDegree", s.meanDegree());
        m.put("centralisation", s.centralisation());
        m.put("clustering", s.clustering());
        m.put("diameter", s.diameter());
        m.put("diameterUpper", s.diameterUpper());
        m.put("diameterExact", s.diameterExact());
        m.put("chainScore", s.chainScore());
        m.put("type", s.type().name().toLowerCase(Locale.ROOT));
        m.put("reason", s.reason());
        m.put("meanCosine", Double.isNaN(grp.meanEdgeCosine()) ? null : grp.meanEdgeCosine());
        m.put("cosineEdges", grp.cosineEdges());
        m.put("nearDuplicate", grp.nearDuplicate());
        m.put("hub", featureId(info.sae(), grp.hub()));
        return m;
    }

    /** The run's degree and strength distributions, then the analysis marked complete with its counts. */
    private void complete(RunLoading.Load load, WeightedRunGraph.Info info, WeightedGraph g, GdsCommunities.Result gds,
                          int components, int communities) {
        long[] degrees = Distributions.degreeCounts(g);
        Distributions.StrengthBins bins = Distributions.strengthBins(30, g);
        long[] strengths = Distributions.strengthCounts(g, bins);
        db.write("""
                MATCH (r:Run {id: $run})
                SET r.degreeCounts = $degreeCounts, r.strengthCounts = $strengthCounts,
                    r.strengthBinWidth = $strengthBinWidth, r.maxDegree = $maxDegree, r.nodesWithEdges = $nodes""",
                params("run", info.run(), "nodes", gds.projectedNodes(), "degreeCounts", toList(degrees),
                        "strengthCounts", toList(strengths), "strengthBinWidth", bins.max() / bins.bins(),
                        "maxDegree", degrees.length - 1));
        load.complete(params("modularity", gds.modularity(), "levels", gds.levels(), "converged", gds.converged(),
                "componentCount", components, "communityCount", communities,
                "nodesWithEdges", gds.projectedNodes(), "edges", g.edgeCount()));
    }

    private static List<Long> toList(long[] a) {
        List<Long> l = new ArrayList<>(a.length);
        for (long x : a) {
            l.add(x);
        }
        return l;
    }

    static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new AtlasException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** Prints an analysis: counts by type, and the largest communities with their members' explanations. */
    public void printSummary(String analysisId, int top) {
        CypherRow an = new CypherRow(db.read("MATCH (a:Analysis {id: $id}) RETURN a", Map.of("id", analysisId))
                .get(0)).row("a");
        out.printf(Locale.ROOT, "analysis %s of run %s (%s, SAE %s): %s%s, modularity %.3f%n", analysisId,
                an.string("run"), orEmpty(an.string("runKind")), orEmpty(an.string("sae")),
                an.string("algorithm"), an.isNull("seed") ? "" : " seed " + an.asLong("seed"),
                an.asDouble("modularity"));
        out.printf(Locale.ROOT, "  %,d features with edges, %,d edges: %,d components, %,d communities%n",
                an.asLong("nodesWithEdges"), an.asLong("edges"), an.asInt("componentCount"),
                an.asInt("communityCount"));
        for (String kind : List.of(Vocabulary.GROUP_COMPONENT, Vocabulary.GROUP_COMMUNITY)) {
            List<CypherRow> types = CypherRow.of(db.read("""
                    MATCH (c:Community {analysis: $id, kind: $kind})
                    RETURN c.type AS type, count(*) AS n, sum(CASE WHEN c.nearDuplicate THEN 1 ELSE 0 END) AS dup
                    ORDER BY type""", Map.of("id", analysisId, "kind", kind)));
            StringBuilder line = new StringBuilder(kind.equals(Vocabulary.GROUP_COMPONENT) ? "  components by type:"
                    : "  communities by type:");
            long dup = 0;
            for (CypherRow t : types) {
                line.append(' ').append(t.string("type")).append(' ').append(t.asLong("n"));
                dup += t.asLong("dup");
            }
            out.println(line + "; near-duplicate groups: " + dup);
        }
        List<CypherRow> largest = CypherRow.of(db.read("""
                MATCH (c:Community {analysis: $id, kind: 'community'}) WHERE c.size >= 3
                WITH c ORDER BY c.index LIMIT $top
                MATCH (f:Feature)-[:MEMBER_OF]->(c)
                WITH c, f ORDER BY f.index
                RETURN c.id AS id, c.size AS size, c.type AS type, c.density AS density,
                       c.centralisation AS centralisation, c.meanCosine AS cosine,
                       c.index AS idx, collect(f.index + ' ' + coalesce(f.explanation, '?'))[..6] AS members
                ORDER BY idx""", Map.of("id", analysisId, "top", top)));
        if (!largest.isEmpty()) {
            out.println("  largest communities:");
        }
        for (CypherRow c : largest) {
            out.printf(Locale.ROOT, "    %s  size %d  %s  density %.2f  centralisation %.2f%s%n", c.string("id"),
                    c.asInt("size"), c.string("type"), c.asDouble("density"),
                    c.asDouble("centralisation"), c.isNull("cosine") ? ""
                            : String.format(Locale.ROOT, "  mean edge cosine %.2f", c.asDouble("cosine")));
            for (Object m : c.list("members")) {
                out.println("      " + m);
            }
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
