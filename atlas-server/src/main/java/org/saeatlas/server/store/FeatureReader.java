package org.saeatlas.server.store;

import static org.saeatlas.server.store.ReadStatements.params;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.saeatlas.schema.Vocabulary;

/**
 * Features, their explanations and examples (through the Core API on the in-process database: the hot reads of a
 * feature page), and features explained alike (the vector index).
 */
public final class FeatureReader {

    /** The fewest hits {@link #similar} asks the vector index for (its recall falls for small k). */
    static final int SIMILAR_CANDIDATES = 100;

    private final ReadStatements db;

    public FeatureReader(ReadStatements db) {
        this.db = db;
    }

    /** A feature, or null. */
    public Feature feature(String id) {
        if (db.coreReads()) {
            return Feature.of(db.viaCore(c -> c.feature(id)));
        }
        return db.column("MATCH (f:Feature {id: $id}) RETURN f {.*} AS f", params("id", id), "f").stream()
                .map(Feature::of).findFirst().orElse(null);
    }

    /** A page of an SAE's features in index order. */
    public List<Feature> features(String sae, long skip, int limit) {
        return db.column("""
                MATCH (f:Feature {sae: $sae}) RETURN f {.*} AS f ORDER BY f.index SKIP $skip LIMIT $limit""",
                params("sae", sae, "skip", skip, "limit", limit), "f").stream().map(Feature::of).toList();
    }

    public long featureCount(String sae) {
        return db.count("MATCH (f:Feature {sae: $sae}) RETURN count(f) AS n", params("sae", sae));
    }

    /** Features by id, in one round trip; unknown ids are left out. */
    public Map<String, Feature> featuresById(Collection<String> ids) {
        List<Map<String, Object>> found = db.coreReads()
                ? List.copyOf(db.viaCore(c -> c.featuresById(ids)).values())
                : db.column("MATCH (f:Feature) WHERE f.id IN $ids RETURN f {.*} AS f",
                        params("ids", List.copyOf(ids)), "f");
        return byId(found);
    }

    /**
     * Features by id, in one round trip, looked up by the element id a run projection remembers for each (no index
     * seek) when it is still that feature's node, and by the id index otherwise.
     */
    public Map<String, Feature> featuresById(Collection<String> ids, Function<String, String> elementIds) {
        List<List<String>> known = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
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
        Map<String, Feature> out = byId(db.coreReads()
                ? List.copyOf(db.viaCore(c -> c.featuresByElementId(known)).values())
                : db.column("""
                        UNWIND $rows AS row
                        // no label in the pattern: the planner then seeks by element id instead of the id index
                        MATCH (f) WHERE elementId(f) = row[1] AND f.id = row[0] AND 'Feature' IN labels(f)
                        RETURN f {.*} AS f""", params("rows", known), "f"));
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

    private static Map<String, Feature> byId(Collection<Map<String, Object>> rows) {
        Map<String, Feature> out = new HashMap<>();
        for (Map<String, Object> row : rows) {
            Feature f = Feature.of(row);
            out.put(f.id(), f);
        }
        return out;
    }

    /** Explanations of many features by explanation id, in one round trip; features without any are left out. */
    public Map<String, List<Explanation>> explanationsByFeature(Collection<String> ids) {
        Map<String, List<Map<String, Object>>> found = db.coreReads()
                ? db.viaCore(c -> c.explanationsByFeature(ids))
                : grouped(db.query("""
                        UNWIND $ids AS id
                        MATCH (x:Explanation)-[:EXPLAINS]->(:Feature {id: id})
                        WITH id, x ORDER BY x.id
                        RETURN id, collect(x {.*}) AS items""", params("ids", List.copyOf(ids))));
        return typed(found, Explanation::of);
    }

    /** The top {@code limit} examples of many features by rank, in one round trip; features without any left out. */
    public Map<String, List<Example>> examplesByFeature(Collection<String> ids, int limit) {
        Map<String, List<Map<String, Object>>> found = db.coreReads()
                ? db.viaCore(c -> c.examplesByFeature(ids, limit))
                : grouped(db.query("""
                        UNWIND $ids AS id
                        MATCH (x:Example)-[:EXAMPLE_OF]->(:Feature {id: id})
                        WITH id, x ORDER BY x.rank
                        RETURN id, collect(x {.*})[..$limit] AS items""",
                        params("ids", List.copyOf(ids), "limit", limit)));
        return typed(found, Example::of);
    }

    private static <T> Map<String, List<T>> typed(Map<String, List<Map<String, Object>>> found,
                                                  Function<Map<String, Object>, T> of) {
        Map<String, List<T>> out = new HashMap<>();
        found.forEach((id, items) -> out.put(id, items.stream().map(of).toList()));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, List<Map<String, Object>>> grouped(List<Map<String, Object>> rows) {
        Map<String, List<Map<String, Object>>> out = new HashMap<>();
        for (Map<String, Object> r : rows) {
            out.put((String) r.get("id"), (List<Map<String, Object>>) r.get("items"));
        }
        return out;
    }

    /**
     * Features whose explanations are nearest to this feature's headline explanation by embedding, best first.
     * Empty when there is no embedding or no vector index.
     *
     * <p>The vector search is approximate (HNSW: the fewer neighbours asked for, the fewer it explores) and its hits
     * include the feature's own explanations, several explanations of one feature and, with {@code sameSae}, other
     * SAEs: it is asked for at least {@link #SIMILAR_CANDIDATES} hits, filtered, then cut to {@code limit}; when fewer
     * than {@code limit} features remain, asked again for four times as many, up to every explanation.
     */
    public List<SimilarFeature> similar(String featureId, int limit, boolean sameSae) {
        if (db.query("SHOW VECTOR INDEXES YIELD name WHERE name = $name RETURN name",
                params("name", Vocabulary.VECTOR_EXPLANATIONS)).isEmpty()) {
            return List.of();
        }
        long k = Math.max(SIMILAR_CANDIDATES, (limit + 1L) * (sameSae ? 8 : 2));
        long explanations = -1;
        while (true) {
            List<Map<String, Object>> rows = db.query("""
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
            if (rows.size() >= limit || k >= (explanations < 0 ? explanations = explanationCount() : explanations)) {
                // enough, or every explanation was a candidate: there are no more
                return rows.stream().map(FeatureReader::similarOf).toList();
            }
            k = Math.min(explanations, k * 4);
        }
    }

    /** Explanations in the atlas, from the count store (no scan). */
    private long explanationCount() {
        return db.count("MATCH (x:Explanation) RETURN count(x) AS n", Map.of());
    }

    @SuppressWarnings("unchecked")
    private static SimilarFeature similarOf(Map<String, Object> row) {
        return new SimilarFeature(Feature.of((Map<String, Object>) row.get("feature")),
                Explanation.of((Map<String, Object>) row.get("explanation")),
                ((Number) row.get("similarity")).doubleValue());
    }
}
