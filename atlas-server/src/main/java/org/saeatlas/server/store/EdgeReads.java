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
 * projection when it is ready for the run and revision Neo4j names, and by {@link NeighbourReader}'s Cypher
 * otherwise. Both give the same records in the same order (tested on the demo atlas); features always come from
 * Neo4j.
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

    /** As {@link NeighbourReader#neighboursByFeature}, from the run's projection when it is ready. */
    public Map<String, List<Neighbour>> neighboursByFeature(Collection<String> ids, NeighbourQuery q) {
        RunRef ref = reader.neighbours().resolveRun(q);
        if (ref == null) {
            return new HashMap<>();
        }
        NeighbourQuery onRun = q.onRun(ref.id());
        RunProjection p = projections.get(ref, q.relationship());
        if (p == null) {
            return reader.neighbours().neighboursByFeature(ids, onRun);
        }
        Map<String, List<RunProjection.Neighbour>> found = new HashMap<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (String id : ids) {
            List<RunProjection.Neighbour> ns = p.neighbours(id, onRun);
            found.put(id, ns);
            ns.forEach(n -> wanted.add(n.feature()));
        }
        Map<String, Feature> features = wanted.isEmpty() ? Map.of()
                : reader.features().featuresById(wanted, p::elementId);
        Map<String, List<Neighbour>> out = new HashMap<>();
        found.forEach((id, ns) -> {
            List<Neighbour> items = new ArrayList<>(ns.size());
            for (RunProjection.Neighbour n : ns) {
                Feature f = features.get(n.feature());
                if (f != null) {
                    items.add(new Neighbour(f, n.edge(), n.outgoing()));
                }
            }
            if (!items.isEmpty()) {
                out.put(id, items);
            }
        });
        return out;
    }

    /** Features by id; through the run's projection's element ids when it is ready. */
    public Map<String, Feature> features(Collection<String> ids, RunRef run, String relationship) {
        RunProjection p = projections.get(run, relationship);
        return p == null ? reader.features().featuresById(ids) : reader.features().featuresById(ids, p::elementId);
    }

    /**
     * As {@link NeighbourReader#edgesAround} on {@code run}, the run Neo4j named for {@code q}, from the run's
     * projection when it is ready (there each edge is made only when read).
     */
    public List<EdgeAround> edgesAround(Collection<String> ids, Collection<String> among, RunRef run,
                                        NeighbourQuery q) {
        NeighbourQuery onRun = q.onRun(run.id());
        RunProjection p = projections.get(run, q.relationship());
        if (p == null) {
            return reader.neighbours().edgesAround(ids, among, onRun);
        }
        return p.edgesAround(ids, among, onRun);
    }
}
