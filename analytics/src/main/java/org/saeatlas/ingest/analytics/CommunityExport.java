package org.saeatlas.ingest.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.CypherRow;

/**
 * One community (or component) as networkx node-link JSON ({@code networkx.node_link_graph(json.load(f),
 * edges="links")}): the members as nodes with their explanation and statistics, the run's edges between them as
 * links with their properties, the community's shape as graph attributes. A ready-made group of features for circuit
 * work. Members are ordered by feature index, links by (source, target), so the file is deterministic.
 */
public final class CommunityExport {

    private CommunityExport() {
    }

    public static Map<String, Object> nodeLink(CypherExecutor db, String communityId) {
        List<CypherRow> found = CypherRow.of(db.read("MATCH (c:Community {id: $id}) RETURN c",
                Map.of("id", communityId)));
        if (found.isEmpty()) {
            throw new AtlasException("community " + communityId + " is not in the database (ids look like"
                    + " 'analysis-<hash>/community/<index>'; `atlas analyse <run>` prints them)");
        }
        Map<String, Object> graph = new TreeMap<>(found.get(0).row("c").values());
        String run = (String) graph.get("run");
        WeightedRunGraph.Info info = WeightedRunGraph.info(db, run);
        List<Map<String, Object>> nodes = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (CypherRow r : CypherRow.of(db.read("""
                MATCH (f:Feature)-[:MEMBER_OF {analysis: $analysis}]->(:Community {id: $id})
                RETURN f ORDER BY f.index""", Map.of("analysis", graph.get("analysis"), "id", communityId)))) {
            Map<String, Object> node = new LinkedHashMap<>();
            Map<String, Object> props = new TreeMap<>(r.row("f").values());
            node.put("id", props.remove("id"));
            node.putAll(props);
            ids.add((String) node.get("id"));
            nodes.add(node);
        }
        List<Map<String, Object>> links = new ArrayList<>();
        for (CypherRow r : CypherRow.of(db.read("MATCH " + WeightedRunGraph.edgePattern(info.relationship())
                + " AND a.id IN $ids AND b.id IN $ids WITH a, b, e ORDER BY a.index, b.index"
                + " RETURN a.id AS source, b.id AS target, properties(e) AS props",
                Map.of("run", run, "all", !"dependence".equals(info.kind()), "ids", ids)))) {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("source", r.string("source"));
            link.put("target", r.string("target"));
            link.putAll(new TreeMap<>(r.row("props").values()));
            links.add(link);
        }
        graph.put("relationship", info.relationship());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("directed", false);
        out.put("multigraph", false);
        out.put("graph", graph);
        out.put("nodes", nodes);
        out.put("links", links);
        return out;
    }

    /** Writes the node-link JSON to {@code file} (atomically: a temporary file moved into place). */
    public static int write(CypherExecutor db, String communityId, Path file) {
        Map<String, Object> json = nodeLink(db, communityId);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".community", ".json");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), json);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AtlasException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return ((List<?>) json.get("nodes")).size();
    }
}
