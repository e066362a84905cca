package org.saeatlas.server.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;
import org.saeatlas.compute.AtlasException;
import org.saeatlas.schema.Vocabulary;

/**
 * Every read the server does: parameterised Cypher in read-only sessions with a timeout. Results are plain maps
 * (node properties plus computed keys) that GraphQL's property fetchers read. The server never writes.
 */
public final class AtlasReader {

    private static final SessionConfig READ = SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build();

    private final Driver driver;
    private final TransactionConfig tx;

    public AtlasReader(Driver driver, java.time.Duration timeout) {
        this.driver = driver;
        this.tx = TransactionConfig.builder().withTimeout(timeout).build();
    }

    public List<Map<String, Object>> query(String cypher, Map<String, Object> params) {
        try (Session session = driver.session(READ)) {
            return session.executeRead(t -> t.run(cypher, params).list(Record::asMap), tx);
        } catch (ServiceUnavailableException | SessionExpiredException e) {
            throw new AtlasException("the atlas database is unavailable right now (" + e.getMessage()
                    + "); retry shortly");
        } catch (ClientException e) {
            throw new AtlasException(e.getMessage());
        }
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

    public Map<String, Object> model(String id) {
        return first(column(query("MATCH (m:Model {id: $id}) RETURN m {.*} AS m", params("id", id)), "m"));
    }

    public List<Map<String, Object>> runs(String sae) {
        return column(query("""
                MATCH (r:Run {status: $complete}) WHERE $sae IS NULL OR r.sae = $sae
                RETURN r {.*} AS r ORDER BY r.sae, r.kind, r.completedAt DESC""",
                params("sae", sae, "complete", Vocabulary.STATUS_COMPLETE)), "r");
    }

    public Map<String, Object> run(String id) {
        return first(column(query("MATCH (r:Run {id: $id, status: $complete}) RETURN r {.*} AS r",
                params("id", id, "complete", Vocabulary.STATUS_COMPLETE)), "r"));
    }

    public Map<String, Object> feature(String id) {
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

    public List<Map<String, Object>> explanations(String featureId) {
        return column(query("""
                MATCH (x:Explanation)-[:EXPLAINS]->(:Feature {id: $id})
                RETURN x {.*} AS x ORDER BY x.id""", params("id", featureId)), "x");
    }

    public List<Map<String, Object>> examples(String featureId, int limit) {
        return column(query("""
                MATCH (x:Example)-[:EXAMPLE_OF]->(:Feature {id: $id})
                RETURN x {.*} AS x ORDER BY x.rank LIMIT $limit""", params("id", featureId, "limit", limit)), "x");
    }

    /**
     * Neighbours of a feature along one relationship type, in one run: the given run or the newest complete run of
     * that kind on the feature's SAE. Rows: {@code feature} (map) and {@code edge} (map, with {@code run}).
     */
    public List<Map<String, Object>> neighbours(String featureId, String sae, String relationship, String runKind,
                                                String run, Integer minReplicates, Boolean stableOnly,
                                                String sign, int limit) {
        String cypher = """
                CALL {
                  MATCH (r:Run {sae: $sae, kind: $kind, status: $complete})
                  WHERE $run IS NULL OR r.id = $run
                  RETURN r.id AS runId ORDER BY r.completedAt DESC LIMIT 1
                }
                MATCH (f:Feature {id: $id})-[e:%s {run: runId}]-(g:Feature)
                WHERE ($minReplicates IS NULL OR e.replicates >= $minReplicates)
                  AND (NOT coalesce($stableOnly, false) OR e.stable = true)
                  AND ($sign IS NULL OR ($sign = 'POSITIVE' AND e.weight > 0) OR ($sign = 'NEGATIVE' AND e.weight < 0))
                RETURN g {.*} AS feature, e {.*} AS edge
                ORDER BY abs(e.weight) DESC, g.index LIMIT $limit""".formatted(relationship);
        return query(cypher, params("id", featureId, "sae", sae, "kind", runKind, "complete",
                Vocabulary.STATUS_COMPLETE, "run", run, "minReplicates", minReplicates, "stableOnly", stableOnly,
                "sign", sign, "limit", limit));
    }

    /** Full-text hits over explanations, after filters, paged. Rows: explanation, feature, score. */
    public List<Map<String, Object>> search(String text, List<String> models, List<String> saes, List<Long> layers,
                                            long skip, int limit) {
        try {
            return searchQuery(text, models, saes, layers, skip, limit);
        } catch (AtlasException e) {
            if (e.getMessage() != null && e.getMessage().contains("ParseException")) {
                String detail = e.getMessage().replaceAll("(?s).*ParseException:\\s*", "").lines().findFirst().orElse("");
                throw new AtlasException("search: cannot parse '" + text + "' as a query (" + detail + "). Words,"
                        + " \"a phrase\", prefix*, fuzzy~ and AND/OR/NOT work; escape other special characters"
                        + " with a backslash");
            }
            throw e;
        }
    }

    private List<Map<String, Object>> searchQuery(String text, List<String> models, List<String> saes,
                                                  List<Long> layers, long skip, int limit) {
        return query("""
                CALL db.index.fulltext.queryNodes($index, $text) YIELD node, score
                WHERE ($models IS NULL OR node.model IN $models) AND ($saes IS NULL OR node.sae IN $saes)
                  AND ($layers IS NULL OR node.layer IN $layers)
                MATCH (node)-[:EXPLAINS]->(f:Feature)
                RETURN node {.*} AS explanation, f {.*} AS feature, score
                ORDER BY score DESC, node.id SKIP $skip LIMIT $limit""", params("index",
                Vocabulary.FULLTEXT_EXPLANATIONS, "text", text, "models", models, "saes", saes, "layers", layers,
                "skip", skip, "limit", limit));
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
