package org.saeatlas.server.store;

import static org.saeatlas.server.store.ReadStatements.params;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.schema.Vocabulary;

/**
 * Search over explanations: BM25 from the server's own index of the explanations when it is built for what Neo4j
 * holds ({@link ExplanationIndex}), else from Neo4j's full-text index; and the hybrid ranking that fuses it with
 * the vector index.
 */
public final class SearchReader {

    static final int HYBRID_DEPTH = 200;
    static final int RRF_K = 60;

    private final ReadStatements db;
    private final ExplanationIndex index;

    /** {@code index}: searched whenever it is built for what Neo4j holds (null: never). */
    public SearchReader(ReadStatements db, ExplanationIndex index) {
        this.db = db;
        this.index = index;
    }

    /** Full-text hits over explanations, after filters, paged: by BM25 score, then explanation id. */
    public List<SearchHit> search(String text, List<String> models, List<String> saes, List<Long> layers, long skip,
                                  int limit) {
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

    /**
     * Hybrid ranking: BM25 hits fused by reciprocal rank fusion ({@code 1/(60 + rank)} summed over the two lists)
     * with the nearest explanations (vector index) to the centroid embedding of the top 5 text hits. Filters apply
     * to both lists. Falls back to the text ranking when there are no embeddings.
     */
    @SuppressWarnings("unchecked")
    public List<SearchHit> searchHybrid(String text, List<String> models, List<String> saes, List<Long> layers,
                                        long skip, int limit) {
        List<SearchHit> textHits = search(text, models, saes, layers, 0, HYBRID_DEPTH);
        List<SearchHit> vectorHits = db.query("""
                SHOW VECTOR INDEXES YIELD name WHERE name = $index RETURN name""", params("index",
                Vocabulary.VECTOR_EXPLANATIONS)).isEmpty() || textHits.isEmpty() ? List.of() : db.query("""
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
                .map(h -> h.explanation().id()).toList(), "index", Vocabulary.VECTOR_EXPLANATIONS, "depth",
                HYBRID_DEPTH, "models", models, "saes", saes, "layers", layers)).stream()
                .map(r -> new SearchHit(Explanation.of((Map<String, Object>) r.get("explanation")),
                        Feature.of((Map<String, Object>) r.get("feature")), ((Number) r.get("score")).doubleValue()))
                .toList();
        Map<String, SearchHit> byId = new LinkedHashMap<>();
        Map<String, Double> fused = new HashMap<>();
        for (List<SearchHit> ranking : List.of(textHits, vectorHits)) {
            for (int rank = 0; rank < ranking.size(); rank++) {
                SearchHit hit = ranking.get(rank);
                String id = hit.explanation().id();
                byId.putIfAbsent(id, hit);
                fused.merge(id, 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        return byId.keySet().stream()
                .sorted((a, b) -> fused.get(a).equals(fused.get(b)) ? String.valueOf(a).compareTo(String.valueOf(b))
                        : Double.compare(fused.get(b), fused.get(a)))
                .skip(skip).limit(limit)
                .map(id -> new SearchHit(byId.get(id).explanation(), byId.get(id).feature(), fused.get(id)))
                .toList();
    }

    /**
     * Hits ranked by BM25 score, then explanation id. From the server's own index of the explanations when it is built
     * for what Neo4j holds now (one round trip for the signature, the page ranked in Lucene, one round trip for the
     * page's explanations and features); otherwise from Neo4j's full-text index, which reads every hit to order them.
     */
    @SuppressWarnings("unchecked")
    private List<SearchHit> searchQuery(String text, List<String> models, List<String> saes, List<Long> layers,
                                        long skip, int limit) {
        if (index != null && index.enabled()) {
            List<ExplanationIndex.Hit> hits = index.search(explanationSignature(), text, models, saes, layers, skip,
                    limit);
            if (hits != null) {
                return hitRows(hits);
            }
        }
        return db.query("""
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
                "skip", skip, "limit", limit)).stream()
                .map(r -> new SearchHit(Explanation.of((Map<String, Object>) r.get("explanation")),
                        Feature.of((Map<String, Object>) r.get("feature")), ((Number) r.get("score")).doubleValue()))
                .toList();
    }

    /** Which explanations Neo4j holds now, as {@link ExplanationIndex} compares them (one cheap round trip). */
    ExplanationIndex.Signature explanationSignature() {
        return ExplanationIndex.signatureOf(db.query(ExplanationIndex.SIGNATURE,
                params("state", Vocabulary.ATLAS_STATE)).get(0));
    }

    /** The explanations and features of ranked hits, in their order, in one round trip. */
    @SuppressWarnings("unchecked")
    private List<SearchHit> hitRows(List<ExplanationIndex.Hit> hits) {
        if (hits.isEmpty()) {
            return List.of();
        }
        Map<Object, Map<String, Object>> byId = new HashMap<>();
        for (Map<String, Object> row : db.query("""
                UNWIND $ids AS id
                MATCH (x:Explanation {id: id})-[:EXPLAINS]->(f:Feature)
                RETURN id, x {.*} AS explanation, f {.*} AS feature""", params("ids",
                hits.stream().map(ExplanationIndex.Hit::id).toList()))) {
            byId.put(row.get("id"), row);
        }
        List<SearchHit> out = new ArrayList<>();
        for (ExplanationIndex.Hit h : hits) {
            Map<String, Object> row = byId.get(h.id());
            if (row != null) {
                out.add(new SearchHit(Explanation.of((Map<String, Object>) row.get("explanation")),
                        Feature.of((Map<String, Object>) row.get("feature")), h.score()));
            }
        }
        return out;
    }
}
