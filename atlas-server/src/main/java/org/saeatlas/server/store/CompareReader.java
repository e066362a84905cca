package org.saeatlas.server.store;

import static org.saeatlas.server.store.ReadStatements.params;

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
    public record SideBySide(String of, String a, String b, Sae saeA, Sae saeB, Run runA, Run runB) { }

    /** A one-to-one match: the feature of SAE A, its partner in SAE B, the score, how it was made and its rank. */
    public record MatchPair(Feature a, Feature b, double score, String method, Long rank) { }

    /** A page of matches of one run ({@code run} null when none), with the run's total. */
    public record Page(String run, List<MatchPair> pairs, long total) { }

    private final ReadStatements db;
    private final CatalogueReader catalogue;
    private final RunReader runs;

    public CompareReader(ReadStatements db, CatalogueReader catalogue, RunReader runs) {
        this.db = db;
        this.catalogue = catalogue;
        this.runs = runs;
    }

    /** Resolves the two ids: both SAEs or both complete runs; anything else is an error saying which id is what. */
    public SideBySide resolve(String a, String b) {
        Sae saeA = catalogue.sae(a);
        Sae saeB = catalogue.sae(b);
        if (saeA != null && saeB != null) {
            return new SideBySide("SAE", a, b, saeA, saeB, null, null);
        }
        Run runA = saeA == null ? runs.run(a) : null;
        Run runB = saeB == null ? runs.run(b) : null;
        if (runA != null && runB != null) {
            return new SideBySide("RUN", a, b, catalogue.sae(runA.sae()), catalogue.sae(runB.sae()), runA, runB);
        }
        throw new AtlasException("compare: expected two SAE ids or two complete run ids, found "
                + what(a, saeA != null, runA != null) + " and " + what(b, saeB != null, runB != null));
    }

    private static String what(String id, boolean sae, boolean run) {
        return "'" + id + "' (" + (sae ? "an SAE" : run ? "a run" : "not in the atlas") + ")";
    }

    /** Complete match runs joining the two SAEs: confident (kind match) before structural, newest first. */
    public List<Run> matchRuns(SideBySide s) {
        return db.column("""
                MATCH (r:Run {status: $complete}) WHERE r.kind IN $kinds AND $a IN r.saes AND $b IN r.saes
                RETURN r {.*} AS r ORDER BY CASE r.kind WHEN $match THEN 0 ELSE 1 END, r.completedAt DESC, r.id""",
                params("complete", Vocabulary.STATUS_COMPLETE, "a", s.saeA().id(), "b", s.saeB().id(),
                        "kinds", List.of(Vocabulary.KIND_MATCH, Vocabulary.KIND_STRUCTURAL_MATCH),
                        "match", Vocabulary.KIND_MATCH), "r").stream().map(Run::of).toList();
    }

    /** Comparisons of the two runs, or of any run of A with any run of B; newest first. */
    public List<Comparison> comparisons(SideBySide s) {
        String statement = "RUN".equals(s.of()) ? """
                MATCH (c:Comparison) WHERE (c.runA = $a AND c.runB = $b) OR (c.runA = $b AND c.runB = $a)
                RETURN c {.*} AS c ORDER BY c.createdAt DESC, c.id""" : """
                MATCH (c:Comparison), (ra:Run {id: c.runA}), (rb:Run {id: c.runB})
                WHERE (ra.sae = $a AND rb.sae = $b) OR (ra.sae = $b AND rb.sae = $a)
                RETURN c {.*} AS c ORDER BY c.createdAt DESC, c.id""";
        return db.column(statement, params("a", s.a(), "b", s.b()), "c").stream().map(Comparison::of).toList();
    }

    /**
     * One page of the one-to-one matches of a match run between the two SAEs (the given one, or the first of
     * {@link #matchRuns}), oriented from SAE A to SAE B, best score first; no run when no match run joins them.
     */
    @SuppressWarnings("unchecked")
    public Page matches(SideBySide s, String run, long skip, int limit) {
        Run chosen = null;
        for (Run r : matchRuns(s)) {
            if (run == null || run.equals(r.id())) {
                chosen = r;
                break;
            }
        }
        if (chosen == null) {
            if (run != null) {
                throw new AtlasException("compare.matches(run): '" + run + "' is not a complete match run between "
                        + s.saeA().id() + " and " + s.saeB().id());
            }
            return new Page(null, List.of(), 0);
        }
        String runId = chosen.id();
        List<MatchPair> pairs = new ArrayList<>();
        for (Map<String, Object> row : db.query("""
                MATCH (x:Feature)-[e:MATCHES {run: $run}]->(y:Feature) WHERE e.method ENDS WITH '/assignment'
                WITH CASE WHEN x.sae = $saeA THEN x ELSE y END AS a, CASE WHEN x.sae = $saeA THEN y ELSE x END AS b, e
                RETURN a {.*} AS a, b {.*} AS b, e.score AS score, e.method AS method, e.rank AS rank
                ORDER BY e.score DESC, a.index SKIP $skip LIMIT $limit""",
                params("run", runId, "saeA", s.saeA().id(), "skip", skip, "limit", limit))) {
            pairs.add(new MatchPair(Feature.of((Map<String, Object>) row.get("a")),
                    Feature.of((Map<String, Object>) row.get("b")), ((Number) row.get("score")).doubleValue(),
                    (String) row.get("method"), Props.lng(row, "rank")));
        }
        long total = db.count("""
                MATCH ()-[e:MATCHES {run: $run}]->() WHERE e.method ENDS WITH '/assignment' RETURN count(e) AS n""",
                params("run", runId));
        return new Page(runId, pairs, total);
    }
}
