package org.saeatlas.server.graphql;

import graphql.schema.DataFetchingEnvironment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.schema.Vocabulary;
import org.saeatlas.server.store.AtlasReader;
import org.saeatlas.server.store.AttributeFilter;
import org.saeatlas.server.store.Community;
import org.saeatlas.server.store.CommunityReader;
import org.saeatlas.server.store.ConnectionReader;
import org.saeatlas.server.store.Edge;
import org.saeatlas.server.store.EdgeAround;
import org.saeatlas.server.store.EdgeReads;
import org.saeatlas.server.store.Feature;
import org.saeatlas.server.store.NeighbourQuery;
import org.saeatlas.server.store.Run;
import org.saeatlas.server.store.RunRef;

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
        Feature centre = reader.features().featuresById(List.of(featureId)).get(featureId);
        if (centre == null) {
            throw new AtlasException("feature '" + featureId + "' is not in the atlas");
        }
        RunRef run = run(centre.sae(), kind, env.getArgument("run"));
        String rel = Vocabulary.relationshipOf(kind);
        NeighbourQuery edges = NeighbourQuery.edgesOf(rel, run.id(), env.getArgument("minReplicates"),
                env.getArgument("stableOnly"), AttributeFilter.of(env.getArgument("attributes")));
        boolean directed = directed(run.id());
        Set<String> nodes = new LinkedHashSet<>(List.of(featureId));
        Map<String, GraphViews.GraphEdgeView> drawn = new LinkedHashMap<>();
        List<String> frontier = List.of(featureId);
        boolean truncated = false;
        for (int hop = 0; hop < hops && !frontier.isEmpty(); hop++) {
            List<String> next = new ArrayList<>();
            for (EdgeAround row : edgeReads.edgesAround(frontier, null, run, edges)) {
                if (!nodes.contains(row.b())) {
                    if (nodes.size() >= maxNodes) {
                        truncated = true;
                        continue;
                    }
                    nodes.add(row.b());
                    next.add(row.b());
                }
                addOnce(drawn, kind, row, directed);
            }
            frontier = next;
        }
        if (!frontier.isEmpty()) {
            // edges among the last hop's nodes (they close triangles at the boundary)
            for (EdgeAround row : edgeReads.edgesAround(frontier, nodes, run, edges)) {
                if (nodes.contains(row.b())) {
                    addOnce(drawn, kind, row, directed);
                }
            }
        }
        return result(nodes, new ArrayList<>(drawn.values()), run.id(), truncated,
                edgeReads.features(nodes, run, rel));
    }

    Object path(DataFetchingEnvironment env) {
        String from = env.getArgument("from");
        String to = env.getArgument("to");
        String kind = String.valueOf(env.getArgumentOrDefault("kind", "DEPENDENCE"));
        int maxHops = env.getArgumentOrDefault("maxHops", 4);
        if (maxHops < 1 || maxHops > MAX_PATH) {
            throw new AtlasException("path(maxHops): expected 1.." + MAX_PATH + ", found " + maxHops);
        }
        Map<String, Feature> ends = reader.features().featuresById(List.of(from, to));
        for (String id : List.of(from, to)) {
            if (!ends.containsKey(id)) {
                throw new AtlasException("feature '" + id + "' is not in the atlas");
            }
        }
        if ("CONNECTION".equals(kind) && env.getArgument("run") == null) {
            return acrossLayers(from, to, maxHops);
        }
        RunRef ref = run(ends.get(from).sae(), kind, env.getArgument("run"));
        String run = ref.id();
        if (from.equals(to)) {
            return result(List.of(from), List.of(), run, false);
        }
        NeighbourQuery edges = NeighbourQuery.edgesOf(Vocabulary.relationshipOf(kind), run, null, null,
                AttributeFilter.of(env.getArgument("attributes")));
        List<String> ids = reader.neighbours().shortestPath(from, to, maxHops, edges);
        if (ids == null) {
            return null;
        }
        // every edge of the run (that passes the filters) between consecutive nodes: a multigraph's parallel edges
        // along the path stay distinct
        Set<String> hops = new HashSet<>();
        for (int k = 0; k + 1 < ids.size(); k++) {
            hops.add(ids.get(k) + "|" + ids.get(k + 1));
            hops.add(ids.get(k + 1) + "|" + ids.get(k));
        }
        boolean directed = directed(run);
        Map<String, GraphViews.GraphEdgeView> drawn = new LinkedHashMap<>();
        for (EdgeAround row : edgeReads.edgesAround(ids, ids, ref, edges)) {
            if (hops.contains(row.a() + "|" + row.b())) {
                addOnce(drawn, kind, row, directed);
            }
        }
        // in path order
        List<GraphViews.GraphEdgeView> ordered = new ArrayList<>();
        for (int k = 0; k + 1 < ids.size(); k++) {
            for (GraphViews.GraphEdgeView e : drawn.values()) {
                String s = e.source();
                String t = e.target();
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
        ConnectionReader.Path p = connections.path(from, to, maxHops);
        if (p == null) {
            return null;
        }
        List<GraphViews.GraphEdgeView> edges = new ArrayList<>();
        for (ConnectionReader.Step step : p.steps()) {
            edges.add(GraphViews.GraphEdgeView.of(step.a(), step.b(), "CONNECTION", true, step.edge()));
        }
        return result(p.ids(), edges, null, false);
    }

    /** A community's members (up to the node cap) and its run's edges among them. */
    Object community(Community community) {
        List<String> ids = reader.communities().members(community.id(), MAX_NODES).stream().map(Feature::id).toList();
        List<GraphViews.GraphEdgeView> edges = new ArrayList<>();
        for (CommunityReader.EdgeAmong row : reader.communities().edgesAmong(ids, community.run())) {
            edges.add(GraphViews.GraphEdgeView.of(row.a(), row.b(), Vocabulary.edgeKindOf(row.type()), null,
                    row.edge()));
        }
        long size = community.size() == null ? ids.size() : community.size();
        return result(ids, edges, community.run(), size > ids.size());
    }

    private RunRef run(String sae, String kind, String requested) {
        RunRef run = reader.neighbours().resolveRun(NeighbourQuery.runOf(sae, List.of(Vocabulary.runKindOf(kind)),
                null, requested));
        if (run == null) {
            throw new AtlasException(requested != null
                    ? "run '" + requested + "' is not a complete " + kind.toLowerCase(java.util.Locale.ROOT) + " run of SAE " + sae
                    : "SAE " + sae + " has no complete " + kind.toLowerCase(java.util.Locale.ROOT) + " run");
        }
        return run;
    }

    private Map<String, Object> result(Collection<String> ids, List<GraphViews.GraphEdgeView> edges, String run,
                                       boolean truncated) {
        return result(ids, edges, run, truncated, reader.features().featuresById(ids));
    }

    private Map<String, Object> result(Collection<String> ids, List<GraphViews.GraphEdgeView> edges, String run,
                                       boolean truncated, Map<String, Feature> byId) {
        List<Feature> nodes = new ArrayList<>();
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
    private static void addOnce(Map<String, GraphViews.GraphEdgeView> edges, String kind, EdgeAround row,
                                boolean directed) {
        String source = row.outgoing() ? row.a() : row.b();
        String target = row.outgoing() ? row.b() : row.a();
        Edge e = row.edge();
        String id = source + "|" + target + (e.key() == null ? "" : "|" + e.key())
                + (source.equals(target) ? "|" + e.properties().hashCode() : "");
        if (!edges.containsKey(id)) {
            edges.put(id, GraphViews.GraphEdgeView.of(source, target, kind, directed, e));
        }
    }

    /** Whether a run's graph is directed (an imported directed graph); the atlas's own runs are not. */
    private boolean directed(String runId) {
        Run r = reader.runs().run(runId);
        return r != null && r.directed();
    }
}
