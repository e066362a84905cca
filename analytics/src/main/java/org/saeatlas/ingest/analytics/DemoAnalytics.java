package org.saeatlas.ingest.analytics;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.CypherRow;
import org.saeatlas.compute.comparison.ComparisonParameters;
import org.saeatlas.compute.demo.DemoAtlas;
import org.saeatlas.compute.matching.MatchParameters;
import org.saeatlas.schema.Vocabulary;

/**
 * The analytics of the demo atlas, after its SAEs are loaded: matches between the two seeds (decoder cosine and
 * activation correlation), communities of every co-activation and dependence run, matches by neighbourhood
 * structure between the two co-activation graphs, and the comparison of the two seeds' co-activation graphs. Everything is idempotent, so a reload changes nothing.
 */
public final class DemoAnalytics {

    private DemoAnalytics() {
    }

    /** {@code demoKey}: the {@code demo} tag of the demo's runs. */
    public static void run(CypherExecutor db, PrintStream out, DemoAtlas atlas, String demoKey) {
        run(db, out, atlas, demoKey, new MatchLoader(db, out));
    }

    /** As above, matching with {@code matcher} (e.g. one whose decoder cosine runs on DJL). */
    public static void run(CypherExecutor db, PrintStream out, DemoAtlas atlas, String demoKey, MatchLoader matcher) {
        List<DemoAtlas.Sae> saes = atlas.saes();
        matcher.load(side(saes.get(0)), side(saes.get(1)), MatchParameters.defaults());
        List<CypherRow> runs = CypherRow.of(db.read("""
                MATCH (r:Run {demo: $key, status: $complete}) WHERE r.kind IN $kinds
                RETURN r.id AS id, r.sae AS sae, r.kind AS kind ORDER BY r.kind, r.sae""",
                Map.of("key", demoKey, "complete", Vocabulary.STATUS_COMPLETE,
                        "kinds", List.of(Vocabulary.KIND_COACTIVATION, Vocabulary.KIND_DEPENDENCE))));
        RunAnalysis analysis = new RunAnalysis(db, out);
        for (CypherRow r : runs) {
            RunAnalysis.Result a = analysis.analyse(r.string("id"), AnalysisParameters.defaults());
            out.printf(java.util.Locale.ROOT, "  %s %s: %,d components, %,d communities, modularity %.3f%n",
                    r.string("kind"), r.string("sae"), a.components(), a.communities(),
                    a.modularity());
        }
        List<CypherRow> co = runs.stream().filter(r -> r.string("kind").equals(Vocabulary.KIND_COACTIVATION))
                .toList();
        if (co.size() == 2) {
            // weak evidence, stored apart (kind structural_match): seed stability and the comparison ignore it
            new MatchLoader(db, out).loadStructural(co.get(0).string("id"), co.get(1).string("id"),
                    MatchParameters.defaults());
            RunComparison comparison = new RunComparison(db, out);
            comparison.print(comparison.compare(co.get(0).string("id"), co.get(1).string("id"), null,
                    ComparisonParameters.defaults()));
        }
    }

    static MatchLoader.Side side(DemoAtlas.Sae sae) {
        return new MatchLoader.Side(sae.id(), sae.width(), sae.decoder(), sae.dIn(), sae.activations());
    }
}
