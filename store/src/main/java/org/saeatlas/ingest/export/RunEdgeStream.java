package org.saeatlas.ingest.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.errors.StateException;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.CypherRow;
import org.saeatlas.ingest.store.RunStore;

/**
 * A stored run's graph as exports read it: the run's properties, the features of its SAE (nodes, by index) and its
 * edges (by {@code i, j}, ascending), streamed from Neo4j so runs of millions of edges export in bounded memory.
 */
public final class RunEdgeStream {

    /** Kinds of edge property values, in the order of GraphML's types. */
    public enum Type { BOOLEAN, LONG, DOUBLE, STRING }

    /**
     * A feature: its id ({@code <sae>/<index>}), SAE, index, headline explanation and statistics (nulls where
     * unknown).
     */
    public record Node(String id, String sae, int index, String explanation, Double firingRate, Double meanActivation,
                       Double maxActivation) { }

    /**
     * An edge {@code i -> j} (feature indices; {@code a -> b} the feature ids, stored direction) with its properties
     * (without {@code run}) in {@link #edgeKeys()} order.
     */
    public record Edge(int i, int j, String a, String b, Map<String, Object> properties) { }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CypherExecutor db;
    private final String runId;
    private final String sae;
    private final String relationship;
    private final Map<String, Object> run;
    private final Map<String, Type> edgeKeys;

    private final List<String> saes;

    private RunEdgeStream(CypherExecutor db, String runId, String sae, List<String> saes, String relationship,
                     Map<String, Object> run, Map<String, Type> edgeKeys) {
        this.db = db;
        this.runId = runId;
        this.sae = sae;
        this.saes = saes;
        this.relationship = relationship;
        this.run = run;
        this.edgeKeys = edgeKeys;
    }

    /** Reads the run's metadata and edge property keys; fails with a hint when there is no complete run of that id. */
    public static RunEdgeStream of(CypherExecutor db, String runId) {
        List<CypherRow> found = CypherRow.of(db.read("MATCH (r:Run {id: $id}) RETURN properties(r) AS p",
                Map.of("id", runId)));
        if (found.isEmpty()) {
            throw new AtlasException("no run " + runId + " in the database; './atlas runs list' shows the stored runs");
        }
        Map<String, Object> props = new TreeMap<>(found.get(0).row("p").values());
        if (!"complete".equals(props.get("status"))) {
            throw new StateException("run " + runId + " is " + props.get("status")
                    + ", not complete: re-run its ingest to finish it, or delete it with './atlas runs delete " + runId + "'");
        }
        List<String> saes = props.get("saes") instanceof List<?> list
                ? new java.util.LinkedHashSet<>(list).stream().map(String::valueOf).toList() : List.of();
        String type = relationshipOf(db, runId);
        Map<String, Type> keys = new TreeMap<>();
        for (CypherRow r : CypherRow.of(db.read("""
                MATCH ()-[e:%s {run: $run}]->() UNWIND keys(e) AS k
                RETURN k, collect(DISTINCT valueType(e[k])) AS types""".formatted(type), Map.of("run", runId)))) {
            keys.put(r.string("k"), typeOf(r.list("types").stream().map(String::valueOf).toList()));
        }
        keys.remove("run");
        return new RunEdgeStream(db, runId, String.valueOf(props.get("sae")), saes.size() > 1 ? saes : List.of(),
                type, parsed(props), keys);
    }

    public String runId() {
        return runId;
    }

    /** The run's properties, JSON strings ({@code parameters}, {@code fdrTable}, ...) parsed into objects. */
    public Map<String, Object> run() {
        return run;
    }

    public Map<String, Type> edgeKeys() {
        return edgeKeys;
    }

    /**
     * Whether the run joins features of several SAEs (a match, a cross-layer imported graph): nodes are then named
     * by feature id, and only features with an edge of the run are nodes (not every feature of every SAE).
     */
    public boolean acrossSaes() {
        return !saes.isEmpty();
    }

    /** Whether the run's graph is directed (an imported directed graph); the atlas's own runs are not. */
    public boolean directed() {
        return Boolean.TRUE.equals(run.get("directed"));
    }

    /** Whether the run's graph is a multigraph (an imported one): parallel edges carry their {@code key}. */
    public boolean multigraph() {
        return Boolean.TRUE.equals(run.get("multigraph"));
    }

    public void nodes(Consumer<Node> sink) {
        String statement = acrossSaes() ? """
                    MATCH (f:Feature) WHERE f.sae IN $saes AND EXISTS { (f)-[:%s {run: $run}]-() }
                    RETURN f.id AS id, f.sae AS sae, f.index AS i, f.explanation AS x, f.firingRate AS fr,
                           f.meanActivation AS ma, f.maxActivation AS mx ORDER BY sae, i""".formatted(relationship)
                    : """
                    MATCH (f:Feature {sae: $sae})
                    RETURN f.id AS id, f.sae AS sae, f.index AS i, f.explanation AS x, f.firingRate AS fr,
                           f.meanActivation AS ma, f.maxActivation AS mx ORDER BY i""";
        db.readEach(statement, Map.of("sae", sae, "saes", saes, "run", runId), row -> {
            CypherRow r = new CypherRow(row);
            sink.accept(new Node(r.string("id"), r.string("sae"), r.asInt("i"), r.string("x"), r.doubleOrNull("fr"),
                    r.doubleOrNull("ma"), r.doubleOrNull("mx")));
        });
    }

    public void edges(Consumer<Edge> sink) {
        List<String> keys = new ArrayList<>(edgeKeys.keySet());
        db.readEach("""
                MATCH (a:Feature)-[e:%s {run: $run}]->(b:Feature)
                RETURN a.index AS i, b.index AS j, a.id AS src, b.id AS dst, properties(e) AS p
                ORDER BY a.sae, i, b.sae, j, toString(e.key)""".formatted(relationship),
                Map.of("run", runId), row -> sink.accept(edge(new CypherRow(row), keys)));
    }

    private static Edge edge(CypherRow r, List<String> keys) {
        Map<String, Object> all = r.row("p").values();
        Map<String, Object> props = new LinkedHashMap<>();
        for (String k : keys) {
            props.put(k, all.get(k));
        }
        return new Edge(r.asInt("i"), r.asInt("j"), r.string("src"), r.string("dst"), props);
    }

    private static String relationshipOf(CypherExecutor db, String runId) {
        for (String type : RunStore.EDGE_TYPES) {
            boolean any = !db.read("MATCH ()-[e:%s {run: $run}]->() RETURN 1 AS one LIMIT 1".formatted(type),
                    Map.of("run", runId)).isEmpty();
            if (any) {
                return type;
            }
        }
        return RunStore.EDGE_TYPES.get(0); // a run without edges: any type gives the same empty graph
    }

    private static Type typeOf(List<String> valueTypes) {
        Type t = null;
        for (String v : valueTypes) {
            Type one = v.startsWith("BOOLEAN") ? Type.BOOLEAN : v.startsWith("INTEGER") ? Type.LONG
                    : v.startsWith("FLOAT") ? Type.DOUBLE : Type.STRING;
            t = t == null || t == one ? one : (t == Type.LONG && one == Type.DOUBLE || t == Type.DOUBLE && one == Type.LONG)
                    ? Type.DOUBLE : Type.STRING;
        }
        return t == null ? Type.STRING : t;
    }

    private static Map<String, Object> parsed(Map<String, Object> props) {
        Map<String, Object> out = new LinkedHashMap<>();
        props.forEach((k, v) -> out.put(k, v instanceof String s && (s.startsWith("{") || s.startsWith("[")) ? json(s) : v));
        return out;
    }

    private static Object json(String s) {
        try {
            return JSON.readValue(s, Object.class);
        } catch (java.io.IOException e) {
            return s; // not JSON after all: keep the text
        }
    }
}
