package org.saeatlas.server.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The edge reads of the API (neighbours, the edges around a set of features), answered from the run's in-memory
 * projection when it is ready for the run and revision Neo4j names, and by {@link AtlasReader}'s Cypher otherwise.
 * Both give the same rows in the same order (tested on the demo atlas); features always come from Neo4j.
 */
public final class EdgeReads {

    private final AtlasReader reader;
    private final RunProjections projections;

    public EdgeReads(AtlasReader reader, RunProjections projections) {
        this.reader = reader;
        this.projections = projections;
    }

    public AtlasReader reader() {
        return reader;
    }

    /**
     * As {@link AtlasReader#neighboursByFeature(Collection, NeighbourQuery)}: items with {@code feature} and
     * {@code edge}, per asked id, from the run's projection when it is ready.
     */
    public Map<String, List<Map<String, Object>>> neighboursByFeature(Collection<String> ids, NeighbourQuery q) {
        AtlasReader.RunRef ref = reader.resolveRun(q);
        if (ref == null) {
            return new HashMap<>();
        }
        NeighbourQuery onRun = q.onRun(ref.id());
        RunProjection p = projections.get(ref, q.relationship());
        if (p == null) {
            return reader.neighboursByFeature(ids, onRun);
        }
        Map<String, List<RunProjection.Neighbour>> found = new HashMap<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (String id : ids) {
            List<RunProjection.Neighbour> ns = p.neighbours(id, onRun);
            found.put(id, ns);
            ns.forEach(n -> wanted.add(n.feature()));
        }
        Map<String, Map<String, Object>> features = wanted.isEmpty() ? Map.of() : reader.featuresById(wanted,
                p::elementId);
        Map<String, List<Map<String, Object>>> out = new HashMap<>();
        found.forEach((id, ns) -> {
            List<Map<String, Object>> items = new ArrayList<>(ns.size());
            for (RunProjection.Neighbour n : ns) {
                Map<String, Object> f = features.get(n.feature());
                if (f != null) {
                    items.add(Map.of("feature", f, "edge", n.edge()));
                }
            }
            if (!items.isEmpty()) {
                out.put(id, items);
            }
        });
        return out;
    }

    /** Features by id; through the run's projection's element ids when it is ready (see {@link AtlasReader}). */
    public Map<String, Map<String, Object>> features(Collection<String> ids, AtlasReader.RunRef run,
                                                     String relationship) {
        RunProjection p = projections.get(run, relationship);
        return p == null ? reader.featuresById(ids) : reader.featuresById(ids, p::elementId);
    }

    /**
     * As {@link AtlasReader#edgesAround(Collection, Collection, NeighbourQuery)} on {@code run}, the run Neo4j named
     * for {@code q}: rows {@code a}, {@code b}, {@code edge} and {@code outgoing}, from the run's projection when it
     * is ready.
     */
    public List<Map<String, Object>> edgesAround(Collection<String> ids, Collection<String> among,
                                                 AtlasReader.RunRef run, NeighbourQuery q) {
        NeighbourQuery onRun = q.onRun(run.id());
        RunProjection p = projections.get(run, q.relationship());
        if (p == null) {
            return reader.edgesAround(ids, among, onRun);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (RunProjection.Around r : p.edgesAround(ids, among, onRun)) {
            out.add(new LazyEdgeRow(r));
        }
        return out;
    }

    /** A row {@code a}, {@code b}, {@code edge} whose edge map is made only if someone reads it. */
    private static final class LazyEdgeRow extends java.util.AbstractMap<String, Object> {
        private final RunProjection.Around row;
        private Map<String, Object> edge;

        LazyEdgeRow(RunProjection.Around row) {
            this.row = row;
        }

        @Override
        public Object get(Object key) {
            return switch (String.valueOf(key)) {
                case "a" -> row.a();
                case "b" -> row.b();
                case "edge" -> edge();
                case "outgoing" -> row.outgoing();
                default -> null;
            };
        }

        private Map<String, Object> edge() {
            if (edge == null) {
                edge = row.edge();
            }
            return edge;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return Map.<String, Object>of("a", row.a(), "b", row.b(), "edge", edge(), "outgoing", row.outgoing())
                    .entrySet();
        }
    }
}
