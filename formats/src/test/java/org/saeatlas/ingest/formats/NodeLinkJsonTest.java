package org.saeatlas.ingest.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.saeatlas.ingest.formats.Fixtures.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLinkJsonTest {
    @TempDir
    Path dir;

    @Test
    void readsLinksAndEdgesVariantsAlike() {
        NodeLinkGraph a = NodeLinkJson.read(Fixtures.path("networkx/graph_links.json"));
        NodeLinkGraph b = NodeLinkJson.read(Fixtures.path("networkx/graph_edges.json"));
        assertEquals(a, b);
        assertFalse(a.directed());
        assertFalse(a.multigraph());
        assertEquals(Map.of("name", "demo"), a.graph());
        assertEquals(List.of("8_101", "8_202", "9_7"), a.nodes().stream().map(NodeLinkGraph.Node::id).toList());
        assertEquals(Map.of("layer", 8, "feature", 101, "explanation", "the word \"former\""),
                a.nodes().get(0).attributes());
        NodeLinkGraph.Link l = a.links().get(1);
        assertEquals("8_202", l.source());
        assertEquals("9_7", l.target());
        assertNull(l.key());
        assertEquals(Map.of("measure", 0.23), l.attributes());
    }

    @Test
    void aCircuitTracerAttributionGraphIsRefusedSayingWhatItIsAndWhatIsRead() {
        // a real graph written by circuit-tracer (keys metadata, qParams, nodes, links; nodes keyed by node_id)
        Path file = Fixtures.path("circuit_tracer/meow-clt.json");
        org.saeatlas.errors.AtlasException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.saeatlas.errors.AtlasException.class, () -> NodeLinkJson.read(file));
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("a circuit-tracer attribution graph"), e.getMessage());
        assertTrue(e.getMessage().contains("networkx node-link JSON"), e.getMessage());
        assertTrue(e.getMessage().contains("nx.node_link_data"), e.getMessage());
    }

    @Test
    void keepsMultigraphKeys() {
        NodeLinkGraph g = NodeLinkJson.read(Fixtures.path("networkx/multidigraph_links.json"));
        assertTrue(g.directed());
        assertTrue(g.multigraph());
        assertEquals(List.of("a", "b"), g.links().stream().map(NodeLinkGraph.Link::key).toList());
        assertEquals(List.of(0.5, -0.1), g.links().stream().map(x -> x.attributes().get("weight")).toList());
        assertEquals("1", g.links().get(0).source());
    }

    @Test
    void errorCases() throws IOException {
        Path f = dir.resolve("g.json");
        Files.writeString(f, "{\"directed\":false,\"multigraph\":false,\"nodes\":[{\"id\":1}],"
                + "\"links\":[{\"source\":1,\"target\":2}]}");
        assertFails(() -> NodeLinkJson.read(f), "g.json", "links[0].target", "a node in 'nodes'", "'2'");
        Files.writeString(f, "{\"directed\":false,\"multigraph\":false,\"nodes\":[{\"id\":1},{\"id\":2}],"
                + "\"links\":[{\"source\":1,\"target\":2},{\"source\":2,\"target\":1}]}");
        assertFails(() -> NodeLinkJson.read(f), "links[1]", "one link per node pair", "2 -> 1");
        Files.writeString(f, "{\"directed\":false,\"multigraph\":false,\"nodes\":[{\"id\":1},{\"id\":1}],"
                + "\"links\":[]}");
        assertFails(() -> NodeLinkJson.read(f), "nodes[1].id", "unique", "'1' again");
        Files.writeString(f, "{\"directed\":false,\"multigraph\":false,\"nodes\":[]}");
        assertFails(() -> NodeLinkJson.read(f), "key 'links' (or 'edges')", "no such key");
        Files.writeString(f, "{\"multigraph\":false,\"nodes\":[],\"links\":[]}");
        assertFails(() -> NodeLinkJson.read(f), "key 'directed'", "true or false");
        Files.writeString(f, "{\"directed\":true,\"multigraph\":false,\"nodes\":[{\"name\":1}],\"links\":[]}");
        assertFails(() -> NodeLinkJson.read(f), "nodes[0].id", "string or number", "no such key");
    }
}
