package org.saeatlas.server.graphql;

import graphql.schema.DataFetchingEnvironment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.schema.Vocabulary;
import org.saeatlas.server.store.AtlasReader;
import org.saeatlas.server.store.AttributeFilter;
import org.saeatlas.server.store.EdgeReads;
import org.saeatlas.server.store.NeighbourQuery;

/**
 * Subgraphs ready to draw: a breadth-first k-hop neighbourhood under a node cap (one round trip per hop plus one for
 * the nodes), and shortest paths. Edges always come from a single run.
 */
final class Neighbourhoods {

    static final int MAX_HOPS = 3;
    static final int MAX_NODES = 500;
    static final int MAX_PATH = 6;

    private final AtlasReader reader;
    private final EdgeReads edgeReads;
    private final Connections connections;

    Neighbourhoods(EdgeReads edgeReads, Connections connections) {
        this.reader = edgeReads.reader();
        this.edgeReads = edgeReads;
        this.connections = connections;
    }

    Object subgraph(DataFetchingEnvironment env) {
        String featureId = env.getArgument("feature");
        String kind = String.valueOf(env.getArgumentOrDefault("kind", "DEPENDENCE"));
        int hops = env.getArgumentOrDefault("hops", 1);
        int maxNodes = env.getArgumentOrDefault("maxNodes", 200);
        if (hops < 1 || hops > MAX_HOPS) {
            throw new AtlasException("subgraph(hops): expected 1.." + MAX_HOPS + ", found " + hops);
        }
        if (maxNodes < 1 || maxNodes > MAX_NODES) {
            throw new AtlasException("subgraph(maxNodes): expected 1.." + MAX_NODES + ", found " + maxNodes);
        }
        Map<String, Object> centre = reader.featuresById(List.of(featureId)).get(featureId);
        if (centre == null) {
            throw new AtlasException("feature '" + featureId + "' is not in the atlas");
        }
        AtlasReader.RunRef run = run((String) centre.get("sae"), kind, env.getArgument("run"));
        String rel = Vocabulary.relationshipOf(kind);
        List<AttributeFilter> attributes = AttributeFilter.of(env.getArgument("attributes"));
        boolean directed = directed(run.id());
        Set<String> nodes = new LinkedHashSet<>(List.of(featureId));
        Map<String, Map<String, Object>> edges = new LinkedHashMap<>();
        List<String> frontier = List.of(featureId);
        boolean truncated = false;
        for (int hop = 0; hop < hops && !frontier.isEmpty(); hop++) {
            List<String> next = new ArrayList<>();
            for (Map<String, Object> row : edgeReads.edgesAround(frontier, null, run, edges(rel, run, env, attributes))) {
                String a = (String) row.get("a");
                String b = (String) row.get("b");
                if (!nodes.contains(b)) {
                    if (nodes.size() >= maxNodes) {
                        truncated = true;
                        continue;
                    }
                    nodes.add(b);
                    next.add(b);
                }
                addOnce(edges, a, b, kind, row, directed);
            }
            frontier = next;
        }
        if (!frontier.isEmpty()) {
            // edges among the last hop's nodes (they close triangles at the boundary)
            for (Map<String, Object> row : edgeReads.edgesAround(frontier, nodes, run,
                    edges(rel, run, env, attributes))) {
                String a = (String) row.get("a");
                String b = (String) row.get("b");
                if (nodes.contains(b)) {
                    addOnce(edges, a, b, kind, row, directed);
                }
            }
        }
        return result(nodes, new ArrayList<>(edges.values()), run.id(), truncated,
                edgeReads.features(nodes, run, rel));
    }

    /** The edges of {@code run} a subgraph draws, with the request's replicate, stability and attribute filters. */
    private static NeighbourQuery edges(String rel, AtlasReader.RunRef run, DataFetchingEnvironment env,
                                        List<AttributeFilter> attributes) {
        return NeighbourQuery.edgesOf(rel, run.id(), env.getArgument("minReplicates"), env.getArgument("stableOnly"),
                attributes);
    }

    Object path(DataFetchingEnvironment env) {
        String from = env.getArgument("from");
        String to = env.getArgument("to");
        String kind = String.valueOf(env.getArgumentOrDefault("kind", "DEPENDENCE"));
        int maxHops = env.getArgumentOrDefault("maxHops", 4);
        if (maxHops < 1 || maxHops > MAX_PATH) {
            throw new AtlasException("path(maxHops): expected 1.." + MAX_PATH + ", found " + maxHops);
        }
        Map<String, Map<String, Object>> ends = reader.featuresById(List.of(from, to));
        for (String id : List.of(from, to)) {
            if (!ends.containsKey(id)) {
                throw new AtlasException("feature '" + id + "' is not in the atlas");
            }
        }
        if ("CONNECTION".equals(kind) && env.getArgument("run") == null) {
            return acrossLayers(from, to, maxHops);
        }
        AtlasReader.RunRef ref = run((String) ends.get(from).get("sae"), kind, env.getArgument("run"));
        String run = ref.id();
        if (from.equals(to)) {
            return result(List.of(from), List.of(), run, false);
        }
        List<AttributeFilter> attributes = AttributeFilter.of(env.getArgument("attributes"));
        String rel = Vocabulary.relationshipOf(kind);
        Map<String, Object> p = reader.shortestPath(from, to, rel, run, maxHops, attributes);
        if (p == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) p.get("ids");
        // every edge of the run (that passes the filters) between consecutive nodes: a multigraph's parallel edges
        // along the path stay distinct
        Set<String> hops = new java.util.HashSet<>();
        for (int k = 0; k + 1 < ids.size(); k++) {
            hops.add(ids.get(k) + "|" + ids.get(k + 1));
            hops.add(ids.get(k + 1) + "|" + ids.get(k));
        }
        boolean directed = directed(run);
        Map<String, Map<String, Object>> edges = new LinkedHashMap<>();
        for (Map<String, Object> row : edgeReads.edgesAround(ids, ids, ref,
                NeighbourQuery.edgesOf(rel, run, null, null, attributes))) {
            String a = (String) row.get("a");
            String b = (String) row.get("b");
            if (hops.contains(a + "|" + b)) {
                addOnce(edges, a, b, kind, row, directed);
            }
        }
        // in path order
        List<Map<String, Object>> ordered = new ArrayList<>();
        for (int k = 0; k + 1 < ids.size(); k++) {
            for (Map<String, Object> e : edges.values()) {
                String s = (String) e.get("source");
                String t = (String) e.get("target");
                if (s.equals(ids.get(k)) && t.equals(ids.get(k + 1)) || s.equals(ids.get(k + 1)) && t.equals(ids.get(k))) {
                    ordered.add(e);
                }
            }
        }
        return result(ids, ordered, run, false);
    }

    /** A chain of stable connections across layers (any complete connection runs), in path order. */
    private Object acrossLayers(String from, String to, int maxHops) {
        if (from.equals(to)) {
            return result(List.of(from), List.of(), null, false);
        }
        Map<String, Object> p = connections.path(from, to, maxHops);
        if (p == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) p.get("ids");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> rels = (List<Map<String, Object>>) p.get("edges");
        List<Map<String, Object>> edges = new ArrayList<>();
        for (Map<String, Object> e : rels) {
            Map<String, Object> edge = edge((String) e.get("a"), (String) e.get("b"), "CONNECTION", e);
            edge.put("directed", true);
            edges.add(edge);
        }
        return result(ids, edges, null, false);
    }

    /** A community's members (up to the node cap) and its run's edges among them. */
    Object community(Map<String, Object> community) {
        List<String> ids = reader.members((String) community.get("id"), MAX_NODES).stream()
                .map(f -> (String) f.get("id")).toList();
        List<Map<String, Object>> edges = new ArrayList<>();
        for (Map<String, Object> row : reader.edgesAmong(ids, (String) community.get("run"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> e = (Map<String, Object>) row.get("edge");
            edges.add(edge((String) row.get("a"), (String) row.get("b"), Vocabulary.edgeKindOf((String) row.get("type")), e));
        }
        long size = ((Number) community.getOrDefault("size", ids.size())).longValue();
        return result(ids, edges, (String) community.get("run"), size > ids.size());
    }

    private AtlasReader.RunRef run(String sae, String kind, String requested) {
        AtlasReader.RunRef run = reader.resolveRun(sae, List.of(Vocabulary.runKindOf(kind)), null, requested);
        if (run == null) {
            throw new AtlasException(requested != null
                    ? "run '" + requested + "' is not a complete " + kind.toLowerCase(java.util.Locale.ROOT) + " run of SAE " + sae
                    : "SAE " + sae + " has no complete " + kind.toLowerCase(java.util.Locale.ROOT) + " run");
        }
        return run;
    }

    private Map<String, Object> result(java.util.Collection<String> ids, List<Map<String, Object>> edges, String run,
                                       boolean truncated) {
        return result(ids, edges, run, truncated, reader.featuresById(ids));
    }

    private Map<String, Object> result(java.util.Collection<String> ids, List<Map<String, Object>> edges, String run,
                                       boolean truncated, Map<String, Map<String, Object>> byId) {
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (String id : ids) {
            nodes.add(byId.get(id));
        }
        Map<String, Object> out = new HashMap<>();
        out.put("nodes", nodes);
        out.put("edges", edges);
        out.put("run", run);
        out.put("truncated", truncated);
        return out;
    }

    /**
     * Adds the row's edge once (it is seen from both ends): edges are told apart by their stored direction and, in a
     * multigraph, their key, so parallel edges stay distinct. Source and target are the stored start and end.
     */
    private static void addOnce(Map<String, Map<String, Object>> edges, String a, String b, String kind,
                                Map<String, Object> row, boolean directed) {
        boolean outgoing = !Boolean.FALSE.equals(row.get("outgoing"));
        String source = outgoing ? a : b;
        String target = outgoing ? b : a;
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) row.get("edge");
        Object multiKey = props.get("key");
        String id = source + "|" + target + (multiKey == null ? "" : "|" + multiKey)
                + (source.equals(target) ? "|" + props.hashCode() : "");
        if (!edges.containsKey(id)) {
            Map<String, Object> e = edge(source, target, kind, props);
            e.put("directed", directed);
            edges.put(id, e);
        }
    }

    /** Whether a run's graph is directed (an imported directed graph); the atlas's own runs are not. */
    private boolean directed(String runId) {
        Map<String, Object> r = reader.run(runId);
        return r != null && Boolean.TRUE.equals(r.get("directed"));
    }

    private static Map<String, Object> edge(String a, String b, String kind, Map<String, Object> props) {
        Map<String, Object> e = new HashMap<>(props);
        e.put("source", a);
        e.put("target", b);
        e.put("kind", kind);
        return e;
    }
}
