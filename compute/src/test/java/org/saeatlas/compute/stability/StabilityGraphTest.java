package org.saeatlas.compute.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.lasso.Criterion;
import org.saeatlas.compute.lasso.NodewiseLasso;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;

class StabilityGraphTest {
    private static final SparseActivations SMALL =
            PlantedGraph.generate(PlantedSpec.standard(200, 6000, 3)).activations();

    @Test
    void sameSeedSameEdgesAtAnyThreadCount() {
        StabilityParameters p = StabilityParameters.defaults().withResamples(6);
        StabilityResult one = StabilityGraph.run(SMALL, p.withThreads(1), Progress.NONE);
        StabilityResult three = StabilityGraph.run(SMALL, p.withThreads(3), Progress.NONE);
        assertTrue(one.edges().size() > 20);
        assertEquals(one.edges(), three.edges());
        assertEquals(one.fdrTable(), three.fdrTable());
        assertEquals(one.trials(), three.trials());
        StabilityParameters matched = p.withNullScreen(NullScreen.MATCHED_THRESHOLD);
        StabilityResult m1 = StabilityGraph.run(SMALL, matched.withThreads(1), Progress.NONE);
        StabilityResult m3 = StabilityGraph.run(SMALL, matched.withThreads(3), Progress.NONE);
        assertEquals(m1.edges(), m3.edges());
        assertEquals(m1.fdrTable(), m3.fdrTable());
        assertEquals(m1.trials(), m3.trials());
        StabilityParameters pub = StabilityParameters.published().withResamples(4);
        assertEquals(StabilityGraph.run(SMALL, pub.withThreads(1), Progress.NONE).edges(),
                StabilityGraph.run(SMALL, pub.withThreads(2), Progress.NONE).edges());
    }

    @Test
    void trialsRunSideBySideOnlyWhenTheirCopiesFitAnEighthOfTheHeap() {
        long gib = 1L << 30;
        // 1.2 M non-zeros (the 2,000 x 20,000 speed case): about 29 MB a trial
        assertEquals(2, StabilityGraph.sideBySide(1_200_000, 2000, 2, 30, 3 * gib));
        assertEquals(1, StabilityGraph.sideBySide(1_200_000, 2000, 1, 30, 3 * gib));
        assertEquals(3, StabilityGraph.sideBySide(1_200_000, 2000, 8, 3, 3 * gib));
        // 100 M non-zeros: 2.4 GB a trial, so trials go one after another, each parallel inside
        assertEquals(1, StabilityGraph.sideBySide(100_000_000, 131_072, 2, 30, 6 * gib));
        // the bound itself: two trials of 24 B x 6 M need 288 MB, within 3 GiB / 8 (403 MB) but not 2 GiB / 8 (268 MB)
        assertEquals(2, StabilityGraph.sideBySide(6_000_000, 0, 2, 30, 3 * gib));
        assertEquals(1, StabilityGraph.sideBySide(6_000_000, 0, 2, 30, 2 * gib));
    }

    @Test
    void aFailureInTrialsRunningSideBySideReachesTheCaller() {
        StabilityParameters p = StabilityParameters.defaults().withResamples(4).withThreads(2);
        assertEquals(2, StabilityGraph.sideBySide(SMALL, p, 4));
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        AtlasException e = assertThrows(AtlasException.class, () -> StabilityGraph.run(SMALL, p, (stage, done, total) -> {
            seen.add(stage + " " + done + "/" + total);
            if (stage.equals("observed trials") && done == 2) {
                throw new AtlasException("stopped by the test");
            }
        }));
        assertEquals("stopped by the test", e.getMessage());
        assertTrue(seen.contains("observed trials 1/4"), seen.toString());
        assertTrue(seen.stream().noneMatch(s -> s.startsWith("null trials")), seen.toString());
    }

    @Test
    void explainingAwayReportsItsProgressUpToTheEnd() {
        List<long[]> updates = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> stages = java.util.Collections.synchronizedList(new ArrayList<>());
        SparseActivations wider = PlantedGraph.generate(PlantedSpec.standard(800, 6000, 7)).activations();
        StabilityResult res = StabilityGraph.run(wider, StabilityParameters.defaults().withResamples(2)
                .withThreshold(ThresholdRule.CHANCE_ONLY).withThreads(2), (stage, done, total) -> {
                    stages.add(stage);
                    if (stage.equals(ExplainAway.STAGE)) {
                        updates.add(new long[] {done, total});
                    }
                });
        long total = 2L * res.edges().size();
        assertTrue(total > 2 * ExplainAway.PROGRESS_EVERY, "edges: " + res.edges().size());
        assertTrue(updates.size() >= 2, "updates: " + updates.size());
        for (int k = 1; k < updates.size(); k++) {
            assertTrue(updates.get(k)[0] > updates.get(k - 1)[0]);
            assertEquals(total, updates.get(k)[1]);
        }
        assertEquals(total, updates.get(updates.size() - 1)[0]);
        assertTrue(stages.indexOf(ExplainAway.STAGE) > stages.lastIndexOf("null trials"), stages.toString());
    }

    @Test
    void crossValidationIsDeterministicAtAnyThreadCount() {
        StabilityParameters p = StabilityParameters.defaults().withResamples(3);
        StabilityParameters cv = p.withLasso(p.lasso().withCriterion(Criterion.CV, 4));
        StabilityResult one = StabilityGraph.run(SMALL, cv.withThreads(1), Progress.NONE);
        StabilityResult two = StabilityGraph.run(SMALL, cv.withThreads(2), Progress.NONE);
        assertTrue(one.edges().size() > 10, "edges " + one.edges().size());
        assertEquals(one.edges(), two.edges());
        assertEquals(4, one.parameters().asMap().get("cv_folds"));
        assertEquals(null, StabilityGraph.run(SMALL, p.withThreads(2), Progress.NONE).parameters().asMap()
                .get("cv_folds"));
    }

    @Test
    void orKeepsEveryAndEdgeAndMore() {
        StabilityParameters p = StabilityParameters.defaults().withResamples(4).withThreads(2);
        StabilityResult and = StabilityGraph.run(SMALL, p, Progress.NONE);
        StabilityResult or = StabilityGraph.run(SMALL, p.withMerge(MergeRule.OR), Progress.NONE);
        List<Long> orKeys = or.edges().stream().map(e -> (long) e.i() << 32 | e.j()).toList();
        for (StableEdge e : and.edges()) {
            assertTrue(orKeys.contains((long) e.i() << 32 | e.j()));
        }
        assertTrue(or.edges().size() > and.edges().size());
        for (TrialDiagnostics t : and.trials()) {
            assertTrue(t.andEdges() <= t.orEdges() && t.orEdges() <= t.directedEdges());
        }
    }

    @Test
    void mergeRulesOnAHandMadeSelection() {
        // 0 selects 1 and 2; 1 selects 0; 2 selects nothing: AND keeps {0,1}; OR keeps {0,1} and {0,2}
        NodewiseLasso.Fit fit = new NodewiseLasso.Fit(new int[][] {{1, 2}, {0}, {}},
                new float[][] {{0.5f, 0.2f}, {0.3f}, {}});
        TrialEdges and = TrialEdges.merge(fit, MergeRule.AND, 3);
        TrialEdges or = TrialEdges.merge(fit, MergeRule.OR, 3);
        assertEquals(List.of(1L), box(and.keys()));
        assertEquals(0.4f, and.weights()[0], 1e-6);
        assertEquals(List.of(1L, 2L), box(or.keys()));
        assertEquals(1, and.andEdges());
        assertEquals(2, and.orEdges());
    }

    @Test
    void everyObservedTrialHasAMatchedNullTrialWithDiagnostics() {
        StabilityResult r = StabilityGraph.run(SMALL, StabilityParameters.defaults().withResamples(3),
                (stage, done, total) -> assertTrue(done <= total));
        assertEquals(6, r.trials().size());
        assertEquals(3, r.trials().stream().filter(TrialDiagnostics::isNull).count());
        TrialDiagnostics first = r.trials().get(0);
        assertEquals(3000, first.tokens());
        long firing = 200 - first.featuresSkipped();
        assertEquals(firing * (firing - 1) / 2, first.testsRun());
        assertEquals(3, r.fdrTable().rows().size());
    }

    @Test
    void matchedNullTrialsApplyTheirObservedTrialsThreshold() {
        StabilityParameters own = StabilityParameters.defaults().withResamples(3).withThreads(2)
                .withNullScreen(NullScreen.OWN_BH);
        StabilityParameters matched = own.withNullScreen(NullScreen.MATCHED_THRESHOLD);
        assertEquals("own-bh", own.asMap().get("null_screen"));
        assertEquals("matched-threshold", matched.asMap().get("null_screen"));
        assertEquals(NullScreen.MATCHED_THRESHOLD, matched.withSeed(7).withResamples(4).withMerge(MergeRule.OR)
                .withScreen(own.screen()).withLasso(own.lasso()).withThreads(1).nullScreen());
        StabilityResult a = StabilityGraph.run(SMALL, own, Progress.NONE);
        StabilityResult b = StabilityGraph.run(SMALL, matched, Progress.NONE);
        // the observed trials are untouched; only the null trials' screens change
        assertEquals(a.trials().stream().filter(t -> !t.isNull()).toList(),
                b.trials().stream().filter(t -> !t.isNull()).toList());
        long ownNull = a.trials().stream().filter(TrialDiagnostics::isNull).mapToLong(TrialDiagnostics::bhDiscoveries)
                .sum();
        long matchedNull = b.trials().stream().filter(TrialDiagnostics::isNull)
                .mapToLong(TrialDiagnostics::bhDiscoveries).sum();
        assertTrue(matchedNull > ownNull, "matched null passes " + matchedNull + ", own BH " + ownNull);
    }

    @Test
    void invalidParametersAreRejectedWithTheExpectedRange() {
        AtlasException e = assertThrows(AtlasException.class, () -> StabilityParameters.defaults().withResamples(0));
        assertTrue(e.getMessage().contains("[1, 4096]"));
    }

    private static List<Long> box(long[] a) {
        List<Long> out = new ArrayList<>();
        for (long v : a) {
            out.add(v);
        }
        return out;
    }
}
