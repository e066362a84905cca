package org.saeatlas.server.graphql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.schema.Vocabulary;
import org.saeatlas.server.store.AtlasReader;
import org.saeatlas.server.store.AttributeFilter;
import org.saeatlas.server.store.Community;
import org.saeatlas.server.store.EdgeReads;
import org.saeatlas.server.store.ErrorComparison;
import org.saeatlas.server.store.ErrorToken;
import org.saeatlas.server.store.Feature;
import org.saeatlas.server.store.Model;
import org.saeatlas.server.store.Run;
import org.saeatlas.server.store.Sae;
import org.saeatlas.server.store.SearchHit;

/**
 * The resolvers of {@code atlas.graphqls}: each field reads Neo4j through one of {@link AtlasReader}'s per-area
 * readers, and edges through {@link EdgeReads} (the run's in-memory projection when it is ready, Cypher otherwise),
 * nothing else. The readers return records, and graphql-java reads a field from the record accessor of the same
 * name; the fields wired here are those that read more, or show a record differently.
 */
final class AtlasFetchers {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_EXAMPLES = 50;

    private final AtlasReader reader;
    private final Neighbourhoods neighbourhoods;
    private final Connections connections;

    AtlasFetchers(EdgeReads edges) {
        this.reader = edges.reader();
        this.connections = new Connections(reader);
        this.neighbourhoods = new Neighbourhoods(edges, connections);
    }

    RuntimeWiring wiring() {
        return new PagesFetchers(reader).wire(fetchers()).build();
    }

    private RuntimeWiring.Builder fetchers() {
        return RuntimeWiring.newRuntimeWiring()
                .type("Query", t -> t
                        .dataFetcher("models", env -> reader.catalogue().models())
                        .dataFetcher("saes", env -> reader.catalogue().saes(env.getArgument("model")))
                        .dataFetcher("sae", env -> found("SAE", env.getArgument("id"),
                                reader.catalogue().sae(env.getArgument("id"))))
                        .dataFetcher("runs", env -> reader.runs().runs(env.getArgument("sae")))
                        .dataFetcher("run", env -> found("run", env.getArgument("id"),
                                reader.runs().run(env.getArgument("id"))))
                        .dataFetcher("feature", this::feature)
                        .dataFetcher("features", this::features)
                        .dataFetcher("search", this::search)
                        .dataFetcher("analyses", env -> reader.runs().analyses(env.getArgument("run")))
                        .dataFetcher("community", env -> found("community", env.getArgument("id"),
                                reader.communities().community(env.getArgument("id"))))
                        .dataFetcher("comparisons", env -> reader.runs().comparisons(env.getArgument("run")))
                        .dataFetcher("subgraph", neighbourhoods::subgraph)
                        .dataFetcher("path", neighbourhoods::path)
                        .dataFetcher("linearShares", env -> reader.connections().linearShares(env.getArgument("model"))))
                .type("Model", t -> t.dataFetcher("saes", env -> reader.catalogue().saes(env.<Model>getSource().id())))
                .type("Sae", t -> t
                        .dataFetcher("model", env -> reader.catalogue().model(env.<Sae>getSource().model()))
                        .dataFetcher("runs", env -> reader.runs().runs(env.<Sae>getSource().id()))
                        .dataFetcher("errorTokens", this::errorTokens)
                        .dataFetcher("errorComparisons", env -> reader.catalogue()
                                .errorComparisons(env.<Sae>getSource().id())))
                .type("ErrorComparison", t -> t
                        .dataFetcher("predictor", env -> reader.catalogue()
                                .sae(env.<ErrorComparison>getSource().predictor()))
                        .dataFetcher("predicted", env -> reader.catalogue()
                                .sae(env.<ErrorComparison>getSource().predicted())))
                .type("Run", t -> t
                        .dataFetcher("sae", env -> reader.catalogue().sae(env.<Run>getSource().sae()))
                        .dataFetcher("parameters", env -> parameters(env.<Run>getSource().parameters()))
                        .dataFetcher("edgeCount", env -> edgeCount(env.<Run>getSource()))
                        .dataFetcher("fdrTable", env -> fdrTable(env.<Run>getSource()))
                        .dataFetcher("analyses", env -> reader.runs().analyses(env.<Run>getSource().id())))
                .type("Analysis", t -> t.dataFetcher("communities", this::communities))
                .type("Neighbour", t -> t.dataFetcher("attributes",
                        env -> attributes(env.<GraphViews.NeighbourView>getSource().attributes())))
                .type("GraphEdge", t -> t.dataFetcher("attributes",
                        env -> attributes(env.<GraphViews.GraphEdgeView>getSource().attributes())))
                .type("Community", t -> t
                        .dataFetcher("hub", env -> hub(env.getSource()))
                        .dataFetcher("members", this::members)
                        .dataFetcher("subgraph", env -> neighbourhoods.community(env.getSource())))
                .type("Feature", t -> t
                        .dataFetcher("sae", env -> AtlasLoaders.<String, Sae>loader(env, AtlasLoaders.SAE)
                                .load(env.<Feature>getSource().sae()))
                        .dataFetcher("explanations", env -> AtlasLoaders.<String, Object>loader(env,
                                AtlasLoaders.EXPLANATIONS).load(env.<Feature>getSource().id()))
                        .dataFetcher("examples", this::examples)
                        .dataFetcher("neighbours", this::neighbours)
                        .dataFetcher("similar", this::similar)
                        .dataFetcher("histogram", this::histogram)
                        .dataFetcher("logits", env -> logits(env.getSource()))
                        .dataFetcher("communities", env -> reader.communities()
                                .communitiesOf(env.<Feature>getSource().id(), env.getArgument("run")))
                        .dataFetcher("computedFrom", connections::computedFrom)
                        .dataFetcher("linearity", env -> reader.connections()
                                .linearity(env.<Feature>getSource().id(), null)));
    }

    /** Keys the API shows beside an edge's stored attributes; every other stored key is an attribute. */
    private static final Set<String> COMPUTED = Set.of("feature", "kind", "run", "source", "target", "outgoing",
            "directed");

    /** The edge's stored attributes (an imported graph's link attributes, typed) as a JSON object, keys sorted. */
    private static String attributes(Map<String, Object> stored) throws Exception {
        Map<String, Object> out = new java.util.TreeMap<>(stored);
        out.keySet().removeAll(COMPUTED);
        return JSON.writeValueAsString(out);
    }

    /** A run's parameters as JSON ({@code {}} when it stores none). */
    private static String parameters(String stored) {
        return stored == null ? "{}" : stored;
    }

    /** A run's edge count as the schema's non-null Int: 0 when the run stores none (a run without edges). */
    private static long edgeCount(Run run) {
        return run.edgeCount() == null ? 0L : run.edgeCount();
    }

    private Feature hub(Community c) {
        return c.hub() == null ? null : reader.features().featuresById(List.of(c.hub())).get(c.hub());
    }

    private Object feature(DataFetchingEnvironment env) {
        String id = env.getArgument("id");
        String sae = env.getArgument("sae");
        Integer index = env.getArgument("index");
        if (id == null && (sae == null || index == null)) {
            throw new AtlasException("feature: give either id ('<sae>/<index>') or both sae and index");
        }
        String featureId = id != null ? id : Vocabulary.featureId(sae, index);
        return found("feature", featureId, reader.features().feature(featureId));
    }

    /** Unknown ids are errors that name the id, not silent nulls. */
    private static <T> T found(String what, String id, T record) {
        if (record == null) {
            throw new AtlasException(what + " '" + id + "' is not in the atlas");
        }
        return record;
    }

    private Object features(DataFetchingEnvironment env) {
        String sae = env.getArgument("sae");
        int first = Cursors.pageSize(env.getArgument("first"));
        long skip = Cursors.offsetAfter("feature", env.getArgument("after"));
        found("SAE", sae, reader.catalogue().sae(sae));
        return nodeConnection("feature", skip, first, reader.features().features(sae, skip, first + 1),
                () -> reader.features().featureCount(sae));
    }

    /**
     * A Relay connection over one page of nodes fetched with one row to spare ({@code first + 1}): the spare row only
     * tells whether there is a next page.
     */
    static Map<String, Object> nodeConnection(String kind, long skip, int first, List<?> page,
                                              java.util.function.LongSupplier totalCount) {
        List<Map<String, Object>> edges = new ArrayList<>();
        for (int k = 0; k < Math.min(first, page.size()); k++) {
            edges.add(Map.of("cursor", Cursors.encode(kind, skip + k), "node", page.get(k)));
        }
        return Map.of("edges", edges, "pageInfo", pageInfo(edges, page.size() > first),
                "totalCount", totalCount.getAsLong());
    }

    private Object search(DataFetchingEnvironment env) {
        String text = env.getArgument("text");
        if (text == null || text.isBlank()) {
            throw new AtlasException("search: text must not be empty");
        }
        Map<String, Object> filters = env.getArgument("filters");
        int first = Cursors.pageSize(env.getArgument("first"));
        long skip = Cursors.offsetAfter("search", env.getArgument("after"));
        boolean hybrid = "HYBRID".equals(String.valueOf(env.getArgumentOrDefault("mode", "TEXT")));
        List<SearchHit> hits = hybrid
                ? reader.search().searchHybrid(text, list(filters, "models"), list(filters, "saes"), layers(filters),
                        skip, first + 1)
                : reader.search().search(text, list(filters, "models"), list(filters, "saes"), layers(filters), skip,
                        first + 1);
        List<Map<String, Object>> edges = new ArrayList<>();
        for (int k = 0; k < Math.min(first, hits.size()); k++) {
            SearchHit hit = hits.get(k);
            edges.add(Map.of("cursor", Cursors.encode("search", skip + k), "score", hit.score(),
                    "snippet", Snippets.highlight(String.valueOf(hit.explanation().text()), text),
                    "explanation", hit.explanation(), "feature", hit.feature()));
        }
        return Map.of("edges", edges, "pageInfo", pageInfo(edges, hits.size() > first));
    }

    /** The stored logit table of a feature (token and value lists side by side), or null when none was loaded. */
    static GraphViews.Logits logits(Feature feature) {
        List<GraphViews.LogitEntry> positive = logitEntries(feature.logitPositiveTokens(),
                feature.logitPositiveValues());
        List<GraphViews.LogitEntry> negative = logitEntries(feature.logitNegativeTokens(),
                feature.logitNegativeValues());
        return positive == null && negative == null ? null : new GraphViews.Logits(
                positive == null ? List.of() : positive, negative == null ? List.of() : negative);
    }

    private static List<GraphViews.LogitEntry> logitEntries(List<String> tokens, List<Double> values) {
        if (tokens == null || values == null || tokens.size() != values.size()) {
            return null;
        }
        List<GraphViews.LogitEntry> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            out.add(new GraphViews.LogitEntry(String.valueOf(tokens.get(i)), values.get(i)));
        }
        return out;
    }

    /** The feature's bin counts with its SAE's bin edges (through the SAE DataLoader: one round trip per page). */
    private Object histogram(DataFetchingEnvironment env) {
        Feature feature = env.getSource();
        List<Long> counts = feature.histogram();
        if (counts == null || counts.isEmpty()) {
            return null;
        }
        return AtlasLoaders.<String, Sae>loader(env, AtlasLoaders.SAE).load(feature.sae()).thenApply(sae -> {
            List<Double> edges = sae == null ? null : sae.histogramEdges();
            if (edges == null || edges.size() != counts.size() + 1) {
                return null; // bins without their edges cannot be drawn
            }
            return new GraphViews.Histogram(edges, counts);
        });
    }

    private Object examples(DataFetchingEnvironment env) {
        Integer first = env.getArgument("first");
        int n = first == null ? 5 : first;
        if (n < 0 || n > MAX_EXAMPLES) {
            throw new AtlasException("examples(first): expected 0.." + MAX_EXAMPLES + ", found " + n);
        }
        return AtlasLoaders.<AtlasLoaders.ExampleKey, Object>loader(env, AtlasLoaders.EXAMPLES)
                .load(new AtlasLoaders.ExampleKey(env.<Feature>getSource().id(), n));
    }

    private Object neighbours(DataFetchingEnvironment env) {
        Feature feature = env.getSource();
        String kind = String.valueOf(env.getArgumentOrDefault("kind", "COACTIVATION"));
        int first = Cursors.pageSize(env.getArgument("first"));
        String sign = env.getArgument("sign") == null ? null : env.getArgument("sign").toString();
        String matchedBy = env.getArgument("matchedBy") == null ? null : env.getArgument("matchedBy").toString();
        AtlasLoaders.NeighbourKey key = new AtlasLoaders.NeighbourKey(feature.id(), feature.sae(), kind,
                env.getArgument("run"), env.getArgument("minReplicates"), env.getArgument("stableOnly"), sign,
                matchedBy, first, AttributeFilter.of(env.getArgument("attributes")));
        if (env.getArgument("direction") != null) {
            return connections.neighbours(key, env.getArgument("direction").toString());
        }
        return AtlasLoaders.<AtlasLoaders.NeighbourKey, Object>loader(env, AtlasLoaders.NEIGHBOURS).load(key);
    }

    private Object communities(DataFetchingEnvironment env) {
        String analysis = env.<org.saeatlas.server.store.Analysis>getSource().id();
        String kind = String.valueOf(env.getArgumentOrDefault("kind", "COMMUNITY")).toLowerCase(java.util.Locale.ROOT);
        int first = Cursors.pageSize(env.getArgument("first"));
        long skip = Cursors.offsetAfter("community", env.getArgument("after"));
        return nodeConnection("community", skip, first,
                reader.communities().communities(analysis, kind, skip, first + 1),
                () -> reader.communities().communityCount(analysis, kind));
    }

    private Object errorTokens(DataFetchingEnvironment env) {
        Integer first = env.getArgument("first");
        int n = first == null ? 20 : first;
        if (n < 0 || n > 2000) {
            throw new AtlasException("errorTokens(first): expected 0..2000, found " + n);
        }
        String kind = env.getArgument("kind");
        if (kind != null && !kind.equals("worst") && !kind.equals("uniform")) {
            throw new AtlasException("errorTokens(kind): expected 'worst' or 'uniform', found '" + kind + "'");
        }
        String sae = env.<Sae>getSource().id();
        List<ErrorToken> tokens = reader.catalogue().errorTokens(sae, kind, n);
        Set<String> ids = new LinkedHashSet<>();
        for (ErrorToken t : tokens) {
            for (Long f : t.features()) {
                ids.add(Vocabulary.featureId(sae, f.intValue()));
            }
        }
        Map<String, Feature> features = ids.isEmpty() ? Map.of() : reader.features().featuresById(ids);
        List<GraphViews.ErrorTokenView> out = new ArrayList<>(tokens.size());
        for (ErrorToken t : tokens) {
            List<GraphViews.TokenFeature> top = new ArrayList<>();
            for (int i = 0; i < Math.min(t.features().size(), t.values().size()); i++) {
                int index = t.features().get(i).intValue();
                top.add(new GraphViews.TokenFeature(index, t.values().get(i),
                        features.get(Vocabulary.featureId(sae, index))));
            }
            out.add(new GraphViews.ErrorTokenView(t.token(), t.rank(), t.norm(), t.kind(), t.context(), t.position(),
                    top));
        }
        return out;
    }

    private Object members(DataFetchingEnvironment env) {
        Integer first = env.getArgument("first");
        int n = first == null ? 200 : first;
        if (n < 0 || n > Neighbourhoods.MAX_NODES) {
            throw new AtlasException("members(first): expected 0.." + Neighbourhoods.MAX_NODES + ", found " + n);
        }
        return reader.communities().members(env.<Community>getSource().id(), n);
    }

    private Object similar(DataFetchingEnvironment env) {
        int first = Cursors.pageSize(env.getArgument("first"));
        Boolean sameSae = env.getArgument("sameSae");
        return reader.features().similar(env.<Feature>getSource().id(), first, Boolean.TRUE.equals(sameSae));
    }

    private static Object fdrTable(Run run) throws Exception {
        if (run.fdrTable() == null) {
            return List.of();
        }
        return JSON.readValue(run.fdrTable(), new TypeReference<List<Map<String, Object>>>() { });
    }

    static Map<String, Object> pageInfo(List<Map<String, Object>> edges, boolean hasNext) {
        Map<String, Object> info = new HashMap<>();
        info.put("hasNextPage", hasNext);
        info.put("endCursor", edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor"));
        return info;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> filters, String key) {
        return filters == null ? null : (List<String>) filters.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Long> layers(Map<String, Object> filters) {
        if (filters == null || filters.get("layers") == null) {
            return null;
        }
        return ((List<Integer>) filters.get("layers")).stream().map(Integer::longValue).toList();
    }
}
