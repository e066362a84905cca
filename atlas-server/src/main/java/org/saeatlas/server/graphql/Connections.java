package org.saeatlas.server.graphql;

import graphql.schema.DataFetchingEnvironment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.server.store.AtlasReader;
import org.saeatlas.server.store.ConnectionReader;
import org.saeatlas.server.store.Feature;
import org.saeatlas.server.store.Neighbour;
import org.saeatlas.server.store.Run;

/**
 * The connection fields of the API: directed neighbours (UPSTREAM / DOWNSTREAM, for connection runs and imported
 * directed graphs alike) and a feature's formula ({@code computedFrom}), read by {@link AtlasReader}'s neighbour and
 * connection readers.
 */
final class Connections {

    private final AtlasReader reader;

    Connections(AtlasReader reader) {
        this.reader = reader;
    }

    /**
     * {@code neighbours(direction: ...)}: the run as for undirected neighbours (a connection run: the newest with the
     * feature's SAE on the other side of the asked direction), only the edges pointing at (UPSTREAM) or from
     * (DOWNSTREAM) the feature.
     */
    List<GraphViews.NeighbourView> neighbours(AtlasLoaders.NeighbourKey key, String direction) {
        List<Neighbour> rows = reader.neighbours().directedNeighbours(key.featureId(), key.query(direction));
        Map<String, Boolean> directed = new HashMap<>();
        List<GraphViews.NeighbourView> out = new ArrayList<>();
        for (Neighbour n : rows) {
            boolean isDirected = "CONNECTION".equals(key.kind()) || directed.computeIfAbsent(n.edge().run(), r -> {
                Run run = reader.runs().run(String.valueOf(r));
                return run != null && run.directed();
            });
            out.add(GraphViews.NeighbourView.of(n, key.kind(), isDirected));
        }
        return out;
    }

    /** {@code Feature.computedFrom}: the formula of the feature in a connection run where it is downstream. */
    ConnectionReader.Formula computedFrom(DataFetchingEnvironment env) {
        Feature feature = env.getSource();
        return reader.connections().computedFrom(feature.id(), feature.sae(), env.getArgument("run"),
                !Boolean.FALSE.equals(env.getArgument("stableOnly")));
    }

    /** {@code path(kind: CONNECTION)} without a run: stable connections across layers, from either end. */
    ConnectionReader.Path path(String from, String to, int maxHops) {
        return reader.connections().path(from, to, maxHops);
    }
}
