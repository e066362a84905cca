package org.saeatlas.compute.stability;

import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.stability.StabilityGraph;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.compute.stability.StabilityResult;
import org.saeatlas.compute.stability.ThresholdRule;
import org.saeatlas.compute.stability.TwinEstimate;

class PlantedTwinTest {

    /**
     * The twin runs its observed trials only: its edges, replicate counts, weights and what it explains away are those
     * of the full run (null trials never feed the observed ones), so its per-r estimate is the same; only the null
     * counts are absent (0).
     */
    @Test
    void observedTrialsAloneGiveTheSameTwinEstimateAsTheFullRun() {
        PlantedSpec spec = PlantedSpec.standard(300, 8000, 3);
        PlantedGraph g = PlantedGraph.generate(spec);
        StabilityParameters params = StabilityParameters.defaults().withResamples(8);
        StabilityResult full = StabilityGraph.run(g.activations(), params.withThreshold(ThresholdRule.CHANCE_ONLY),
                Progress.NONE);
        StabilityResult observed = StabilityGraph.runObservedOnly(g.activations(), params, Progress.NONE);
        assertTrue(full.edges().size() > 50, "edges: " + full.edges().size());
        assertEquals(edgeFields(full), edgeFields(observed));
        assertArrayEquals(full.explained().keys(), observed.explained().keys());
        assertTrue(observed.edges().stream().allMatch(e -> e.nullReplicates() == 0));
        assertEquals(8, observed.trials().size(), "no null trial ran");
        assertEquals(16, full.trials().size());
        TwinEstimate a = PlantedTwin.score(g, full, spec, 1);
        TwinEstimate b = PlantedTwin.score(g, observed, spec, 1);
        for (long[][] pair : new long[][][] {{a.found(), b.found()}, {a.trueEdges(), b.trueEdges()},
            {a.indirect(), b.indirect()}, {a.chance(), b.chance()}, {a.nestedFound(), b.nestedFound()},
            {a.nestedIndirect(), b.nestedIndirect()}}) {
            assertArrayEquals(pair[0], pair[1]);
        }
        assertTrue(a.found()[0] == full.countedEdges().size());
    }

    private static List<List<Object>> edgeFields(StabilityResult r) {
        return r.edges().stream().map(e -> List.<Object>of(e.i(), e.j(), e.replicates(), e.weight(), e.medianWeight(),
                e.signConsistency())).toList();
    }
}
