package org.saeatlas.server.graphql;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Prototype;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderRegistry;
import org.dataloader.MappedBatchLoader;
import org.saeatlas.schema.Vocabulary;
import org.saeatlas.server.store.AtlasReader;
import org.saeatlas.server.store.AttributeFilter;
import org.saeatlas.server.store.EdgeReads;
import org.saeatlas.server.store.Example;
import org.saeatlas.server.store.Explanation;
import org.saeatlas.server.store.Neighbour;
import org.saeatlas.server.store.Run;
import org.saeatlas.server.store.Sae;
import org.saeatlas.server.store.NeighbourQuery;

/**
 * Per-request DataLoaders: the features of a page ask for their SAE, explanations, examples and neighbours, and each
 * kind is fetched for the whole page in one round trip instead of one per feature (the N+1 problem).
 */
@Factory
public class AtlasLoaders {

    static final String SAE = "sae";
    static final String EXPLANATIONS = "explanations";
    static final String EXAMPLES = "examples";
    static final String NEIGHBOURS = "neighbours";

    /** A neighbour request: the same filters batch together. */
    record NeighbourKey(String featureId, String sae, String kind, String run, Integer minReplicates,
                        Boolean stableOnly, String sign, String matchedBy, int first,
                        List<AttributeFilter> attributes) {
        NeighbourKey group() {
            return new NeighbourKey(null, sae, kind, run, minReplicates, stableOnly, sign, matchedBy, first,
                    attributes);
        }

        /** The read this key asks for; {@code direction}: UPSTREAM, DOWNSTREAM or null (both). */
        NeighbourQuery query(String direction) {
            boolean upstream = "UPSTREAM".equals(direction);
            Integer side = direction != null && "CONNECTION".equals(kind) && run == null ? (upstream ? 1 : 0) : null;
            return new NeighbourQuery(sae, Vocabulary.relationshipOf(kind), runKinds(), runMethod(), run, side,
                    direction, minReplicates, stableOnly, sign, attributes, everyEdge(), first);
        }

        /** A row per edge, except for matches (one per partner: a pair is matched once per method). */
        boolean everyEdge() {
            return !"MATCH".equals(kind);
        }

        /**
         * Run kinds the edges may come from: a match kind reads confident match runs by default, structural ones
         * when {@code matchedBy} is STRUCTURAL, and either when a run is named without {@code matchedBy}.
         */
        List<String> runKinds() {
            if (!"MATCH".equals(kind)) {
                return List.of(Vocabulary.runKindOf(kind));
            }
            if ("STRUCTURAL".equals(matchedBy)) {
                return List.of(Vocabulary.KIND_STRUCTURAL_MATCH);
            }
            return matchedBy == null && run != null ? List.of(Vocabulary.KIND_MATCH, Vocabulary.KIND_STRUCTURAL_MATCH)
                    : List.of(Vocabulary.KIND_MATCH);
        }

        /** The run's {@code method} (its similarity) when {@code matchedBy} names one, else null. */
        String runMethod() {
            return "MATCH".equals(kind) && matchedBy != null ? matchedBy.toLowerCase(java.util.Locale.ROOT) : null;
        }
    }

    /** An examples request. */
    record ExampleKey(String featureId, int first) { }

    /** A new registry for every GraphQL request (Micronaut GraphQL asks the bean provider per request). */
    @Prototype
    public DataLoaderRegistry registry(AtlasReader reader, EdgeReads edges) {
        DataLoaderRegistry registry = new DataLoaderRegistry();
        registry.register(SAE, DataLoaderFactory.newMappedDataLoader(
                (MappedBatchLoader<String, Sae>) ids -> async(() -> reader.catalogue().saesById(ids))));
        registry.register(EXPLANATIONS, DataLoaderFactory.newMappedDataLoader(
                (MappedBatchLoader<String, List<Explanation>>) ids -> async(() -> withEmpty(ids,
                        reader.features().explanationsByFeature(ids)))));
        registry.register(EXAMPLES, DataLoaderFactory.newMappedDataLoader(
                (MappedBatchLoader<ExampleKey, List<Example>>) keys -> async(() -> examples(reader, keys))));
        registry.register(NEIGHBOURS, DataLoaderFactory.newMappedDataLoader(
                (MappedBatchLoader<NeighbourKey, List<GraphViews.NeighbourView>>) keys -> async(() ->
                        neighbours(edges, keys))));
        return registry;
    }

    static <K, V> DataLoader<K, V> loader(graphql.schema.DataFetchingEnvironment env, String name) {
        return env.getDataLoader(name);
    }

    private static Map<ExampleKey, List<Example>> examples(AtlasReader reader, Set<ExampleKey> keys) {
        Map<Integer, List<String>> byLimit = new HashMap<>();
        keys.forEach(k -> byLimit.computeIfAbsent(k.first(), x -> new ArrayList<>()).add(k.featureId()));
        Map<ExampleKey, List<Example>> out = new HashMap<>();
        byLimit.forEach((limit, ids) -> {
            Map<String, List<Example>> found = reader.features().examplesByFeature(ids, limit);
            ids.forEach(id -> out.put(new ExampleKey(id, limit), found.getOrDefault(id, List.of())));
        });
        return out;
    }

    private static Map<NeighbourKey, List<GraphViews.NeighbourView>> neighbours(EdgeReads edges,
                                                                               Set<NeighbourKey> keys) {
        Map<NeighbourKey, List<String>> groups = new HashMap<>();
        keys.forEach(k -> groups.computeIfAbsent(k.group(), x -> new ArrayList<>()).add(k.featureId()));
        Map<NeighbourKey, List<GraphViews.NeighbourView>> out = new HashMap<>();
        groups.forEach((g, ids) -> {
            Map<String, List<Neighbour>> found = edges.neighboursByFeature(ids, g.query(null));
            // imported graphs may be directed: the run says so (one read per run, only for imported edges)
            Map<String, Boolean> directed = new HashMap<>();
            if ("IMPORTED".equals(g.kind())) {
                found.values().forEach(items -> items.forEach(n -> directed.computeIfAbsent(n.edge().run(), r -> {
                    Run run = edges.reader().runs().run(String.valueOf(r));
                    return run != null && run.directed();
                })));
            }
            for (String id : ids) {
                List<GraphViews.NeighbourView> rows = new ArrayList<>();
                for (Neighbour n : found.getOrDefault(id, List.of())) {
                    rows.add(GraphViews.NeighbourView.of(n, g.kind(), directed.getOrDefault(n.edge().run(), false)));
                }
                out.put(new NeighbourKey(id, g.sae(), g.kind(), g.run(), g.minReplicates(), g.stableOnly(), g.sign(),
                        g.matchedBy(), g.first(), g.attributes()), rows);
            }
        });
        return out;
    }

    private static <V> Map<String, List<V>> withEmpty(Set<String> ids, Map<String, List<V>> found) {
        Map<String, List<V>> out = new HashMap<>(found);
        ids.forEach(id -> out.putIfAbsent(id, List.of()));
        return out;
    }

    private static <T> CompletableFuture<T> async(java.util.function.Supplier<T> work) {
        // the batch runs on the calling thread when graphql-java dispatches; exceptions surface as field errors
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
