package org.saeatlas.ingest.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Value;
import org.saeatlas.compute.AtlasException;
import org.saeatlas.ingest.store.RunStore;

/**
 * A stored run's graph as exports read it: the run's properties, the features of its SAE (nodes, by index) and its
 * edges (by {@code i, j}, ascending), streamed from Neo4j so runs of millions of edges export in bounded memory.
 */
public final class RunGraph {

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

    private final Driver driver;
    private final String runId;
    private final String sae;
    private final String relationship;
    private final Map<String, Object> run;
    private final Map<String, Type> edgeKeys;

    private final List<String> saes;

    private RunGraph(Driver driver, String runId, String sae, List<String> saes, String relationship,
                     Map<String, Object> run, Map<String, Type> edgeKeys) {
        this.driver = driver;
        this.runId = runId;
        this.sae = sae;
        this.saes = saes;
        this.relationship = relationship;
        this.run = run;
        this.edgeKeys = edgeKeys;
    }

    /** Reads the run's metadata and edge property keys; fails with a hint when there is no complete run of that id. */
    public static RunGraph of(Driver driver, String runId) {
        try (Session session = driver.session()) {
            List<Map<String, Object>> found = session.run("MATCH (r:Run {id: $id}) RETURN properties(r) AS p",
                    Map.of("id", runId)).list(r -> r.get("p").asMap());
            if (found.isEmpty()) {
                throw new AtlasException("no run " + runId + " in the database; './atlas runs list' shows the stored runs");
            }
            Map<String, Object> props = new TreeMap<>(found.get(0));
            if (!"complete".equals(props.get("status"))) {
                throw new AtlasException("run " + runId + " is " + props.get("status")
                        + ", not complete: re-run its ingest to finish it, or delete it with './atlas runs delete " + runId + "'");
            }
            List<String> saes = props.get("saes") instanceof List<?> list
                    ? new java.util.LinkedHashSet<>(list).stream().map(String::valueOf).toList() : List.of();
            String type = relationshipOf(session, runId);
            Map<String, Type> keys = new TreeMap<>();
            session.run("""
                    MATCH ()-[e:%s {run: $run}]->() UNWIND keys(e) AS k
                    RETURN k, collect(DISTINCT valueType(e[k])) AS types""".formatted(type), Map.of("run", runId))
                    .forEachRemaining(r -> keys.put(r.get("k").asString(), typeOf(r.get("types").asList(Value::asString))));
            keys.remove("run");
            return new RunGraph(driver, runId, String.valueOf(props.get("sae")), saes.size() > 1 ? saes : List.of(),
                    type, parsed(props), keys);
        }
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
        try (Session session = driver.session()) {
            String statement = acrossSaes() ? """
                    MATCH (f:Feature) WHERE f.sae IN $saes AND EXISTS { (f)-[:%s {run: $run}]-() }
                    RETURN f.id AS id, f.sae AS sae, f.index AS i, f.explanation AS x, f.firingRate AS fr,
                           f.meanActivation AS ma, f.maxActivation AS mx ORDER BY sae, i""".formatted(relationship)
                    : """
                    MATCH (f:Feature {sae: $sae})
                    RETURN f.id AS id, f.sae AS sae, f.index AS i, f.explanation AS x, f.firingRate AS fr,
                           f.meanActivation AS ma, f.maxActivation AS mx ORDER BY i""";
            session.run(statement, Map.of("sae", sae, "saes", saes, "run", runId))
                    .forEachRemaining(r -> sink.accept(new Node(r.get("id").asString(), r.get("sae").asString(),
                            r.get("i").asInt(), text(r.get("x")), number(r.get("fr")), number(r.get("ma")),
                            number(r.get("mx")))));
        }
    }

    public void edges(Consumer<Edge> sink) {
        List<String> keys = new ArrayList<>(edgeKeys.keySet());
        try (Session session = driver.session()) {
            session.run("""
                    MATCH (a:Feature)-[e:%s {run: $run}]->(b:Feature)
                    RETURN a.index AS i, b.index AS j, a.id AS src, b.id AS dst, properties(e) AS p
                    ORDER BY a.sae, i, b.sae, j, toString(e.key)""".formatted(relationship),
                    Map.of("run", runId)).forEachRemaining(r -> sink.accept(edge(r, keys)));
        }
    }

    private static Edge edge(Record r, List<String> keys) {
        Map<String, Object> all = r.get("p").asMap();
        Map<String, Object> props = new LinkedHashMap<>();
        for (String k : keys) {
            props.put(k, all.get(k));
        }
        return new Edge(r.get("i").asInt(), r.get("j").asInt(), r.get("src").asString(), r.get("dst").asString(), props);
    }

    private static String relationshipOf(Session session, String runId) {
        for (String type : RunStore.EDGE_TYPES) {
            boolean any = session.run("MATCH ()-[e:%s {run: $run}]->() RETURN e LIMIT 1".formatted(type),
                    Map.of("run", runId)).hasNext();
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

    private static String text(Value v) {
        return v.isNull() ? null : v.asString();
    }

    private static Double number(Value v) {
        return v.isNull() ? null : v.asDouble();
    }
}
