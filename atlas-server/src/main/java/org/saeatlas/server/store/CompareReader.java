package org.saeatlas.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.schema.Vocabulary;

/**
 * Two SAEs or two runs side by side, for the compare page: what the two ids name, the match runs between the SAEs,
 * the comparisons of their runs, and the one-to-one matched feature pairs with both features.
 */
public final class CompareReader {

    /** What a and b name: both SAEs or both runs; the runs are null for SAEs. */
    public record SideBySide(String of, String a, String b, Map<String, Object> saeA, Map<String, Object> saeB,
                             Map<String, Object> runA, Map<String, Object> runB) { }

    /** A one-to-one match: the feature of SAE A, its partner in SAE B, the score, how it was made and its rank. */
    public record MatchPair(Map<String, Object> a, Map<String, Object> b, double score, String method, Long rank) { }

    private final AtlasReader reader;

    public CompareReader(AtlasReader reader) {
        this.reader = reader;
    }

    /** Resolves the two ids: both SAEs or both complete runs; anything else is an error saying which id is what. */
    public SideBySide resolve(String a, String b) {
        Map<String, Object> saeA = reader.sae(a);
        Map<String, Object> saeB = reader.sae(b);
        if (saeA != null && saeB != null) {
            return new SideBySide("SAE", a, b, saeA, saeB, null, null);
        }
        Map<String, Object> runA = saeA == null ? reader.run(a) : null;
        Map<String, Object> runB = saeB == null ? reader.run(b) : null;
        if (runA != null && runB != null) {
            return new SideBySide("RUN", a, b, reader.sae((String) runA.get("sae")), reader.sae((String) runB.get("sae")),
                    runA, runB);
        }
        throw new AtlasException("compare: expected two SAE ids or two complete run ids, found " + what(a, saeA, runA)
                + " and " + what(b, saeB, runB));
    }

    private static String what(String id, Map<String, Object> sae, Map<String, Object> run) {
        return "'" + id + "' (" + (sae != null ? "an SAE" : run != null ? "a run" : "not in the atlas") + ")";
    }

    /** Complete match runs joining the two SAEs: confident (kind match) before structural, newest first. */
    public List<Map<String, Object>> matchRuns(SideBySide s) {
        return column(reader.query("""
                MATCH (r:Run {status: $complete}) WHERE r.kind IN $kinds AND $a IN r.saes AND $b IN r.saes
                RETURN r {.*} AS r ORDER BY CASE r.kind WHEN $match THEN 0 ELSE 1 END, r.completedAt DESC, r.id""",
                Map.of("complete", Vocabulary.STATUS_COMPLETE, "a", s.saeA().get("id"), "b", s.saeB().get("id"),
                        "kinds", List.of(Vocabulary.KIND_MATCH, Vocabulary.KIND_STRUCTURAL_MATCH),
                        "match", Vocabulary.KIND_MATCH)));
    }

    /** Comparisons of the two runs, or of any run of A with any run of B; newest first. */
    public List<Map<String, Object>> comparisons(SideBySide s) {
        if ("RUN".equals(s.of())) {
            return column(reader.query("""
                    MATCH (c:Comparison) WHERE (c.runA = $a AND c.runB = $b) OR (c.runA = $b AND c.runB = $a)
                    RETURN c {.*} AS c ORDER BY c.createdAt DESC, c.id""", Map.of("a", s.a(), "b", s.b())));
        }
        return column(reader.query("""
                MATCH (c:Comparison), (ra:Run {id: c.runA}), (rb:Run {id: c.runB})
                WHERE (ra.sae = $a AND rb.sae = $b) OR (ra.sae = $b AND rb.sae = $a)
                RETURN c {.*} AS c ORDER BY c.createdAt DESC, c.id""", Map.of("a", s.a(), "b", s.b())));
    }

    /**
     * One page of the one-to-one matches of a match run between the two SAEs (the given one, or the first of
     * {@link #matchRuns}), oriented from SAE A to SAE B, best score first; null when no match run joins them.
     */
    public Page matches(SideBySide s, String run, long skip, int limit) {
        Map<String, Object> chosen = null;
        for (Map<String, Object> r : matchRuns(s)) {
            if (run == null || run.equals(r.get("id"))) {
                chosen = r;
                break;
            }
        }
        if (chosen == null) {
            if (run != null) {
                throw new AtlasException("compare.matches(run): '" + run + "' is not a complete match run between "
                        + s.saeA().get("id") + " and " + s.saeB().get("id"));
            }
            return new Page(null, List.of(), 0);
        }
        String runId = (String) chosen.get("id");
        Map<String, Object> params = Map.of("run", runId, "saeA", s.saeA().get("id"), "skip", skip, "limit", limit);
        List<MatchPair> pairs = new ArrayList<>();
        for (Map<String, Object> row : reader.query("""
                MATCH (x:Feature)-[e:MATCHES {run: $run}]->(y:Feature) WHERE e.method ENDS WITH '/assignment'
                WITH CASE WHEN x.sae = $saeA THEN x ELSE y END AS a, CASE WHEN x.sae = $saeA THEN y ELSE x END AS b, e
                RETURN a {.*} AS a, b {.*} AS b, e.score AS score, e.method AS method, e.rank AS rank
                ORDER BY e.score DESC, a.index SKIP $skip LIMIT $limit""", params)) {
            pairs.add(pair(row));
        }
        long total = ((Number) reader.query("""
                MATCH ()-[e:MATCHES {run: $run}]->() WHERE e.method ENDS WITH '/assignment' RETURN count(e) AS n""",
                Map.of("run", runId)).get(0).get("n")).longValue();
        return new Page(runId, pairs, total);
    }

    /** A page of matches of one run ({@code run} null when none), with the run's total. */
    public record Page(String run, List<MatchPair> pairs, long total) { }

    @SuppressWarnings("unchecked")
    private static MatchPair pair(Map<String, Object> row) {
        Object rank = row.get("rank");
        return new MatchPair((Map<String, Object>) row.get("a"), (Map<String, Object>) row.get("b"),
                ((Number) row.get("score")).doubleValue(), (String) row.get("method"),
                rank == null ? null : ((Number) rank).longValue());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> column(List<Map<String, Object>> rows) {
        return rows.stream().map(r -> (Map<String, Object>) r.values().iterator().next()).toList();
    }
}
