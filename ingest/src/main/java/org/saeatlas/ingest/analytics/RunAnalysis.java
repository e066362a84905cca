package org.saeatlas.ingest.analytics;

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
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.saeatlas.compute.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.graphs.Distributions;
import org.saeatlas.compute.graphs.GraphShapes;
import org.saeatlas.compute.graphs.Partitions;
import org.saeatlas.compute.graphs.Shape;
import org.saeatlas.compute.graphs.WeightedGraph;
import org.saeatlas.ingest.Checksums;
import org.saeatlas.ingest.ProgressPrinter;
import org.saeatlas.ingest.SaeLoader;
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

    private final Statements db;
    private final PrintStream out;
    private final Progress progress;

    public RunAnalysis(Driver driver, PrintStream out) {
        this.db = new Statements(driver);
        this.out = out;
        this.progress = new ProgressPrinter(out);
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
        return "analysis-" + Checksums.of(run, json(p.asMap()), SaeLoader.SOFTWARE).substring(0, 16);
    }

    public Result analyse(String run, AnalysisParameters p) {
        long t0 = System.nanoTime();
        RunGraph.Info info = RunGraph.info(db, run);
        String id = analysisId(run, p);
        String status = begin(id, info, p);
        if (Vocabulary.STATUS_COMPLETE.equals(status)) {
            Record a = db.read("MATCH (a:Analysis {id: $id}) RETURN a", Map.of("id", id)).get(0);
            return new Result(id, run, false, a.get("a").get("componentCount").asInt(),
                    a.get("a").get("communityCount").asInt(), a.get("a").get("modularity").asDouble(), 0, Map.of());
        }
        clear(id);
        Map<String, Double> stages = new LinkedHashMap<>();
        long t = System.nanoTime();
        RunGraph graph = RunGraph.read(db, run);
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
        complete(id, info, graph.graph(), gds, components, communities, p);
        lap(stages, "distributions", t);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(id, run, true, components, communities, gds.modularity(), seconds, stages);
    }

    private static long lap(Map<String, Double> stages, String stage, long since) {
        long now = System.nanoTime();
        stages.put(stage, (now - since) / 1e9);
        return now;
    }

    private String begin(String id, RunGraph.Info info, AnalysisParameters p) {
        return db.writeReturning("""
                MATCH (r:Run {id: $run})
                MERGE (a:Analysis {id: $id})
                ON CREATE SET a.run = $run, a.sae = $sae, a.kind = 'analysis', a.runKind = $kind,
                              a.algorithm = $algorithm, a.seed = $seed, a.parameters = $parameters,
                              a.software = $software, a.status = $loading, a.createdAt = toString(datetime())
                MERGE (a)-[:OF_RUN]->(r)
                RETURN a.status AS status""", params(
                "run", info.run(), "id", id, "sae", info.sae(), "kind", info.kind(),
                "algorithm", p.algorithm().gdsName(),
                "seed", p.algorithm() == CommunityAlgorithm.LEIDEN ? p.seed() : null,
                "parameters", json(p.asMap()), "software", SaeLoader.SOFTWARE, "loading", Vocabulary.STATUS_LOADING))
                .get(0).get("status").asString();
    }

    /** Leftovers of an interrupted analysis with this id. */
    private void clear(String id) {
        db.auto("""
                MATCH (c:Community {analysis: $id})
                CALL { WITH c DETACH DELETE c } IN TRANSACTIONS OF 1000 ROWS""", Map.of("id", id));
    }

    static List<Group> groups(String kind, RunGraph run, int[] labels, AnalysisParameters p) {
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
                Double c = y > x ? run.cosine().get(RunGraph.key(x, y)) : null;
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

    private void write(String id, RunGraph.Info info, AnalysisParameters p, List<Group> groups) {
        db.batched("communities", groups, """
                MATCH (a:Analysis {id: $analysis})
                UNWIND $rows AS row
                CREATE (c:Community)
                SET c = row
                CREATE (c)-[:IN_ANALYSIS]->(a)""",
                Map.of("analysis", id), grp -> props(id, info, p, grp), progress);
        // memberships in bounded transactions: a giant component's members are split over several
        List<Map<String, Object>> chunks = new ArrayList<>();
        for (Group grp : groups) {
            List<String> members = memberIds(info.sae(), grp.members());
            String community = communityId(id, grp);
            for (int from = 0; from < members.size(); from += Statements.BATCH) {
                chunks.add(Map.of("c", community, "members",
                        members.subList(from, Math.min(members.size(), from + Statements.BATCH))));
            }
        }
        db.batched("memberships", chunks, """
                UNWIND $rows AS row
                MATCH (c:Community {id: row.c})
                UNWIND row.members AS fid
                MATCH (f:Feature {id: fid})
                CREATE (f)-[:MEMBER_OF {run: $run, analysis: $analysis}]->(c)""",
                Map.of("analysis", id, "run", info.run()), chunk -> chunk,
                chunk -> ((List<?>) chunk.get("members")).size(), progress);
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

    private static Map<String, Object> props(String id, RunGraph.Info info, AnalysisParameters p, Group grp) {
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

    private void complete(String id, RunGraph.Info info, WeightedGraph g, GdsCommunities.Result gds, int components,
                          int communities, AnalysisParameters p) {
        long[] degrees = Distributions.degreeCounts(g);
        Distributions.StrengthBins bins = Distributions.strengthBins(30, g);
        long[] strengths = Distributions.strengthCounts(g, bins);
        Map<String, Object> params = params("id", id, "run", info.run(), "complete", Vocabulary.STATUS_COMPLETE,
                "modularity", gds.modularity(), "levels", gds.levels(), "converged", gds.converged(),
                "components", components, "communities", communities,
                "nodes", gds.projectedNodes(), "edges", g.edgeCount(),
                "degreeCounts", toList(degrees), "strengthCounts", toList(strengths),
                "strengthBinWidth", bins.max() / bins.bins(), "maxDegree", degrees.length - 1);
        db.write("""
                MATCH (a:Analysis {id: $id}), (r:Run {id: $run})
                SET a.modularity = $modularity, a.levels = $levels, a.converged = $converged,
                    a.componentCount = $components, a.communityCount = $communities,
                    a.nodesWithEdges = $nodes, a.edges = $edges,
                    r.degreeCounts = $degreeCounts, r.strengthCounts = $strengthCounts,
                    r.strengthBinWidth = $strengthBinWidth, r.maxDegree = $maxDegree, r.nodesWithEdges = $nodes,
                    a.status = $complete, a.completedAt = toString(datetime())""", params);
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
        Record a = db.read("MATCH (a:Analysis {id: $id}) RETURN a", Map.of("id", analysisId)).get(0);
        var an = a.get("a");
        out.printf(Locale.ROOT, "analysis %s of run %s (%s, SAE %s): %s%s, modularity %.3f%n", analysisId,
                an.get("run").asString(), an.get("runKind").asString(""), an.get("sae").asString(""),
                an.get("algorithm").asString(), an.get("seed").isNull() ? "" : " seed " + an.get("seed").asLong(),
                an.get("modularity").asDouble());
        out.printf(Locale.ROOT, "  %,d features with edges, %,d edges: %,d components, %,d communities%n",
                an.get("nodesWithEdges").asLong(), an.get("edges").asLong(), an.get("componentCount").asInt(),
                an.get("communityCount").asInt());
        for (String kind : List.of(Vocabulary.GROUP_COMPONENT, Vocabulary.GROUP_COMMUNITY)) {
            List<Record> types = db.read("""
                    MATCH (c:Community {analysis: $id, kind: $kind})
                    RETURN c.type AS type, count(*) AS n, sum(CASE WHEN c.nearDuplicate THEN 1 ELSE 0 END) AS dup
                    ORDER BY type""", Map.of("id", analysisId, "kind", kind));
            StringBuilder line = new StringBuilder(kind.equals(Vocabulary.GROUP_COMPONENT) ? "  components by type:"
                    : "  communities by type:");
            long dup = 0;
            for (Record t : types) {
                line.append(' ').append(t.get("type").asString()).append(' ').append(t.get("n").asLong());
                dup += t.get("dup").asLong();
            }
            out.println(line + "; near-duplicate groups: " + dup);
        }
        List<Record> largest = db.read("""
                MATCH (c:Community {analysis: $id, kind: 'community'}) WHERE c.size >= 3
                WITH c ORDER BY c.index LIMIT $top
                MATCH (f:Feature)-[:MEMBER_OF]->(c)
                WITH c, f ORDER BY f.index
                RETURN c.id AS id, c.size AS size, c.type AS type, c.density AS density,
                       c.centralisation AS centralisation, c.meanCosine AS cosine,
                       c.index AS idx, collect(f.index + ' ' + coalesce(f.explanation, '?'))[..6] AS members
                ORDER BY idx""", Map.of("id", analysisId, "top", top));
        if (!largest.isEmpty()) {
            out.println("  largest communities:");
        }
        for (Record c : largest) {
            out.printf(Locale.ROOT, "    %s  size %d  %s  density %.2f  centralisation %.2f%s%n", c.get("id").asString(),
                    c.get("size").asInt(), c.get("type").asString(), c.get("density").asDouble(),
                    c.get("centralisation").asDouble(), c.get("cosine").isNull() ? ""
                            : String.format(Locale.ROOT, "  mean edge cosine %.2f", c.get("cosine").asDouble()));
            for (Object m : c.get("members").asList()) {
                out.println("      " + m);
            }
        }
    }
}
