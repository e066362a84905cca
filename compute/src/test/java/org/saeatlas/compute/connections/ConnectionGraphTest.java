package org.saeatlas.compute.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;

class ConnectionGraphTest {
    private static final PlantedLayers SMALL = PlantedLayers.generate(
            new PlantedLayers.Spec(4000, 60, 6, 8, 2, 2, 1, 1, 4, 3));

    private static ConnectionParameters params(int threads) {
        return ConnectionParameters.defaults().withResamples(4).withThreads(threads);
    }

    @Test
    void sameOutputAtAnyThreadCount() {
        ConnectionResult one = ConnectionGraph.run(SMALL.upstream(), SMALL.downstream(), params(1),
                new MlpBaseline(8, 10), Progress.NONE);
        ConnectionResult three = ConnectionGraph.run(SMALL.upstream(), SMALL.downstream(), params(3),
                new MlpBaseline(8, 10), Progress.NONE);
        assertEquals(one.connections(), three.connections());
        assertEquals(one.linearity(), three.linearity());
        assertEquals(one.fdrTable(), three.fdrTable());
        assertTrue(one.connections().size() > 10, "found " + one.connections().size());
    }

    @Test
    void theNullSeesFewConnectionsAndTheTableCountsThem() {
        ConnectionResult res = ConnectionGraph.run(SMALL.upstream(), SMALL.downstream(), params(2),
                new MlpBaseline(8, 10), Progress.NONE);
        assertTrue(res.nullTrialMeanConnections() < 0.2 * res.observedTrialMeanConnections(),
                res.nullTrialMeanConnections() + " null vs " + res.observedTrialMeanConnections() + " observed");
        long atLeastOne = res.connections().size();
        assertEquals(atLeastOne, res.fdrTable().rows().get(0).observed());
        long stable = res.connections().stream().filter(Connection::stable).count();
        int rStar = res.fdrTable().rStar().orElseThrow();
        assertEquals(res.fdrTable().rows().get(rStar - 1).observed(), stable);
    }

    @Test
    void progressReportsEveryTrial() {
        List<String> stages = new ArrayList<>();
        ConnectionGraph.run(SMALL.upstream(), SMALL.downstream(), params(1), new MlpBaseline(4, 2),
                (stage, done, total) -> {
                    if (stage.equals("connection trials")) {
                        stages.add(done + "/" + total);
                    }
                });
        assertEquals(List.of("1/4", "2/4", "3/4", "4/4"), stages);
    }

    @Test
    void refusesActivationsOverDifferentTokens() {
        SparseActivations shorter = SMALL.downstream().selectRows(new int[] {0, 1, 2});
        AtlasException e = assertThrows(AtlasException.class, () -> ConnectionGraph.run(SMALL.upstream(), shorter,
                params(1), new MlpBaseline(4, 2), Progress.NONE));
        assertTrue(e.getMessage().contains("4000 tokens") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void leastSquaresRecoversAnExactLinearMap() {
        // y = 1 + 2 x0 - 3 x2 on four rows; x1 is unused
        float[] x = {1, 5, 0, 0, 7, 1, 2, 1, 1, 3, 0, 2};
        float[] y = new float[4];
        for (int r = 0; r < 4; r++) {
            y[r] = 1 + 2 * x[r * 3] - 3 * x[r * 3 + 2];
        }
        double[] pred = Linearity.leastSquares(x, y, new double[] {1, 1, 1, 1}, 3, new int[] {0, 2},
                new float[] {10, 0, 1});
        assertEquals(1 + 20 - 3, pred[0], 1e-6);
    }
}
