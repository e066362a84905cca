package org.saeatlas.ingest.formats;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads networkx node-link JSON ({@code nx.node_link_data}): {@code {directed, multigraph, graph, nodes: [{id,
 * ...}], links|edges: [{source, target, key?, ...}]}}. networkx 3.6 writes {@code edges}, older versions
 * {@code links}; both are accepted. Every link must name known nodes; in a simple graph (not multigraph) a repeated
 * edge is an error, as networkx would silently merge it.
 */
public final class NodeLinkJson {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private NodeLinkJson() {
    }

    public static NodeLinkGraph read(Path file) {
        JsonNode doc = Json.readObject(file);
        if (!doc.has("directed") && doc.has("metadata") && doc.has("nodes") && doc.has("links")
                && doc.get("nodes").isArray() && !doc.get("nodes").isEmpty() && doc.get("nodes").get(0).has("node_id")) {
            throw FormatError.of(file, "the document", "networkx node-link JSON (keys 'directed', 'multigraph',"
                    + " 'graph', 'nodes', 'links')", "a circuit-tracer attribution graph (keys: " + Json.fieldNames(doc)
                    + "; nodes keyed by 'node_id'), which is not node-link JSON: import-graph reads the files"
                    + " networkx writes with nx.node_link_data");
        }
        boolean directed = flag(file, doc, "directed");
        boolean multigraph = flag(file, doc, "multigraph");
        JsonNode g = doc.get("graph");
        Map<String, Object> graph = g == null || g.isNull() ? Map.of() : attributes(file, "graph", g, Set.of());
        JsonNode nodesNode = array(file, doc, "nodes");
        JsonNode linksNode = doc.has("links") ? array(file, doc, "links") : doc.has("edges")
                ? array(file, doc, "edges") : null;
        if (linksNode == null) {
            throw FormatError.of(file, "key 'links' (or 'edges')", "an array of links", "no such key (keys: "
                    + Json.fieldNames(doc) + ")");
        }
        String linksKey = doc.has("links") ? "links" : "edges";
        List<NodeLinkGraph.Node> nodes = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < nodesNode.size(); i++) {
            String field = "nodes[" + i + "]";
            JsonNode n = nodesNode.get(i);
            String id = id(file, field + ".id", n.get("id"));
            if (!ids.add(id)) {
                throw FormatError.of(file, field + ".id", "unique node ids", "'" + id + "' again");
            }
            nodes.add(new NodeLinkGraph.Node(id, attributes(file, field, n, Set.of("id"))));
        }
        List<NodeLinkGraph.Link> links = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < linksNode.size(); i++) {
            String field = linksKey + "[" + i + "]";
            JsonNode l = linksNode.get(i);
            String s = endpoint(file, field + ".source", l.get("source"), ids);
            String t = endpoint(file, field + ".target", l.get("target"), ids);
            JsonNode k = l.get("key");
            String key = multigraph && k != null && !k.isNull() ? id(file, field + ".key", k) : null;
            String pair = directed || s.compareTo(t) <= 0 ? s + "\u0000" + t : t + "\u0000" + s;
            if (!seen.add(multigraph ? pair + "\u0000" + key : pair) && (!multigraph || key != null)) {
                throw FormatError.of(file, field, multigraph ? "unique (source, target, key)"
                        : "one link per node pair in a simple graph (set \"multigraph\": true for parallel edges)",
                        "a repeated link " + s + " -> " + t + (key == null ? "" : " key " + key));
            }
            Set<String> skip = multigraph ? Set.of("source", "target", "key") : Set.of("source", "target");
            links.add(new NodeLinkGraph.Link(s, t, key, attributes(file, field, l, skip)));
        }
        return new NodeLinkGraph(directed, multigraph, graph, nodes, links);
    }

    private static boolean flag(Path file, JsonNode doc, String key) {
        JsonNode v = doc.get(key);
        if (v == null || !v.isBoolean()) {
            throw FormatError.of(file, "key '" + key + "'", "true or false", v == null ? "no such key" : v);
        }
        return v.asBoolean();
    }

    private static JsonNode array(Path file, JsonNode doc, String key) {
        JsonNode v = doc.get(key);
        if (v == null || !v.isArray()) {
            throw FormatError.of(file, "key '" + key + "'", "an array", v == null ? "no such key" : v.getNodeType());
        }
        return v;
    }

    private static String id(Path file, String field, JsonNode v) {
        if (v == null || !(v.isTextual() || v.isIntegralNumber() || v.isNumber())) {
            throw FormatError.of(file, field, "a string or number", v == null ? "no such key" : v);
        }
        return v.asText();
    }

    private static String endpoint(Path file, String field, JsonNode v, Set<String> ids) {
        String id = id(file, field, v);
        if (!ids.contains(id)) {
            throw FormatError.of(file, field, "the id of a node in 'nodes'", "'" + id + "'");
        }
        return id;
    }

    private static Map<String, Object> attributes(Path file, String field, JsonNode obj, Set<String> skip) {
        if (!obj.isObject()) {
            throw FormatError.of(file, field, "an object", obj.getNodeType());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!skip.contains(e.getKey())) {
                out.put(e.getKey(), Json.MAPPER.convertValue(e.getValue(), Object.class));
            }
        }
        return out;
    }
}
