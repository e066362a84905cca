package org.saeatlas.ingest.store;

import org.saeatlas.schema.AtlasVersion;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.formats.NodeLinkGraph;
import org.saeatlas.schema.Vocabulary;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.formats.NodeLinkJson;

/**
 * Loads a graph someone made elsewhere (networkx node-link JSON) as an edge set of its own: a run of kind
 * {@code imported} whose edges are {@code LINKS} relationships between the features its nodes stand for, possibly in
 * several SAEs (a cross-layer graph). Every node and link attribute is kept on the relationship (nested values as
 * JSON text), the multigraph key too; the run records the file, the graph's own attributes, each mapped node's
 * attributes (JSON keyed by feature id) and how nodes were mapped.
 * Like every run: identified by content and mapping, loaded at most once, invisible until complete.
 */
public final class GraphFileImport {

    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /**
     * How nodes become features. {@code saes}: SAE id by the text of node attribute {@code saeAttribute} (e.g.
     * "8" -> the layer-8 SAE), or the single entry with key {@code ""} for every node. {@code featureAttribute}: the
     * node attribute holding the feature index (null: the node id if it is an integer, else {@code feature},
     * {@code index} or {@code feature_index}). {@code weightAttribute}: the link attribute that becomes the edge's
     * weight (null: {@code weight} if present, else 1). {@code where}: only nodes whose attributes have these values.
     */
    public record Mapping(Map<String, String> saes, String saeAttribute, String featureAttribute,
                          String weightAttribute, Map<String, String> where, NewSaes create,
                          String explanationAttribute) {
        public Mapping {
            saes = new TreeMap<>(saes);
            where = new TreeMap<>(where);
            if (saes.isEmpty() && create == null) {
                throw new AtlasException("import-graph: name the SAE the nodes belong to (--sae), or let the graph"
                        + " create them (--create-saes with --model, --width and --sae-id)");
            }
            if (saeAttribute == null && !saes.containsKey("")
                    && (create == null || !create.idPattern().contains("{"))) {
                throw new AtlasException("import-graph: SAEs given by attribute value " + saes.keySet()
                        + " need --sae-attribute, the node attribute those values are read from");
            }
            if (create != null && create.idPattern().contains("{") && saeAttribute == null) {
                throw new AtlasException("import-graph: --sae-id " + create.idPattern() + " is a pattern; say which"
                        + " node attribute fills it with --sae-attribute (e.g. layer)");
            }
        }

        public Mapping(Map<String, String> saes, String saeAttribute, String featureAttribute, String weightAttribute,
                       Map<String, String> where) {
            this(saes, saeAttribute, featureAttribute, weightAttribute, where, null, null);
        }

        /** The SAE id of a node whose {@code saeAttribute} reads {@code value}: named, else by the pattern, else null. */
        String saeOf(String value) {
            String named = value == null ? null : saes.get(value);
            if (named != null) {
                return named;
            }
            if (create != null && value != null && create.idPattern().contains("{")) {
                return create.id(value);
            }
            if (saes.containsKey("")) {
                return saes.get("");
            }
            return create != null && !create.idPattern().contains("{") ? create.idPattern() : null;
        }
    }

    /**
     * SAEs a graph may create when they are not in the atlas: of {@code model}, {@code width} features each, ids from
     * {@code idPattern} where {@code {value}} (or {@code {<attribute>}}, e.g. {@code {layer}}) is the node's SAE
     * attribute; {@code hookPattern} likewise (may be null). A created SAE's layer is the value when it is an integer
     * and the attribute is the layer. Its features have no statistics (absent, never zero).
     */
    public record NewSaes(String model, int width, String idPattern, String hookPattern, String attribute) {
        public NewSaes {
            if (model == null || model.isBlank()) {
                throw new AtlasException("--create-saes: needs --model, the model the new SAEs belong to");
            }
            if (width <= 0) {
                throw new AtlasException("--create-saes: needs --width, the number of features of each new SAE"
                        + " (a positive integer), found " + width);
            }
            if (idPattern == null || idPattern.isBlank()) {
                throw new AtlasException("--create-saes: needs --sae-id, the id of the new SAEs, e.g. '{layer}-res-jb'");
            }
        }

        String id(String value) {
            return fill(idPattern, value);
        }

        String hook(String value) {
            return hookPattern == null ? null : fill(hookPattern, value);
        }

        private String fill(String pattern, String value) {
            String v = value == null ? "" : value;
            String out = pattern.replace("{value}", v);
            return attribute == null ? out : out.replace("{" + attribute + "}", v);
        }
    }

    public record Summary(String runId, boolean loaded, int edges, int nodesMapped, int nodesSkipped,
                          int linksSkipped, List<String> saes) { }

    private final CypherExecutor cypher;
    private final Progress progress;

    /** Writes through {@code cypher}: in-process on an embedded database, over Bolt on a server. */
    public GraphFileImport(CypherExecutor cypher, Progress progress) {
        this.cypher = cypher;
        this.progress = progress;
    }

    /**
     * {@code ./atlas import-graph}: reads {@code file} (networkx node-link JSON) and checks it before the database of
     * {@code target} is opened, then imports it as a run with {@code mapping}.
     */
    public static Summary importFile(Neo4jTarget target, Path file, Mapping mapping, Progress progress) {
        NodeLinkGraph graph = NodeLinkJson.read(file);
        try (AtlasDatabase db = AtlasDatabase.open(target)) {
            return new GraphFileImport(db.cypher(), progress).load(file, graph, mapping);
        }
    }

    public Summary load(Path file, NodeLinkGraph graph, Mapping mapping) {
        Map<String, String> created = new LinkedHashMap<>(); // SAE id -> the attribute value it was made for
        Map<String, Integer> widths = widths(file, graph, mapping, created);
        Map<String, String> featureOfNode = new HashMap<>();
        int skipped = 0;
        for (NodeLinkGraph.Node n : graph.nodes()) {
            String feature = feature(file, n, mapping, widths);
            if (feature == null) {
                skipped++;
            } else {
                featureOfNode.put(n.id(), feature);
            }
        }
        Map<String, Object> nodeAttributes = new TreeMap<>();
        for (NodeLinkGraph.Node n : graph.nodes()) {
            String f = featureOfNode.get(n.id());
            if (f != null && !n.attributes().isEmpty()) {
                Map<String, Object> a = new LinkedHashMap<>(n.attributes());
                a.put("id", n.id());
                nodeAttributes.put(f, a);
            }
        }
        Set<String> saes = new LinkedHashSet<>();
        featureOfNode.values().forEach(f -> saes.add(f.substring(0, f.lastIndexOf('/'))));
        String weightKey = mapping.weightAttribute() != null ? mapping.weightAttribute()
                : graph.links().stream().anyMatch(l -> l.attributes().containsKey("weight")) ? "weight" : null;
        List<Map<String, Object>> rows = new ArrayList<>();
        int linksSkipped = 0;
        for (int k = 0; k < graph.links().size(); k++) {
            NodeLinkGraph.Link l = graph.links().get(k);
            String a = featureOfNode.get(l.source());
            String b = featureOfNode.get(l.target());
            if (a == null || b == null) {
                linksSkipped++;
                continue;
            }
            Map<String, Object> props = new LinkedHashMap<>();
            l.attributes().forEach((key, v) -> {
                Object stored = storable(v);
                if (stored != null) {
                    props.put(reserved(key) ? key + "_attr" : key, stored);
                }
            });
            double weight = 1.0;
            if (weightKey != null) {
                Object w = l.attributes().get(weightKey);
                if (!(w instanceof Number num) || !Double.isFinite(num.doubleValue())) {
                    throw new AtlasException(file + ": links[" + k + "]." + weightKey + ": expected a finite number"
                            + " (the edge weight), found " + w);
                }
                weight = num.doubleValue();
            }
            props.put("weight", weight);
            if (l.key() != null) {
                props.put("key", l.key());
            }
            // an undirected graph's edge is stored once, from the lower feature id, as every atlas edge
            boolean swap = !graph.directed() && a.compareTo(b) > 0;
            rows.add(Map.of("a", swap ? b : a, "b", swap ? a : b, "props", props));
        }
        if (saes.isEmpty()) {
            throw new AtlasException(file + ": no node maps to a feature of " + mapping.saes().values()
                    + " (check --sae, --sae-attribute, --feature-attribute and --where)");
        }
        if (rows.isEmpty()) {
            throw new AtlasException(file + ": none of the " + graph.links().size() + " links joins two nodes that map"
                    + " to features (" + featureOfNode.size() + " of " + graph.nodes().size() + " nodes do); nothing"
                    + " imported");
        }
        // explanations carried by the nodes: one per feature and distinct text, source = the file
        Map<String, List<Rows.ExplanationRow>> explanations = new TreeMap<>();
        if (mapping.explanationAttribute() != null) {
            Set<String> seenText = new java.util.HashSet<>();
            for (NodeLinkGraph.Node n : graph.nodes()) {
                String f = featureOfNode.get(n.id());
                Object text = n.attributes().get(mapping.explanationAttribute());
                if (f == null || text == null || String.valueOf(text).isBlank()) {
                    continue;
                }
                if (!(text instanceof String t)) {
                    throw new AtlasException(file + ": node " + n.id() + ", attribute '"
                            + mapping.explanationAttribute() + "': expected explanation text, found " + text);
                }
                if (seenText.add(f + "\u0000" + t.strip())) {
                    int slash = f.lastIndexOf('/');
                    explanations.computeIfAbsent(f.substring(0, slash), x -> new ArrayList<>()).add(
                            new Rows.ExplanationRow(Integer.parseInt(f.substring(slash + 1)), t.strip(),
                                    file.getFileName().toString(), null));
                }
            }
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("saes", mapping.saes());
        if (mapping.create() != null) {
            parameters.put("createSaes", Map.of("model", mapping.create().model(), "width", mapping.create().width(),
                    "idPattern", mapping.create().idPattern()));
        }
        if (mapping.explanationAttribute() != null) {
            parameters.put("explanationAttribute", mapping.explanationAttribute());
        }
        parameters.put("saeAttribute", mapping.saeAttribute());
        parameters.put("featureAttribute", mapping.featureAttribute());
        parameters.put("weightAttribute", weightKey);
        parameters.put("where", mapping.where());
        String content = json(graph);
        String inputSha = Checksums.of(content);
        String runId = "imported-" + Checksums.of(inputSha, json(parameters), AtlasVersion.SOFTWARE).substring(0, 16);
        List<String> saeList = List.copyOf(saes);
        // everything is checked: now the SAEs the graph brings are created (features without statistics)
        AtlasWriter writer = new AtlasWriter(cypher, progress);
        for (Map.Entry<String, String> c : created.entrySet()) {
            if (!saes.contains(c.getKey())) {
                continue; // no node of the graph maps to it after all
            }
            NewSaes spec = mapping.create();
            writer.model(new Rows.ModelRow(spec.model(), spec.model()));
            Integer layer = "layer".equals(mapping.saeAttribute()) && c.getValue() != null
                    && c.getValue().matches("-?\\d{1,9}") ? Integer.valueOf(c.getValue()) : null;
            writer.sae(new Rows.SaeRow(c.getKey(), spec.model(), null, layer, spec.hook(c.getValue()), spec.width(),
                    null, null, null));
            List<Rows.FeatureRow> none = new ArrayList<>(spec.width());
            for (int f = 0; f < spec.width(); f++) {
                none.add(new Rows.FeatureRow(f, null, null, null, null));
            }
            writer.features(c.getKey(), none);
        }
        for (Map.Entry<String, List<Rows.ExplanationRow>> e : explanations.entrySet()) {
            writer.explanations(e.getKey(), e.getValue(), "graph-" + Checksums.of(file.getFileName().toString())
                    .substring(0, 8));
        }
        RunLoading loading = new RunLoading(cypher, progress);
        RunLoading.Load load = begin(loading, runId, file, graph, saeList, parameters, inputSha, featureOfNode.size(),
                skipped, linksSkipped, json(nodeAttributes));
        if (load.alreadyComplete()) {
            return new Summary(runId, false, rows.size(), featureOfNode.size(), skipped, linksSkipped, saeList);
        }
        load.clearEdges(List.of(Vocabulary.LINKS));
        loading.write("links " + runId, rows, """
                UNWIND $rows AS row
                MATCH (a:Feature {id: row.a}), (b:Feature {id: row.b})
                CREATE (a)-[e:LINKS]->(b)
                SET e = row.props, e.run = $run""", Map.of("run", runId), row -> row);
        load.complete(Map.of("edgeCount", rows.size()));
        return new Summary(runId, true, rows.size(), featureOfNode.size(), skipped, linksSkipped, saeList);
    }

    private static boolean reserved(String key) {
        return key.equals("run") || key.equals("weight") || key.equals("key");
    }

    /**
     * SAE id to width, for every SAE the mapping names or makes from the graph's attribute values; each must be in
     * the atlas unless the mapping may create it ({@code created} then gets its id and attribute value).
     */
    private Map<String, Integer> widths(Path file, NodeLinkGraph graph, Mapping mapping, Map<String, String> created) {
        Map<String, String> wanted = new LinkedHashMap<>(); // SAE id -> attribute value (null: named for all)
        mapping.saes().forEach((value, sae) -> wanted.putIfAbsent(sae, value.isEmpty() ? null : value));
        if (mapping.create() != null) {
            if (mapping.saeAttribute() != null && mapping.create().idPattern().contains("{")) {
                for (NodeLinkGraph.Node n : graph.nodes()) {
                    Object v = n.attributes().get(mapping.saeAttribute());
                    if (v != null && !mapping.saes().containsKey(text(v)) && indexed(n, mapping)) {
                        wanted.putIfAbsent(mapping.create().id(text(v)), text(v));
                    }
                }
            } else if (!mapping.create().idPattern().contains("{")) {
                wanted.putIfAbsent(mapping.create().idPattern(), null);
            }
        }
        Map<String, Integer> widths = new HashMap<>();
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            String sae = w.getKey();
            var rows = cypher.read("MATCH (s:Sae {id: $id}) RETURN COUNT { (s)<-[:IN_SAE]-() } AS n", Map.of("id", sae));
            if (rows.isEmpty()) {
                if (mapping.create() == null) {
                    throw new AtlasException(file + ": SAE " + sae + " is not in the atlas; load it first (`atlas"
                            + " build` or `atlas add-sae`), or let the graph create it (--create-saes --model M"
                            + " --width N --sae-id PATTERN)");
                }
                created.put(sae, w.getValue());
                widths.put(sae, mapping.create().width());
            } else {
                widths.put(sae, ((Number) rows.get(0).get("n")).intValue());
            }
        }
        return widths;
    }

    /** Whether the node carries a feature index the mapping reads (so it stands for a feature). */
    private static boolean indexed(NodeLinkGraph.Node n, Mapping m) {
        if (m.featureAttribute() != null) {
            return n.attributes().get(m.featureAttribute()) instanceof Number;
        }
        return n.id().matches("\\d{1,9}") || List.of("feature", "index", "feature_index").stream()
                .anyMatch(k -> n.attributes().get(k) instanceof Number);
    }

    /** The feature id a node stands for, or null if the mapping leaves it out. */
    private static String feature(Path file, NodeLinkGraph.Node n, Mapping m, Map<String, Integer> widths) {
        for (Map.Entry<String, String> w : m.where().entrySet()) {
            Object v = n.attributes().get(w.getKey());
            if (v == null || !text(v).equals(w.getValue())) {
                return null;
            }
        }
        String sae = m.saeAttribute() == null ? m.saeOf(null) : null;
        if (m.saeAttribute() != null) {
            Object v = n.attributes().get(m.saeAttribute());
            sae = m.saeOf(v == null ? null : text(v));
            if (sae == null || !widths.containsKey(sae)) {
                return null; // a node of an SAE the user did not name (another layer, an embedding, a logit)
            }
        }
        Object index;
        String field;
        if (m.featureAttribute() != null) {
            field = m.featureAttribute();
            index = n.attributes().get(field);
            if (index == null) {
                return null;
            }
        } else if (n.id().matches("\\d{1,9}")) {
            field = "id";
            index = Long.parseLong(n.id());
        } else {
            field = List.of("feature", "index", "feature_index").stream()
                    .filter(n.attributes()::containsKey).findFirst().orElse(null);
            if (field == null) {
                return null;
            }
            index = n.attributes().get(field);
        }
        if (!(index instanceof Number num) || num.doubleValue() != Math.rint(num.doubleValue())) {
            throw new AtlasException(file + ": node " + n.id() + ", attribute '" + field + "': expected an integer"
                    + " feature index, found " + index);
        }
        long i = num.longValue();
        int width = widths.get(sae);
        if (i < 0 || i >= width) {
            throw new AtlasException(file + ": node " + n.id() + ", attribute '" + field + "': expected a feature"
                    + " index of SAE " + sae + " in [0, " + width + "), found " + i);
        }
        return Vocabulary.featureId(sae, (int) i);
    }

    private static String text(Object v) {
        return v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue())
                : String.valueOf(v);
    }

    /** A Neo4j property value: scalars and lists of one scalar type as they are, anything else as JSON text. */
    static Object storable(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer) {
            return v;
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? d : String.valueOf(d);
        }
        if (v instanceof List<?> list && !list.isEmpty()) {
            Class<?> type = list.get(0) == null ? null : list.get(0).getClass();
            boolean uniform = type != null && (type == String.class || type == Boolean.class || type == Long.class
                    || type == Integer.class || type == Double.class)
                    && list.stream().allMatch(x -> x != null && x.getClass() == type);
            if (uniform) {
                return list;
            }
        }
        return json(v);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new AtlasException("cannot write " + o + " as JSON: " + e.getMessage(), e);
        }
    }

    private RunLoading.Load begin(RunLoading loading, String runId, Path file, NodeLinkGraph g, List<String> saes, Map<String, Object> parameters,
                         String inputSha, int mapped, int skipped, int linksSkipped, String nodeAttributes) {
        Map<String, Object> props = new HashMap<>();
        props.put("method", "networkx-node-link");
        props.put("source", file.getFileName().toString());
        props.put("directed", g.directed());
        props.put("multigraph", g.multigraph());
        props.put("graph", json(g.graph()));
        props.put("parameters", json(parameters));
        props.put("inputSha256", inputSha);
        props.put("software", AtlasVersion.SOFTWARE);
        props.put("nodes", g.nodes().size());
        props.put("links", g.links().size());
        props.put("nodesMapped", mapped);
        props.put("nodesSkipped", skipped);
        props.put("linksSkipped", linksSkipped);
        props.put("nodeAttributes", nodeAttributes);
        return loading.begin("Run", runId, """
                MERGE (r:Run {id: $id})
                ON CREATE SET r += $props, r.kind = $kind, r.sae = $saes[0], r.saes = $saes, r.status = $loading,
                              r.createdAt = toString(datetime())
                WITH r
                UNWIND $saes AS sae
                MATCH (s:Sae {id: sae})
                MERGE (r)-[:ON_SAE]->(s)
                RETURN DISTINCT r.status AS status""", Map.of("props", props, "kind", Vocabulary.KIND_IMPORTED,
                "saes", saes), () -> "import-graph: none of the SAEs " + saes + " is in the atlas");
    }
}
