package org.saeatlas.server.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.db.CypherException;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.schema.Vocabulary;

/**
 * Every read the server does: parameterised Cypher in read-only transactions with a timeout, in-process when the
 * database is embedded and over Bolt otherwise ({@link CypherExecutor}). Results are plain maps (node properties
 * plus computed keys) that GraphQL's property fetchers read. The server never writes: a statement that tries to is
 * refused by the database.
 */
public final class AtlasReader {

    private final CypherExecutor cypher;
    private final ExplanationIndex index;
    /** The embedded database's Core API for the hot reads; null over Bolt. */
    private final CoreReads core;
    private final java.util.concurrent.atomic.AtomicLong queries = new java.util.concurrent.atomic.AtomicLong();

    /** A reader that searches with Neo4j's full-text index only. */
    public AtlasReader(CypherExecutor cypher, java.time.Duration timeout) {
        this(cypher, timeout, null);
    }

    /** A reader that searches with {@code index} whenever it is built for what Neo4j holds (null: never). */
    public AtlasReader(CypherExecutor cypher, java.time.Duration timeout, ExplanationIndex index) {
        this(cypher, timeout, index, true);
    }

    /**
     * {@code coreReads}: on the in-process database, read features, explanations, examples and runs through the Core
     * API (the server's default; {@code atlas.core-reads=false} turns it off to compare); Bolt always reads with Cypher.
     */
    public AtlasReader(CypherExecutor cypher, java.time.Duration timeout, ExplanationIndex index, boolean coreReads) {
        this.cypher = cypher.withTimeout(timeout);
        this.index = index;
        this.core = coreReads && this.cypher instanceof org.saeatlas.ingest.db.InProcessCypher in
                ? new CoreReads(in) : null;
    }

    /** Whether the hot reads (features, explanations, examples, runs) go through the Core API, not Cypher. */
    public boolean coreReads() {
        return core != null;
    }

    /** A Core API read: one round trip, as a statement is. */
    private <T> T viaCore(java.util.function.Function<CoreReads, T> read) {
        queries.incrementAndGet();
        return read.apply(core);
    }

    /** Database round trips (one Cypher statement, one transaction each) made so far (for tests and metrics). */
    public long queryCount() {
        return queries.get();
    }

    /** One read-only statement; failures are {@link org.saeatlas.ingest.db.CypherException}s that say why. */
    public List<Map<String, Object>> query(String cypher, Map<String, Object> params) {
        queries.incrementAndGet();
        try {
            return this.cypher.read(cypher, params);
        } catch (CypherException e) {
            if (refusedWrite(e)) {
                throw new AtlasException("the atlas server only reads: the database refused a write in '"
                        + cypher.strip().lines().findFirst().orElse("") + "' (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    /** A write refused because the transaction is read-only (in-process: Forbidden; Bolt: AccessMode). */
    private static boolean refusedWrite(CypherException e) {
        return e.kind() == CypherException.Kind.CLIENT && e.code() != null
                && (e.code().endsWith(".Security.Forbidden") || e.code().endsWith(".Statement.AccessMode"));
    }

    public List<Map<String, Object>> models() {
        return column(query("MATCH (m:Model) RETURN m {.*} AS m ORDER BY m.id", Map.of()), "m");
    }

    public List<Map<String, Object>> saes(String model) {
        return column(query("""
                MATCH (s:Sae) WHERE $model IS NULL OR s.model = $model
                RETURN s {.*, featureCount: COUNT { (s)<-[:IN_SAE]-() } } AS s ORDER BY s.model, s.layer, s.id""",
                params("model", model)), "s");
    }

    public Map<String, Object> sae(String id) {
        return first(column(query("""
                MATCH (s:Sae {id: $id})
                RETURN s {.*, featureCount: COUNT { (s)<-[:IN_SAE]-() } } AS s""", params("id", id)), "s"));
    }

    /** Sampled error tokens of an SAE by rank; {@code kind} null for both kinds. */
    public List<Map<String, Object>> errorTokens(String sae, String kind, int limit) {
        return column(query("""
                MATCH (t:ErrorToken {sae: $sae}) WHERE $kind IS NULL OR t.kind = $kind
                RETURN t {.*} AS t ORDER BY t.rank LIMIT $limit""", params("sae", sae, "kind", kind, "limit", limit)),
                "t");
    }

    /** Error-norm comparisons with {@code sae} as predictor or predicted. */
    public List<Map<String, Object>> errorComparisons(String sae) {
        return column(query("""
                MATCH (a:Sae)-[c:COMPARES_ERRORS]->(b:Sae) WHERE a.id = $sae OR b.id = $sae
                RETURN c {.*, predictor: a.id, predicted: b.id} AS c ORDER BY c.predictor, c.predicted""",
                params("sae", sae)), "c");
    }

    public Map<String, Object> model(String id) {
        return first(column(query("MATCH (m:Model {id: $id}) RETURN m {.*} AS m", params("id", id)), "m"));
    }

    public List<Map<String, Object>> runs(String sae) {
        return column(query("""
                MATCH (r:Run {status: $complete}) WHERE $sae IS NULL OR r.sae = $sae OR $sae IN coalesce(r.saes, [])
                RETURN r {.*} AS r ORDER BY r.sae, r.kind, r.completedAt DESC""",
                params("sae", sae, "complete", Vocabulary.STATUS_COMPLETE)), "r");
    }

    public Map<String, Object> run(String id) {
        return first(column(query("MATCH (r:Run {id: $id, status: $complete}) RETURN r {.*} AS r",
                params("id", id, "complete", Vocabulary.STATUS_COMPLETE)), "r"));
    }

    public Map<String, Object> feature(String id) {
        if (core != null) {
            return viaCore(c -> c.feature(id));
        }
        return first(column(query("MATCH (f:Feature {id: $id}) RETURN f {.*} AS f", params("id", id)), "f"));
    }

    public List<Map<String, Object>> features(String sae, long skip, int limit) {
        return column(query("""
                MATCH (f:Feature {sae: $sae}) RETURN f {.*} AS f ORDER BY f.index SKIP $skip LIMIT $limit""",
                params("sae", sae, "skip", skip, "limit", limit)), "f");
    }

    public long featureCount(String sae) {
        return ((Number) query("MATCH (f:Feature {sae: $sae}) RETURN count(f) AS n", params("sae", sae))
                .get(0).get("n")).longValue();
    }

    /** Full-text hits over explanations, after filters, paged. Rows: explanation, feature, score. */
    public List<Map<String, Object>> search(String text, List<String> models, List<String> saes, List<Long> layers,
                                            long skip, int limit) {
        try {
            return searchQuery(text, models, saes, layers, skip, limit);
        } catch (AtlasException e) {
            if (e.getMessage() != null && e.getMessage().contains("ParseException")) {
                throw unparsable(text, e.getMessage().replaceAll("(?s).*ParseException:\\s*", ""));
            }
            throw e;
        }
    }

    /** The error for search text the query parser refuses (Neo4j's full-text index or the server's own). */
    static AtlasException unparsable(String text, String parserMessage) {
        String detail = String.valueOf(parserMessage).lines().findFirst().orElse("");
        return new AtlasException("search: cannot parse '" + text + "' as a query (" + detail + "). Words,"
                + " \"a phrase\", prefix*, fuzzy~ and AND/OR/NOT work; escape other special characters"
                + " with a backslash");
    }

    static final int HYBRID_DEPTH = 200;
    static final int RRF_K = 60;

    /**
     * Hybrid ranking: BM25 hits fused by reciprocal rank fusion ({@code 1/(60 + rank)} summed over the two lists)
     * with the nearest explanations (vector index) to the centroid embedding of the top 5 text hits. Filters apply
     * to both lists. Falls back to the text ranking when there are no embeddings.
     */
    public List<Map<String, Object>> searchHybrid(String text, List<String> models, List<String> saes,
                                                  List<Long> layers, long skip, int limit) {
        List<Map<String, Object>> textHits = search(text, models, saes, layers, 0, HYBRID_DEPTH);
        List<Map<String, Object>> vectorHits = query("""
                SHOW VECTOR INDEXES YIELD name WHERE name = $index RETURN name""", params("index",
                Vocabulary.VECTOR_EXPLANATIONS)).isEmpty() || textHits.isEmpty() ? List.of() : query("""
                UNWIND $ids AS id
                MATCH (x:Explanation {id: id}) WHERE x.embedding IS NOT NULL
                WITH collect(x.embedding) AS es
                WHERE size(es) > 0
                WITH reduce(acc = [i IN range(0, size(es[0]) - 1) | 0.0], e IN es |
                            [i IN range(0, size(acc) - 1) | acc[i] + e[i]]) AS centroid
                CALL db.index.vector.queryNodes($index, $depth, centroid) YIELD node, score
                WHERE ($models IS NULL OR node.model IN $models) AND ($saes IS NULL OR node.sae IN $saes)
                  AND ($layers IS NULL OR node.layer IN $layers)
                MATCH (node)-[:EXPLAINS]->(f:Feature)
                RETURN node {.*} AS explanation, f {.*} AS feature, score
                ORDER BY score DESC, node.id""", params("ids", textHits.stream().limit(5)
                .map(r -> ((Map<?, ?>) r.get("explanation")).get("id")).toList(), "index",
                Vocabulary.VECTOR_EXPLANATIONS, "depth", HYBRID_DEPTH, "models", models, "saes", saes, "layers", layers));
        Map<Object, Map<String, Object>> byId = new java.util.LinkedHashMap<>();
        Map<Object, Double> fused = new HashMap<>();
        for (List<Map<String, Object>> ranking : List.of(textHits, vectorHits)) {
            for (int rank = 0; rank < ranking.size(); rank++) {
                Map<String, Object> row = ranking.get(rank);
                Object id = ((Map<?, ?>) row.get("explanation")).get("id");
                byId.putIfAbsent(id, row);
                fused.merge(id, 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        return byId.keySet().stream()
                .sorted((a, b) -> fused.get(a).equals(fused.get(b)) ? String.valueOf(a).compareTo(String.valueOf(b))
                        : Double.compare(fused.get(b), fused.get(a)))
                .skip(skip).limit(limit)
                .map(id -> {
                    Map<String, Object> row = new HashMap<>(byId.get(id));
                    row.put("score", fused.get(id));
                    return row;
                }).toList();
    }

    /**
     * Hits ranked by BM25 score, then explanation id. From the server's own index of the explanations when it is built
     * for what Neo4j holds now (one round trip for the signature, the page ranked in Lucene, one round trip for the
     * page's explanations and features); otherwise from Neo4j's full-text index, which reads every hit to order them.
     */
    private List<Map<String, Object>> searchQuery(String text, List<String> models, List<String> saes,
                                                  List<Long> layers, long skip, int limit) {
        if (index != null && index.enabled()) {
            List<ExplanationIndex.Hit> hits = index.search(explanationSignature(), text, models, saes, layers, skip, limit);
            if (hits != null) {
                return hitRows(hits);
            }
        }
        return query("""
                CALL db.index.fulltext.queryNodes($index, $text) YIELD node, score
                WHERE ($models IS NULL OR node.model IN $models) AND ($saes IS NULL OR node.sae IN $saes)
                  AND ($layers IS NULL OR node.layer IN $layers)
                // page first, then the features: a common word has thousands of hits (every explanation explains
                // exactly one feature, written together by AtlasWriter)
                WITH node, score ORDER BY score DESC, node.id SKIP $skip LIMIT $limit
                MATCH (node)-[:EXPLAINS]->(f:Feature)
                RETURN node {.*} AS explanation, f {.*} AS feature, score
                ORDER BY score DESC, node.id""", params("index",
                Vocabulary.FULLTEXT_EXPLANATIONS, "text", text, "models", models, "saes", saes, "layers", layers,
                "skip", skip, "limit", limit));
    }

    /** Which explanations Neo4j holds now, as {@link ExplanationIndex} compares them (one cheap round trip). */
    ExplanationIndex.Signature explanationSignature() {
        return ExplanationIndex.signatureOf(query(ExplanationIndex.SIGNATURE, params("state", Vocabulary.ATLAS_STATE))
                .get(0));
    }

    /** The explanations and features of ranked hits, in their order, in one round trip. */
    private List<Map<String, Object>> hitRows(List<ExplanationIndex.Hit> hits) {
        if (hits.isEmpty()) {
            return List.of();
        }
        Map<Object, Map<String, Object>> byId = new HashMap<>();
        for (Map<String, Object> row : query("""
                UNWIND $ids AS id
                MATCH (x:Explanation {id: id})-[:EXPLAINS]->(f:Feature)
                RETURN id, x {.*} AS explanation, f {.*} AS feature""", params("ids",
                hits.stream().map(ExplanationIndex.Hit::id).toList()))) {
            byId.put(row.get("id"), row);
        }
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (ExplanationIndex.Hit h : hits) {
            Map<String, Object> row = byId.get(h.id());
            if (row != null) {
                out.add(Map.of("explanation", row.get("explanation"), "feature", row.get("feature"),
                        "score", h.score()));
            }
        }
        return out;
    }

    /** SAEs by id, in one round trip. */
    public Map<String, Map<String, Object>> saesById(java.util.Collection<String> ids) {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Map<String, Object> s : column(query("""
                MATCH (s:Sae) WHERE s.id IN $ids
                RETURN s {.*, featureCount: COUNT { (s)<-[:IN_SAE]-() } } AS s""", params("ids", List.copyOf(ids))), "s")) {
            out.put((String) s.get("id"), s);
        }
        return out;
    }

    /** Explanations of many features, in one round trip. */
    public Map<String, List<Map<String, Object>>> explanationsByFeature(java.util.Collection<String> ids) {
        if (core != null) {
            return viaCore(c -> c.explanationsByFeature(ids));
        }
        return grouped(query("""
                UNWIND $ids AS id
                MATCH (x:Explanation)-[:EXPLAINS]->(:Feature {id: id})
                WITH id, x ORDER BY x.id
                RETURN id, collect(x {.*}) AS items""", params("ids", List.copyOf(ids))));
    }

    /** The top {@code limit} examples of many features, in one round trip. */
    public Map<String, List<Map<String, Object>>> examplesByFeature(java.util.Collection<String> ids, int limit) {
        if (core != null) {
            return viaCore(c -> c.examplesByFeature(ids, limit));
        }
        return grouped(query("""
                UNWIND $ids AS id
                MATCH (x:Example)-[:EXAMPLE_OF]->(:Feature {id: id})
                WITH id, x ORDER BY x.rank
                RETURN id, collect(x {.*})[..$limit] AS items""", params("ids", List.copyOf(ids), "limit", limit)));
    }

    /**
     * Neighbours of many features of one SAE for one {@link NeighbourQuery}, in one round trip: items with
     * {@code feature} and {@code edge} (with {@code outgoing}: the asked feature is the edge's start) per asked id,
     * strongest first. A match run links a pair once per method (assignment, mutual nearest), so one row per
     * neighbour unless {@code everyEdge}; an imported multigraph's parallel edges stay distinct with it.
     */
    public Map<String, List<Map<String, Object>>> neighboursByFeature(java.util.Collection<String> ids,
                                                                     NeighbourQuery q) {
        String cypher = q.runCypher() + """
                UNWIND $ids AS id
                MATCH (f:Feature {id: id})
                MATCH %s
                WHERE %s
                WITH id, f, g, e ORDER BY abs(coalesce(e.weight, e.score)) DESC, e.method, e.key
                WITH id, f, g, CASE WHEN $everyEdge THEN collect(e) ELSE collect(e)[0..1] END AS es
                UNWIND es AS e
                WITH id, f, e, g ORDER BY abs(coalesce(e.weight, e.score)) DESC, g.id, e.method, e.key
                RETURN id, collect({feature: g {.*}, edge: e {.*, outgoing: startNode(e) = f}})[..$limit] AS items"""
                .formatted(q.edgePattern(), q.edgeFilter());
        Map<String, Object> p = q.parameters();
        p.put("ids", List.copyOf(ids));
        return grouped(query(cypher, p));
    }

    /**
     * The neighbours of one feature for a {@link NeighbourQuery} with a {@code direction}: upstream ones are the
     * edges' stored starts (pointing at the feature), downstream ones their ends. Rows: {@code feature} and
     * {@code edge} (with {@code outgoing}), strongest first, one per neighbour unless {@code everyEdge}.
     */
    public List<Map<String, Object>> directedNeighbours(String id, NeighbourQuery q) {
        String cypher = q.runCypher() + """
                MATCH (f:Feature {id: $id})
                MATCH %s
                WHERE %s
                WITH f, g, e ORDER BY abs(coalesce(e.weight, e.score)) DESC, e.method, e.key
                WITH f, g, CASE WHEN $everyEdge THEN collect(e) ELSE collect(e)[0..1] END AS es
                UNWIND es AS e
                RETURN g {.*} AS feature, e {.*, outgoing: startNode(e) = f} AS edge
                ORDER BY abs(coalesce(e.weight, e.score)) DESC, g.id, e.method, e.key LIMIT $limit"""
                .formatted(q.edgePattern(), q.edgeFilter());
        Map<String, Object> p = q.parameters();
        p.put("id", id);
        return query(cypher, p);
    }

    /** A complete run as Neo4j names it now: what a projection of it must match. */
    public record RunRef(String id, long revision, Long edgeCount, Object completedAt) { }

    /** The run a {@link NeighbourQuery}'s edges come from (null: none), as {@link #resolveRun(String, List, String,
     *  String)}. */
    public RunRef resolveRun(NeighbourQuery q) {
        return resolveRun(q.sae(), q.runKinds(), q.runMethod(), q.run());
    }

    /**
     * The run edges of an SAE come from: {@code run} if given and complete (and of one of {@code runKinds}, and of
     * {@code runMethod} when not null), else the newest such run; null if there is none.
     */
    public RunRef resolveRun(String sae, List<String> runKinds, String runMethod, String run) {
        if (core != null) {
            return viaCore(c -> c.resolveRun(sae, runKinds, runMethod, run));
        }
        List<Map<String, Object>> rows = query("""
                MATCH (r:Run {status: $complete})
                WHERE r.kind IN $kinds AND ($method IS NULL OR r.method = $method)
                  AND (r.sae = $sae OR $sae IN coalesce(r.saes, [])) AND ($run IS NULL OR r.id = $run)
                RETURN r.id AS id, coalesce(r.edgesRevision, 0) AS revision, r.edgeCount AS edgeCount,
                       r.completedAt AS completedAt
                ORDER BY r.completedAt DESC LIMIT 1""", params("sae", sae, "kinds", runKinds, "method", runMethod,
                "complete", Vocabulary.STATUS_COMPLETE, "run", run));
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> r = rows.get(0);
        return new RunRef((String) r.get("id"), ((Number) r.get("revision")).longValue(),
                r.get("edgeCount") instanceof Number n ? n.longValue() : null, r.get("completedAt"));
    }

    /**
     * The edges of {@code q}'s run (named: {@code q.run()}) touching any of {@code ids}, after {@code q}'s filters,
     * keeping only those whose other end is in {@code among} (null: any): the edges of a drawn neighbourhood, and
     * those that close it at its boundary. Rows: {@code a} (the asked end), {@code b}, {@code edge} and
     * {@code outgoing} (whether {@code a} is the start), by |weight| descending.
     */
    public List<Map<String, Object>> edgesAround(java.util.Collection<String> ids, java.util.Collection<String> among,
                                                 NeighbourQuery q) {
        Map<String, Object> p = q.parameters();
        p.put("ids", List.copyOf(ids));
        p.put("among", among == null ? null : List.copyOf(among));
        return query("""
                UNWIND $ids AS id
                MATCH (f:Feature {id: id})-[e:%s {run: $run}]-(g:Feature)
                WHERE ($among IS NULL OR g.id IN $among)
                  AND %s
                RETURN id AS a, g.id AS b, e {.*} AS edge, startNode(e) = f AS outgoing
                ORDER BY abs(e.weight) DESC, a, b, e.method, e.key""".formatted(q.relationship(), q.edgeFilter()), p);
    }

    /**
     * Features by id, in one round trip, looked up by the element id a run projection remembers for each (no index
     * seek) when it is still that feature's node, and by the id index otherwise.
     */
    public Map<String, Map<String, Object>> featuresById(java.util.Collection<String> ids,
                                                        java.util.function.Function<String, String> elementIds) {
        List<List<String>> known = new java.util.ArrayList<>();
        List<String> unknown = new java.util.ArrayList<>();
        for (String id : ids) {
            String e = elementIds.apply(id);
            if (e == null) {
                unknown.add(id);
            } else {
                known.add(List.of(id, e));
            }
        }
        if (known.isEmpty()) {
            return featuresById(ids);
        }
        Map<String, Map<String, Object>> out = new HashMap<>();
        if (core != null) {
            out.putAll(viaCore(c -> c.featuresByElementId(known)));
        } else {
            for (Map<String, Object> f : column(query("""
                    UNWIND $rows AS row
                    // no label in the pattern: the planner then seeks by element id instead of the id index
                    MATCH (f) WHERE elementId(f) = row[1] AND f.id = row[0] AND 'Feature' IN labels(f)
                    RETURN f {.*} AS f""", params("rows", known)), "f")) {
                out.put((String) f.get("id"), f);
            }
        }
        for (List<String> k : known) {
            if (!out.containsKey(k.get(0))) {
                unknown.add(k.get(0)); // deleted, or its element id reused: by the id index
            }
        }
        if (!unknown.isEmpty()) {
            out.putAll(featuresById(unknown));
        }
        return out;
    }

    /** Features by id, in one round trip. */
    public Map<String, Map<String, Object>> featuresById(java.util.Collection<String> ids) {
        if (core != null) {
            return viaCore(c -> c.featuresById(ids));
        }
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (Map<String, Object> f : column(query("MATCH (f:Feature) WHERE f.id IN $ids RETURN f {.*} AS f",
                params("ids", List.copyOf(ids))), "f")) {
            out.put((String) f.get("id"), f);
        }
        return out;
    }

    /**
     * Features whose explanations are nearest to this feature's headline explanation by embedding. Rows: feature,
     * explanation, similarity. Empty when there is no embedding or no vector index.
     *
     * <p>The vector search is approximate (HNSW: the fewer neighbours asked for, the fewer it explores) and its hits
     * include the feature's own explanations, several explanations of one feature and, with {@code sameSae}, other
     * SAEs: it is asked for at least {@link #SIMILAR_CANDIDATES} hits, filtered, then cut to {@code limit}; when fewer
     * than {@code limit} features remain, asked again for four times as many, up to every explanation.
     */
    public List<Map<String, Object>> similar(String featureId, int limit, boolean sameSae) {
        if (query("SHOW VECTOR INDEXES YIELD name WHERE name = $name RETURN name",
                params("name", Vocabulary.VECTOR_EXPLANATIONS)).isEmpty()) {
            return List.of();
        }
        long k = Math.max(SIMILAR_CANDIDATES, (limit + 1L) * (sameSae ? 8 : 2));
        long explanations = -1;
        while (true) {
            List<Map<String, Object>> rows = query("""
                    MATCH (x:Explanation)-[:EXPLAINS]->(f:Feature {id: $id}) WHERE x.embedding IS NOT NULL
                    WITH f, x ORDER BY x.id LIMIT 1
                    CALL db.index.vector.queryNodes($index, $k, x.embedding) YIELD node, score
                    MATCH (node)-[:EXPLAINS]->(g:Feature)
                    WHERE g <> f AND (NOT $sameSae OR g.sae = f.sae)
                    WITH g, node, score ORDER BY score DESC, node.id
                    WITH g, collect({x: node, score: score})[0] AS best
                    WITH g, best.x AS x, best.score AS similarity
                    RETURN g {.*} AS feature, x {.text, .source, .score, .id} AS explanation, similarity
                    ORDER BY similarity DESC, feature.id LIMIT $limit""", params("id", featureId, "index",
                    Vocabulary.VECTOR_EXPLANATIONS, "k", k, "sameSae", sameSae, "limit", limit));
            if (rows.size() >= limit) {
                return rows;
            }
            if (explanations < 0) { // from the count store: no scan
                explanations = ((Number) query("MATCH (x:Explanation) RETURN count(x) AS n", Map.of()).get(0).get("n"))
                        .longValue();
            }
            if (k >= explanations) {
                return rows; // every explanation was a candidate: there are no more
            }
            k = Math.min(explanations, k * 4);
        }
    }

    /** The fewest hits {@link #similar} asks the vector index for (its recall falls for small k). */
    static final int SIMILAR_CANDIDATES = 100;

    public List<Map<String, Object>> analyses(String run) {
        return column(query("""
                MATCH (a:Analysis {run: $run, status: $complete}) RETURN a {.*} AS a ORDER BY a.completedAt DESC, a.id""",
                params("run", run, "complete", Vocabulary.STATUS_COMPLETE)), "a");
    }

    public List<Map<String, Object>> communities(String analysis, String kind, long skip, int limit) {
        return column(query("""
                MATCH (c:Community {analysis: $analysis, kind: $kind})
                RETURN c {.*} AS c ORDER BY c.index SKIP $skip LIMIT $limit""",
                params("analysis", analysis, "kind", kind, "skip", skip, "limit", limit)), "c");
    }

    public long communityCount(String analysis, String kind) {
        return ((Number) query("MATCH (c:Community {analysis: $analysis, kind: $kind}) RETURN count(c) AS n",
                params("analysis", analysis, "kind", kind)).get(0).get("n")).longValue();
    }

    /** A community of a complete analysis, or null. */
    public Map<String, Object> community(String id) {
        List<Map<String, Object>> rows = column(query("""
                MATCH (c:Community {id: $id})
                WHERE EXISTS { MATCH (a:Analysis {id: c.analysis, status: $complete}) }
                RETURN c {.*} AS c""", params("id", id, "complete", Vocabulary.STATUS_COMPLETE)), "c");
        return rows.isEmpty() ? null : rows.get(0);
    }

    public List<Map<String, Object>> members(String community, int limit) {
        return column(query("""
                MATCH (f:Feature)-[:MEMBER_OF]->(:Community {id: $id})
                RETURN f {.*} AS f ORDER BY f.index LIMIT $limit""", params("id", community, "limit", limit)), "f");
    }

    /** The communities of complete analyses a feature belongs to. */
    public List<Map<String, Object>> communitiesOf(String featureId, String run) {
        return column(query("""
                MATCH (:Feature {id: $id})-[:MEMBER_OF]->(c:Community)
                WHERE ($run IS NULL OR c.run = $run)
                  AND EXISTS { MATCH (a:Analysis {id: c.analysis, status: $complete}) }
                RETURN c {.*} AS c ORDER BY c.run, c.kind, c.id""", params("id", featureId, "run", run,
                "complete", Vocabulary.STATUS_COMPLETE)), "c");
    }

    /** Edges of one run among a set of features: rows a, b, edge. */
    public List<Map<String, Object>> edgesAmong(java.util.Collection<String> ids, String run) {
        return query("""
                MATCH (a:Feature)-[e {run: $run}]->(b:Feature)
                WHERE a.id IN $ids AND b.id IN $ids
                RETURN a.id AS a, b.id AS b, type(e) AS type, e {.*} AS edge ORDER BY a, b""",
                params("ids", List.copyOf(ids), "run", run));
    }

    public List<Map<String, Object>> comparisons(String run) {
        return column(query("""
                MATCH (c:Comparison) WHERE $run IS NULL OR c.runA = $run OR c.runB = $run
                RETURN c {.*} AS c ORDER BY c.createdAt DESC, c.id""", params("run", run)), "c");
    }

    /** A shortest path of one run's edges; rows: {@code ids} (node ids in order) and {@code edges}. */
    public Map<String, Object> shortestPath(String from, String to, String relationship, String run, int maxHops) {
        return shortestPath(from, to, relationship, run, maxHops, List.of());
    }

    /** As above, along edges that pass {@code attributes} only. */
    public Map<String, Object> shortestPath(String from, String to, String relationship, String run, int maxHops,
                                            List<AttributeFilter> attributes) {
        List<Map<String, Object>> rows = query("""
                MATCH (a:Feature {id: $from}), (b:Feature {id: $to})
                MATCH p = shortestPath((a)-[:%s*1..%d]-(b))
                WHERE all(r IN relationships(p) WHERE r.run = $run AND %s)
                RETURN [n IN nodes(p) | n.id] AS ids,
                       [r IN relationships(p) | r {.*, a: startNode(r).id, b: endNode(r).id}] AS edges
                LIMIT 1""".formatted(relationship, maxHops, AttributeFilter.cypher("r")), params("from", from,
                "to", to, "run", run, "attrs", AttributeFilter.parameters(attributes)));
        return rows.isEmpty() ? null : rows.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<Map<String, Object>>> grouped(List<Map<String, Object>> rows) {
        Map<String, List<Map<String, Object>>> out = new HashMap<>();
        for (Map<String, Object> r : rows) {
            out.put((String) r.get("id"), (List<Map<String, Object>>) r.get("items"));
        }
        return out;
    }

    private static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            m.put((String) kv[k], kv[k + 1]);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> column(List<Map<String, Object>> rows, String key) {
        return rows.stream().map(r -> (Map<String, Object>) r.get(key)).toList();
    }

    private static Map<String, Object> first(List<Map<String, Object>> rows) {
        return rows.isEmpty() ? null : rows.get(0);
    }
}
