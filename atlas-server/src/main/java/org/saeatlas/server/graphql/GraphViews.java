package org.saeatlas.server.graphql;

import java.util.Map;
import org.saeatlas.server.store.Edge;
import org.saeatlas.server.store.Feature;
import org.saeatlas.server.store.Neighbour;

/**
 * The GraphQL objects the fetchers assemble from the readers' records (graphql-java reads their accessors): an edge
 * seen from one feature ({@code Neighbour}), an edge of a drawn subgraph ({@code GraphEdge}), a feature active at an
 * error token. {@code attributes} is serialised to JSON only when a query asks for it.
 */
public final class GraphViews {

    private GraphViews() {
    }

    /**
     * GraphQL {@code Neighbour}: {@code weight} is the edge's weight, or a match edge's score; {@code attributes} are
     * the stored ones only (a match edge's score is there as {@code score}).
     */
    public record NeighbourView(Feature feature, String kind, String run, Boolean outgoing, Boolean directed,
                                String key, Map<String, Object> attributes, Double weight, Long count,
                                Double correlation, Double jaccard, Long replicates, Long nullReplicates,
                                Boolean stable, Double signConsistency, Double cosine, String method, Long rank) {

        static NeighbourView of(Neighbour n, String kind, boolean directed) {
            Edge e = n.edge();
            return new NeighbourView(n.feature(), kind, e.run(), n.outgoing(), directed, e.key(), e.properties(),
                    e.strength(), e.count(), e.correlation(), e.jaccard(), e.replicates(), e.nullReplicates(),
                    e.stable(), e.signConsistency(), e.cosine(), e.method(), e.rank());
        }
    }

    /**
     * GraphQL {@code GraphEdge}: {@code source} and {@code target} are the stored start and end; {@code weight} is the
     * edge's weight, or a match edge's score (as a {@code Neighbour} shows it).
     */
    public record GraphEdgeView(String source, String target, String kind, Boolean directed, String key,
                                Map<String, Object> attributes, Double weight, Long count, Double correlation,
                                Long replicates, Long nullReplicates, Boolean stable, Double cosine, String method,
                                Long rank) {

        static GraphEdgeView of(String source, String target, String kind, Boolean directed, Edge e) {
            return new GraphEdgeView(source, target, kind, directed, e.key(), e.properties(), e.strength(), e.count(),
                    e.correlation(), e.replicates(), e.nullReplicates(), e.stable(), e.cosine(), e.method(), e.rank());
        }
    }

    /** GraphQL {@code ErrorToken}. */
    public record ErrorTokenView(Long token, Long rank, Double norm, String kind, java.util.List<String> context,
                                 Long position, java.util.List<TokenFeature> topFeatures) { }

    /** GraphQL {@code TokenFeature}: the feature is null when the atlas does not hold it. */
    public record TokenFeature(int index, Double activation, Feature feature) { }

    /** GraphQL {@code Histogram}. */
    public record Histogram(java.util.List<Double> binEdges, java.util.List<Long> counts) { }

    /** GraphQL {@code Logits}. */
    public record Logits(java.util.List<LogitEntry> positive, java.util.List<LogitEntry> negative) { }

    /** GraphQL {@code LogitEntry}. */
    public record LogitEntry(String token, double value) { }
}
