package org.saeatlas.server.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The edges of one complete run held in memory, read from Neo4j and answering the two questions the API asks most
 * (a feature's strongest neighbours; the edges around a set of features) exactly as the Cypher in
 * {@link NeighbourReader} answers them, same rows in the same order, without touching the store. Nodes are feature ids
 * numbered on first sight; adjacency is compressed (CSR) with each node's edges sorted strongest first; edge
 * properties are typed columns, so a million dependence edges take about 60 MB instead of a million maps.
 *
 * <p>A projection is only ever built from a {@code complete} run and keyed by the run id and its
 * {@code edgesRevision} (bumped by every later write to the run's edges), and a request uses it only after Neo4j has
 * named that run and revision: it is a derived index of the database, never a second source of truth.
 */
public final class RunProjection {

    private final String run;
    private final long revision;
    private final Object completedAt;
    private final String[] ids;
    private final String[] elementIds;
    private final Map<String, Integer> numbers;
    private final int[] start;
    private final int[] end;
    private final int edges;
    private final Map<String, Column> columns;
    private final int[] offsets;
    private final int[] incident;
    /** The other end of {@code incident[k]}, beside it: a walk over a node's edges reads two arrays in order. */
    private final int[] across;

    private RunProjection(String run, long revision, Object completedAt, Builder b) {
        this.run = run;
        this.revision = revision;
        this.completedAt = completedAt;
        this.ids = b.ids.toArray(String[]::new);
        this.elementIds = b.elementIds.toArray(String[]::new);
        this.numbers = b.numbers;
        this.edges = b.edges;
        this.start = Arrays.copyOf(b.start, edges);
        this.end = Arrays.copyOf(b.end, edges);
        this.columns = new LinkedHashMap<>();
        b.columns.forEach((name, c) -> columns.put(name, c.trim(edges)));
        int n = ids.length;
        offsets = new int[n + 1];
        for (int e = 0; e < edges; e++) {
            offsets[start[e] + 1]++;
            if (end[e] != start[e]) {
                offsets[end[e] + 1]++;
            }
        }
        for (int v = 0; v < n; v++) {
            offsets[v + 1] += offsets[v];
        }
        incident = new int[offsets[n]];
        int[] fill = Arrays.copyOf(offsets, n);
        for (int e = 0; e < edges; e++) {
            incident[fill[start[e]]++] = e;
            if (end[e] != start[e]) {
                incident[fill[end[e]]++] = e;
            }
        }
        // each node's edges strongest first (|coalesce(weight, score)| descending, missing first as Cypher sorts
        // nulls in DESC), then by the other end's id, then by method: the order of NeighbourReader.neighboursByFeature
        Column weight = columns.get("weight");
        Column score = columns.get("score");
        Column method = columns.get("method");
        Column key = columns.get("key");
        Integer[] box = new Integer[0];
        for (int v = 0; v < n; v++) {
            int from = offsets[v];
            int to = offsets[v + 1];
            if (to - from < 2) {
                continue;
            }
            final int self = v;
            box = to - from > box.length ? new Integer[to - from] : box;
            for (int k = from; k < to; k++) {
                box[k - from] = incident[k];
            }
            Arrays.sort(box, 0, to - from, Comparator.<Integer, Double>comparing(e -> strength(weight, score, e),
                            RunProjection::descendingNullsFirst)
                    .thenComparing(e -> ids[other(e, self)])
                    .thenComparing(e -> method == null ? null : (String) method.get(e),
                            Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(e -> key == null ? null : text(key.get(e)),
                            Comparator.nullsLast(Comparator.naturalOrder())));
            for (int k = from; k < to; k++) {
                incident[k] = box[k - from];
            }
        }
        across = new int[incident.length];
        for (int v = 0; v < n; v++) {
            for (int k = offsets[v]; k < offsets[v + 1]; k++) {
                across[k] = other(incident[k], v);
            }
        }
    }

    public String run() {
        return run;
    }

    public long revision() {
        return revision;
    }

    /** When the run became complete (a reloaded run with the same id is a different projection). */
    public Object completedAt() {
        return completedAt;
    }

    public int edgeCount() {
        return edges;
    }

    public int nodeCount() {
        return ids.length;
    }

    /**
     * Neo4j's element id of a feature's node when the projection was built (null if unknown): reading nodes by it
     * skips the id index. Callers check the node still has that feature id (element ids are reused after deletes).
     */
    public String elementId(String featureId) {
        Integer v = numbers.get(featureId);
        return v == null ? null : elementIds[v];
    }

    /** A neighbour row: the other feature's id, the edge, and whether the asked feature is its stored start. */
    public record Neighbour(String feature, Edge edge, boolean outgoing) { }

    /**
     * A feature's neighbours for {@code q} on this run (its filters, {@code everyEdge}, {@code limit}; the run is
     * this projection's): one per neighbour (its strongest edge) unless {@code everyEdge}, strongest first, what
     * {@code NeighbourReader.neighboursByFeature} returns for one id.
     */
    public List<Neighbour> neighbours(String featureId, NeighbourQuery q) {
        Integer minReplicates = q.minReplicates();
        Boolean stableOnly = q.stableOnly();
        String sign = q.sign();
        List<AttributeFilter> attributes = q.attributes();
        boolean everyEdge = q.everyEdge();
        int limit = q.limit();
        Integer v = numbers.get(featureId);
        List<Neighbour> out = new ArrayList<>();
        if (v == null || limit <= 0) {
            return out;
        }
        Column weight = columns.get("weight");
        Column score = columns.get("score");
        Set<Integer> seen = new HashSet<>();
        for (int k = offsets[v]; k < offsets[v + 1] && out.size() < limit; k++) {
            int e = incident[k];
            if (!passes(e, minReplicates, stableOnly) || !passes(e, attributes)
                    || !passesSign(e, sign, weight, score)) {
                continue;
            }
            int g = other(e, v);
            if (everyEdge || seen.add(g)) {
                out.add(new Neighbour(ids[g], Edge.of(edge(e)), start[e] == v));
            }
        }
        return out;
    }

    /** Whether edge {@code e}'s weight (its score when it has none) has {@code sign} (null: any sign). */
    private static boolean passesSign(int e, String sign, Column weight, Column score) {
        if (sign == null) {
            return true;
        }
        Object w = weight == null ? null : weight.get(e);
        Double s = number(w != null ? w : score == null ? null : score.get(e));
        return s != null && ("POSITIVE".equals(sign) ? s > 0 : "NEGATIVE".equals(sign) && s < 0);
    }

    /**
     * The run's edges touching any of {@code featureIds} (once per asked end), keeping only those whose other end is
     * in {@code among} (null: any), after {@code q}'s filters, ordered by |weight| descending (missing first), then
     * a, then b, then method: what {@code NeighbourReader.edgesAround} returns.
     */
    public List<EdgeAround> edgesAround(Collection<String> featureIds, Collection<String> among, NeighbourQuery q) {
        BitSet allowed = null; // the allowed other ends by node number
        if (among != null) {
            allowed = new BitSet(ids.length);
            for (String id : among) {
                Integer g = numbers.get(id);
                if (g != null) {
                    allowed.set(g);
                }
            }
        }
        Column weight = columns.get("weight");
        Column score = columns.get("score");
        Column method = columns.get("method");
        Column multiKey = columns.get("key");
        List<int[]> rows = new ArrayList<>();
        double[] keys = new double[16]; // |weight| per row, NaN when missing
        for (String id : new java.util.LinkedHashSet<>(featureIds)) {
            Integer v = numbers.get(id);
            if (v == null) {
                continue;
            }
            for (int k = offsets[v]; k < offsets[v + 1]; k++) {
                int e = incident[k];
                int g = across[k];
                if ((allowed == null || allowed.get(g)) && passes(e, q.minReplicates(), q.stableOnly())
                        && passes(e, q.attributes()) && passesSign(e, q.sign(), weight, score)) {
                    if (rows.size() == keys.length) {
                        keys = Arrays.copyOf(keys, keys.length * 2);
                    }
                    Double w = abs(number(weight == null ? null : weight.get(e)));
                    keys[rows.size()] = w == null ? Double.NaN : w;
                    rows.add(new int[] {v, g, e, rows.size()});
                }
            }
        }
        // |weight| descending with missing first, then a, b and method as Cypher orders them
        double[] key = keys;
        rows.sort((x, y) -> {
            double kx = key[x[3]];
            double ky = key[y[3]];
            int c = Double.isNaN(kx) || Double.isNaN(ky) ? Boolean.compare(!Double.isNaN(kx), !Double.isNaN(ky))
                    : Double.compare(ky, kx);
            if (c == 0) {
                c = ids[x[0]].compareTo(ids[y[0]]);
            }
            if (c == 0) {
                c = ids[x[1]].compareTo(ids[y[1]]);
            }
            if (c == 0 && method != null) {
                c = Comparator.<String>nullsLast(Comparator.naturalOrder())
                        .compare((String) method.get(x[2]), (String) method.get(y[2]));
            }
            if (c == 0 && multiKey != null) {
                c = Comparator.<String>nullsLast(Comparator.naturalOrder()).compare(text(multiKey.get(x[2])),
                        text(multiKey.get(y[2])));
            }
            return c;
        });
        List<EdgeAround> out = new ArrayList<>(rows.size());
        for (int[] r : rows) {
            int e = r[2];
            out.add(new EdgeAround(ids[r[0]], ids[r[1]], start[e] == r[0], () -> Edge.of(edge(e))));
        }
        return out;
    }

    private boolean passes(int e, List<AttributeFilter> attributes) {
        if (attributes == null) {
            return true;
        }
        for (AttributeFilter f : attributes) {
            Column c = columns.get(f.name());
            if (!f.test(c == null ? null : c.get(e))) {
                return false;
            }
        }
        return true;
    }

    private static String text(Object v) {
        return v == null ? null : String.valueOf(v);
    }

    private boolean passes(int e, Integer minReplicates, Boolean stableOnly) {
        if (minReplicates != null) {
            Column replicates = columns.get("replicates");
            Object r = replicates == null ? null : replicates.get(e);
            if (!(r instanceof Number n) || n.doubleValue() < minReplicates) {
                return false;
            }
        }
        if (Boolean.TRUE.equals(stableOnly)) {
            Column stable = columns.get("stable");
            return stable != null && Boolean.TRUE.equals(stable.get(e));
        }
        return true;
    }

    /** The edge's properties as Cypher's {@code e {.*}} gives them. */
    Map<String, Object> edge(int e) {
        Map<String, Object> out = new HashMap<>();
        columns.forEach((name, c) -> {
            Object v = c.get(e);
            if (v != null) {
                out.put(name, v);
            }
        });
        out.put("run", run);
        return out;
    }

    private int other(int e, int v) {
        return start[e] == v ? end[e] : start[e];
    }

    private static Double strength(Column weight, Column score, int e) {
        Object w = weight == null ? null : weight.get(e);
        if (w == null && score != null) {
            w = score.get(e);
        }
        return abs(number(w));
    }

    private static Double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }

    private static Double abs(Double x) {
        return x == null ? null : Math.abs(x);
    }

    private static int descendingNullsFirst(Double x, Double y) {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        return Double.compare(y, x);
    }

    /** Collects rows (start id, end id, properties) and builds the projection. */
    public static final class Builder {
        private final List<String> ids = new ArrayList<>();
        private final List<String> elementIds = new ArrayList<>();
        private final Map<String, Integer> numbers = new HashMap<>();
        private final Map<String, Column> columns = new LinkedHashMap<>();
        private final Map<Object, Object> interned = new HashMap<>();
        private int[] start = new int[1024];
        private int[] end = new int[1024];
        private int edges;

        /** Adds an edge; {@code run} among the properties is dropped (it is the projection's key). */
        public void add(String a, String b, Map<String, Object> properties) {
            add(a, null, b, null, properties);
        }

        /** As {@link #add(String, String, Map)}, with the element ids of the two nodes (null if unknown). */
        public void add(String a, String elementA, String b, String elementB, Map<String, Object> properties) {
            if (edges == start.length) {
                start = Arrays.copyOf(start, edges * 2);
                end = Arrays.copyOf(end, edges * 2);
            }
            int e = edges++;
            start[e] = number(a, elementA);
            end[e] = number(b, elementB);
            properties.forEach((name, value) -> {
                if (value != null && !"run".equals(name)) {
                    Column c = columns.computeIfAbsent(name, x -> Column.of(value, interned));
                    if (!c.set(e, value)) {
                        c = c.generic(e);
                        columns.put(name, c);
                        c.set(e, value);
                    }
                }
            });
        }

        public int edges() {
            return edges;
        }

        public RunProjection build(String run, long revision, Object completedAt) {
            return new RunProjection(run, revision, completedAt, this);
        }

        private int number(String id, String elementId) {
            Integer n = numbers.get(id);
            if (n == null) {
                n = ids.size();
                ids.add(id);
                elementIds.add(elementId);
                numbers.put(id, n);
            }
            return n;
        }
    }

    /** A typed column that grows as edges are added; {@code set} returns false when the type does not fit. */
    private abstract static class Column {
        abstract Object get(int e);

        abstract boolean set(int e, Object v);

        abstract Column trim(int size);

        Column generic(int size) {
            ObjectColumn o = new ObjectColumn(new HashMap<>());
            for (int e = 0; e < size; e++) {
                Object v = get(e);
                if (v != null) {
                    o.set(e, v);
                }
            }
            return o;
        }

        static Column of(Object v, Map<Object, Object> interned) {
            if (v instanceof Double) {
                return new DoubleColumn();
            }
            if (v instanceof Long) {
                return new LongColumn();
            }
            if (v instanceof Boolean) {
                return new BooleanColumn();
            }
            return new ObjectColumn(interned);
        }
    }

    private static final class DoubleColumn extends Column {
        private double[] values = new double[1024];
        private final BitSet present = new BitSet();

        @Override
        Object get(int e) {
            return present.get(e) ? values[e] : null;
        }

        @Override
        boolean set(int e, Object v) {
            if (!(v instanceof Double d)) {
                return false;
            }
            if (e >= values.length) {
                values = Arrays.copyOf(values, Math.max(e + 1, values.length * 2));
            }
            values[e] = d;
            present.set(e);
            return true;
        }

        @Override
        Column trim(int size) {
            values = Arrays.copyOf(values, size);
            return this;
        }
    }

    private static final class LongColumn extends Column {
        private long[] values = new long[1024];
        private final BitSet present = new BitSet();

        @Override
        Object get(int e) {
            return present.get(e) ? values[e] : null;
        }

        @Override
        boolean set(int e, Object v) {
            if (!(v instanceof Long l)) {
                return false;
            }
            if (e >= values.length) {
                values = Arrays.copyOf(values, Math.max(e + 1, values.length * 2));
            }
            values[e] = l;
            present.set(e);
            return true;
        }

        @Override
        Column trim(int size) {
            values = Arrays.copyOf(values, size);
            return this;
        }
    }

    private static final class BooleanColumn extends Column {
        private final BitSet present = new BitSet();
        private final BitSet values = new BitSet();

        @Override
        Object get(int e) {
            return present.get(e) ? values.get(e) : null;
        }

        @Override
        boolean set(int e, Object v) {
            if (!(v instanceof Boolean b)) {
                return false;
            }
            present.set(e);
            values.set(e, b);
            return true;
        }

        @Override
        Column trim(int size) {
            return this;
        }
    }

    private static final class ObjectColumn extends Column {
        private final Map<Object, Object> interned;
        private Object[] values = new Object[1024];

        ObjectColumn(Map<Object, Object> interned) {
            this.interned = interned;
        }

        @Override
        Object get(int e) {
            return e < values.length ? values[e] : null;
        }

        @Override
        boolean set(int e, Object v) {
            if (e >= values.length) {
                values = Arrays.copyOf(values, Math.max(e + 1, values.length * 2));
            }
            values[e] = v instanceof String || v instanceof List<?> ? interned.computeIfAbsent(v, x -> x) : v;
            return true;
        }

        @Override
        Column trim(int size) {
            values = Arrays.copyOf(values, size);
            return this;
        }
    }
}
