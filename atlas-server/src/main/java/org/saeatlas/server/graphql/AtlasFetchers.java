package org.saeatlas.server.graphql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.schema.Vocabulary;
import org.saeatlas.server.store.AtlasReader;
import org.saeatlas.server.store.AttributeFilter;
import org.saeatlas.server.store.EdgeReads;

/**
 * The resolvers of {@code atlas.graphqls}: each field reads Neo4j through {@link AtlasReader}, and edges through
 * {@link EdgeReads} (the run's in-memory projection when it is ready, Cypher otherwise), nothing else.
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
                        .dataFetcher("models", env -> reader.models())
                        .dataFetcher("saes", env -> reader.saes(env.getArgument("model")))
                        .dataFetcher("sae", env -> found("SAE", env.getArgument("id"), reader.sae(env.getArgument("id"))))
                        .dataFetcher("runs", env -> reader.runs(env.getArgument("sae")))
                        .dataFetcher("run", env -> found("run", env.getArgument("id"), reader.run(env.getArgument("id"))))
                        .dataFetcher("feature", this::feature)
                        .dataFetcher("features", this::features)
                        .dataFetcher("search", this::search)
                        .dataFetcher("analyses", env -> reader.analyses(env.getArgument("run")))
                        .dataFetcher("community", env -> found("community", env.getArgument("id"),
                                reader.community(env.getArgument("id"))))
                        .dataFetcher("comparisons", env -> reader.comparisons(env.getArgument("run")))
                        .dataFetcher("subgraph", neighbourhoods::subgraph)
                        .dataFetcher("path", neighbourhoods::path)
                        .dataFetcher("linearShares", env -> connections.linearShares(env.getArgument("model"))))
                .type("Model", t -> t.dataFetcher("saes", env -> reader.saes(id(env))))
                .type("Sae", t -> t
                        .dataFetcher("model", env -> reader.model((String) source(env).get("model")))
                        .dataFetcher("runs", env -> reader.runs(id(env)))
                        .dataFetcher("errorStatistics", env -> errorStatistics(source(env)))
                        .dataFetcher("errorTokens", this::errorTokens)
                        .dataFetcher("errorComparisons", env -> reader.errorComparisons(id(env))))
                .type("ErrorComparison", t -> t
                        .dataFetcher("predictor", env -> reader.sae((String) source(env).get("predictor")))
                        .dataFetcher("predicted", env -> reader.sae((String) source(env).get("predicted"))))
                .type("Run", t -> t
                        .dataFetcher("sae", env -> reader.sae((String) source(env).get("sae")))
                        .dataFetcher("parameters", env -> String.valueOf(source(env).getOrDefault("parameters", "{}")))
                        .dataFetcher("edgeCount", env -> source(env).getOrDefault("edgeCount", 0L))
                        .dataFetcher("fdrTable", this::fdrTable)
                        .dataFetcher("analyses", env -> reader.analyses(id(env))))
                .type("Analysis", t -> t.dataFetcher("communities", this::communities))
                .type("Neighbour", t -> t.dataFetcher("attributes", AtlasFetchers::attributes))
                .type("GraphEdge", t -> t.dataFetcher("attributes", AtlasFetchers::attributes))
                .type("Community", t -> t
                        .dataFetcher("hub", env -> source(env).get("hub") == null ? null
                                : reader.featuresById(List.of((String) source(env).get("hub"))).get(source(env).get("hub")))
                        .dataFetcher("members", this::members)
                        .dataFetcher("subgraph", env -> neighbourhoods.community(source(env))))
                .type("Feature", t -> t
                        .dataFetcher("sae", env -> AtlasLoaders.<String, Object>loader(env, AtlasLoaders.SAE)
                                .load((String) source(env).get("sae")))
                        .dataFetcher("explanations", env -> AtlasLoaders.<String, Object>loader(env, AtlasLoaders.EXPLANATIONS)
                                .load(id(env)))
                        .dataFetcher("examples", this::examples)
                        .dataFetcher("neighbours", this::neighbours)
                        .dataFetcher("similar", this::similar)
                        .dataFetcher("histogram", this::histogram)
                        .dataFetcher("logits", env -> logits(source(env)))
                        .dataFetcher("communities", env -> reader.communitiesOf(id(env), env.getArgument("run")))
                        .dataFetcher("computedFrom", connections::computedFrom)
                        .dataFetcher("linearity", env -> connections.linearity(id(env), null)))
                .type("LinearShare", t -> t
                        .dataFetcher("upstream", env -> source(env).get("upstream"))
                        .dataFetcher("downstream", env -> source(env).get("downstream")));
    }

    /** Keys the API adds to an edge's map; everything else is a stored edge attribute. */
    private static final java.util.Set<String> COMPUTED = java.util.Set.of("feature", "kind", "run", "source",
            "target", "outgoing", "directed");

    /** The edge's stored attributes (an imported graph's link attributes, typed) as a JSON object. */
    private static Object attributes(DataFetchingEnvironment env) throws Exception {
        Map<String, Object> out = new java.util.TreeMap<>(source(env));
        out.keySet().removeAll(COMPUTED);
        return JSON.writeValueAsString(out);
    }

    private Object feature(DataFetchingEnvironment env) {
        String id = env.getArgument("id");
        String sae = env.getArgument("sae");
        Integer index = env.getArgument("index");
        if (id == null && (sae == null || index == null)) {
            throw new AtlasException("feature: give either id ('<sae>/<index>') or both sae and index");
        }
        String featureId = id != null ? id : Vocabulary.featureId(sae, index);
        return found("feature", featureId, reader.feature(featureId));
    }

    /** Unknown ids are errors that name the id, not silent nulls. */
    private static Object found(String what, String id, Map<String, Object> node) {
        if (node == null) {
            throw new AtlasException(what + " '" + id + "' is not in the atlas");
        }
        return node;
    }

    private Object features(DataFetchingEnvironment env) {
        String sae = env.getArgument("sae");
        int first = Cursors.pageSize(env.getArgument("first"));
        long skip = Cursors.offsetAfter("feature", env.getArgument("after"));
        found("SAE", sae, reader.sae(sae));
        return nodeConnection("feature", skip, first, reader.features(sae, skip, first + 1),
                () -> reader.featureCount(sae));
    }

    /**
     * A Relay connection over one page of nodes fetched with one row to spare ({@code first + 1}): the spare row only
     * tells whether there is a next page.
     */
    private static Map<String, Object> nodeConnection(String kind, long skip, int first,
                                                      List<Map<String, Object>> page,
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
        List<Map<String, Object>> rows = hybrid
                ? reader.searchHybrid(text, list(filters, "models"), list(filters, "saes"), layers(filters), skip, first + 1)
                : reader.search(text, list(filters, "models"), list(filters, "saes"), layers(filters), skip, first + 1);
        List<Map<String, Object>> edges = new ArrayList<>();
        for (int k = 0; k < Math.min(first, rows.size()); k++) {
            Map<String, Object> row = rows.get(k);
            @SuppressWarnings("unchecked")
            Map<String, Object> explanation = (Map<String, Object>) row.get("explanation");
            edges.add(Map.of("cursor", Cursors.encode("search", skip + k), "score", row.get("score"),
                    "snippet", Snippets.highlight(String.valueOf(explanation.get("text")), text),
                    "explanation", explanation, "feature", row.get("feature")));
        }
        return Map.of("edges", edges, "pageInfo", pageInfo(edges, rows.size() > first));
    }

    /** The stored logit table of a feature (token and value lists side by side), or null when none was loaded. */
    static Map<String, Object> logits(Map<String, Object> feature) {
        List<Map<String, Object>> positive = logitEntries(feature.get("logitPositiveTokens"), feature.get("logitPositiveValues"));
        List<Map<String, Object>> negative = logitEntries(feature.get("logitNegativeTokens"), feature.get("logitNegativeValues"));
        return positive == null && negative == null ? null
                : Map.of("positive", positive == null ? List.of() : positive, "negative", negative == null ? List.of() : negative);
    }

    private static List<Map<String, Object>> logitEntries(Object tokens, Object values) {
        if (!(tokens instanceof List<?> t) || !(values instanceof List<?> v) || t.size() != v.size()) {
            return null;
        }
        List<Map<String, Object>> out = new ArrayList<>(t.size());
        for (int i = 0; i < t.size(); i++) {
            out.add(Map.of("token", String.valueOf(t.get(i)), "value", ((Number) v.get(i)).doubleValue()));
        }
        return out;
    }

    /** The feature's bin counts with its SAE's bin edges (through the SAE DataLoader: one round trip per page). */
    private Object histogram(DataFetchingEnvironment env) {
        Object counts = source(env).get("histogram");
        if (!(counts instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        return AtlasLoaders.<String, Map<String, Object>>loader(env, AtlasLoaders.SAE)
                .load((String) source(env).get("sae")).thenApply(sae -> {
                    Object edges = sae == null ? null : sae.get("histogramEdges");
                    if (!(edges instanceof List<?> e) || e.size() != list.size() + 1) {
                        return null; // bins without their edges cannot be drawn
                    }
                    return Map.of("binEdges", e, "counts", list);
                });
    }

    private Object examples(DataFetchingEnvironment env) {
        Integer first = env.getArgument("first");
        int n = first == null ? 5 : first;
        if (n < 0 || n > MAX_EXAMPLES) {
            throw new AtlasException("examples(first): expected 0.." + MAX_EXAMPLES + ", found " + n);
        }
        return AtlasLoaders.<AtlasLoaders.ExampleKey, Object>loader(env, AtlasLoaders.EXAMPLES)
                .load(new AtlasLoaders.ExampleKey(id(env), n));
    }

    private Object neighbours(DataFetchingEnvironment env) {
        Map<String, Object> feature = source(env);
        String kind = String.valueOf(env.getArgumentOrDefault("kind", "COACTIVATION"));
        int first = Cursors.pageSize(env.getArgument("first"));
        String sign = env.getArgument("sign") == null ? null : env.getArgument("sign").toString();
        String matchedBy = env.getArgument("matchedBy") == null ? null : env.getArgument("matchedBy").toString();
        if (env.getArgument("direction") != null) {
            return connections.neighbours(feature, kind, env.getArgument("direction").toString(),
                    env.getArgument("run"), env.getArgument("minReplicates"), env.getArgument("stableOnly"), sign,
                    matchedBy, AttributeFilter.of(env.getArgument("attributes")), first);
        }
        return AtlasLoaders.<AtlasLoaders.NeighbourKey, Object>loader(env, AtlasLoaders.NEIGHBOURS).load(
                new AtlasLoaders.NeighbourKey((String) feature.get("id"), (String) feature.get("sae"), kind,
                        env.getArgument("run"), env.getArgument("minReplicates"), env.getArgument("stableOnly"), sign,
                        matchedBy, first, AttributeFilter.of(env.getArgument("attributes"))));
    }

    private Object communities(DataFetchingEnvironment env) {
        String analysis = id(env);
        String kind = String.valueOf(env.getArgumentOrDefault("kind", "COMMUNITY")).toLowerCase(java.util.Locale.ROOT);
        int first = Cursors.pageSize(env.getArgument("first"));
        long skip = Cursors.offsetAfter("community", env.getArgument("after"));
        return nodeConnection("community", skip, first, reader.communities(analysis, kind, skip, first + 1),
                () -> reader.communityCount(analysis, kind));
    }

    /** The provenance of an SAE's error statistics, from its node; null when they were not computed. */
    private static Map<String, Object> errorStatistics(Map<String, Object> sae) {
        if (sae.get("errorStatsTokens") == null) {
            return null;
        }
        Map<String, Object> out = new java.util.HashMap<>();
        out.put("tokens", sae.get("errorStatsTokens"));
        out.put("trainTokens", sae.get("errorStatsTrainTokens"));
        out.put("heldOutTokens", sae.get("errorStatsHeldOutTokens"));
        out.put("heldOutShare", sae.get("errorStatsHeldOutShare"));
        out.put("ridge", sae.get("errorStatsRidge"));
        out.put("seed", sae.get("errorStatsSeed"));
        out.put("heldOutFvu", sae.get("errorStatsHeldOutFvu"));
        out.put("source", sae.get("errorStatsSource"));
        List<Map<String, Object>> curve = new java.util.ArrayList<>();
        if (sae.get("errorNormCurve") instanceof List<?> norms && sae.get("errorNormCurveRanks") instanceof List<?> ranks) {
            for (int i = 0; i < Math.min(norms.size(), ranks.size()); i++) {
                curve.add(Map.of("rank", ranks.get(i), "norm", norms.get(i)));
            }
        }
        out.put("curve", curve);
        return out;
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
        String sae = id(env);
        List<Map<String, Object>> tokens = reader.errorTokens(sae, kind, n);
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (Map<String, Object> t : tokens) {
            for (Object f : (List<?>) t.getOrDefault("features", List.of())) {
                ids.add(Vocabulary.featureId(sae, ((Number) f).intValue()));
            }
        }
        Map<String, Map<String, Object>> features = ids.isEmpty() ? Map.of() : reader.featuresById(ids);
        List<Map<String, Object>> out = new java.util.ArrayList<>(tokens.size());
        for (Map<String, Object> t : tokens) {
            Map<String, Object> row = new java.util.HashMap<>(t);
            List<?> f = (List<?>) t.getOrDefault("features", List.of());
            List<?> v = (List<?>) t.getOrDefault("values", List.of());
            List<Map<String, Object>> top = new java.util.ArrayList<>();
            for (int i = 0; i < Math.min(f.size(), v.size()); i++) {
                int index = ((Number) f.get(i)).intValue();
                Map<String, Object> tf = new java.util.HashMap<>();
                tf.put("index", index);
                tf.put("activation", v.get(i));
                tf.put("feature", features.get(Vocabulary.featureId(sae, index)));
                top.add(tf);
            }
            row.put("topFeatures", top);
            out.add(row);
        }
        return out;
    }

    private Object members(DataFetchingEnvironment env) {
        Integer first = env.getArgument("first");
        int n = first == null ? 200 : first;
        if (n < 0 || n > Neighbourhoods.MAX_NODES) {
            throw new AtlasException("members(first): expected 0.." + Neighbourhoods.MAX_NODES + ", found " + n);
        }
        return reader.members(id(env), n);
    }

    private Object similar(DataFetchingEnvironment env) {
        int first = Cursors.pageSize(env.getArgument("first"));
        Boolean sameSae = env.getArgument("sameSae");
        return reader.similar(id(env), first, Boolean.TRUE.equals(sameSae));
    }

    private Object fdrTable(DataFetchingEnvironment env) throws Exception {
        Object table = source(env).get("fdrTable");
        if (table == null) {
            return List.of();
        }
        return JSON.readValue(table.toString(), new TypeReference<List<Map<String, Object>>>() { });
    }

    private static Map<String, Object> pageInfo(List<Map<String, Object>> edges, boolean hasNext) {
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> source(DataFetchingEnvironment env) {
        return (Map<String, Object>) env.getSource();
    }

    private static String id(DataFetchingEnvironment env) {
        return (String) source(env).get("id");
    }

}
