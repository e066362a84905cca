package org.saeatlas.ingest.analytics;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
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
    public static void run(Driver driver, PrintStream out, DemoAtlas atlas, String demoKey) {
        run(driver, out, atlas, demoKey, new MatchLoader(driver, out));
    }

    /** As above, matching with {@code matcher} (e.g. one whose decoder cosine runs on DJL). */
    public static void run(Driver driver, PrintStream out, DemoAtlas atlas, String demoKey, MatchLoader matcher) {
        List<DemoAtlas.Sae> saes = atlas.saes();
        matcher.load(side(saes.get(0)), side(saes.get(1)), MatchParameters.defaults());
        Statements db = new Statements(driver);
        List<Record> runs = db.read("""
                MATCH (r:Run {demo: $key, status: $complete}) WHERE r.kind IN $kinds
                RETURN r.id AS id, r.sae AS sae, r.kind AS kind ORDER BY r.kind, r.sae""",
                Map.of("key", demoKey, "complete", Vocabulary.STATUS_COMPLETE,
                        "kinds", List.of(Vocabulary.KIND_COACTIVATION, Vocabulary.KIND_DEPENDENCE)));
        RunAnalysis analysis = new RunAnalysis(driver, out);
        for (Record r : runs) {
            RunAnalysis.Result a = analysis.analyse(r.get("id").asString(), AnalysisParameters.defaults());
            out.printf(java.util.Locale.ROOT, "  %s %s: %,d components, %,d communities, modularity %.3f%n",
                    r.get("kind").asString(), r.get("sae").asString(), a.components(), a.communities(),
                    a.modularity());
        }
        List<Record> co = runs.stream().filter(r -> r.get("kind").asString().equals(Vocabulary.KIND_COACTIVATION))
                .toList();
        if (co.size() == 2) {
            // weak evidence, stored apart (kind structural_match): seed stability and the comparison ignore it
            new MatchLoader(driver, out).loadStructural(co.get(0).get("id").asString(), co.get(1).get("id").asString(),
                    MatchParameters.defaults());
            RunComparison comparison = new RunComparison(driver, out);
            comparison.print(comparison.compare(co.get(0).get("id").asString(), co.get(1).get("id").asString(), null,
                    ComparisonParameters.defaults()));
        }
    }

    static MatchLoader.Side side(DemoAtlas.Sae sae) {
        return new MatchLoader.Side(sae.id(), sae.width(), sae.decoder(), sae.dIn(), sae.activations());
    }
}
