package org.saeatlas.ingest.formats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A graph read from networkx node-link JSON. Node ids are kept as their JSON text ({@code 1} and {@code "8_101"}
 * both become strings); attributes are plain Java values (String, Integer/Long, Double, Boolean, List, Map, null)
 * in file order. {@code key} is the multigraph edge key, or null.
 */
public record NodeLinkGraph(boolean directed, boolean multigraph, Map<String, Object> graph, List<Node> nodes,
        List<Link> links) {

    public NodeLinkGraph {
        graph = unmodifiable(graph);
        nodes = List.copyOf(nodes);
        links = List.copyOf(links);
    }

    public record Node(String id, Map<String, Object> attributes) {
        public Node {
            attributes = unmodifiable(attributes);
        }
    }

    public record Link(String source, String target, String key, Map<String, Object> attributes) {
        public Link {
            attributes = unmodifiable(attributes);
        }
    }

    private static Map<String, Object> unmodifiable(Map<String, Object> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
