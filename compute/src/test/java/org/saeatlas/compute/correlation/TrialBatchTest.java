package org.saeatlas.compute.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;
import org.saeatlas.compute.resampling.ResamplingMode;
import org.saeatlas.compute.resampling.TrialRows;

/** The all-trials pass against each trial's own pass. */
class TrialBatchTest {
    private final SparseActivations x = PlantedGraph.generate(PlantedSpec.standard(300, 6000, 4)).activations();

    private static void assertSameScreen(ScreenResult a, ScreenResult b, String what) {
        assertEquals(a.cut(), b.cut(), what);
        assertEquals(a.discoveries(), b.discoveries(), what);
        assertEquals(a.tests(), b.tests(), what);
        for (int f = 0; f < a.candidates().length; f++) {
            assertArrayEquals(a.candidates()[f], b.candidates()[f], what + " feature " + f);
        }
    }

    @Test
    void batchedPassGivesEachTrialItsOwnScreen() {
        // 37 trials: one full group of 32 (eight lane words) and one of 5 (two words), own BH and fixed cuts
        for (int minCoFire : new int[] {1, 2}) {
            ScreenParameters sp = new ScreenParameters(PreScreen.HYPERGEOMETRIC, 0.05, 16, minCoFire);
            int[][] rows = TrialRows.draw(x.tokens(), 37, ResamplingMode.SUBSAMPLE, 0.5, 3L);
            double[] own = new double[rows.length];
            Arrays.fill(own, Double.NaN);
            PairScan.Prepass[] pre = TrialBatch.pass(x, rows, own, sp, 2);
            double[] fixed = new double[rows.length];
            for (int t = 0; t < rows.length; t++) {
                SparseActivations xt = x.selectRows(rows[t]);
                ScreenResult alone = PairScan.scan(xt, sp, 1).screen();
                ScreenResult batched = PairScan.scan(xt, sp, 1, Double.NaN, pre[t]).screen();
                assertSameScreen(alone, batched, "own BH, trial " + t + ", floor " + minCoFire);
                assertTrue(alone.discoveries() > 0);
                fixed[t] = t % 3 == 0 ? -1 : alone.cut() * (1 + t % 2);
            }
            PairScan.Prepass[] preFixed = TrialBatch.pass(x, rows, fixed, sp, 1);
            for (int t = 0; t < rows.length; t++) {
                SparseActivations xt = x.selectRows(rows[t]);
                assertSameScreen(PairScan.scan(xt, sp, 2, fixed[t]).screen(),
                        PairScan.scan(xt, sp, 2, fixed[t], preFixed[t]).screen(), "fixed cut, trial " + t);
            }
        }
    }

    @Test
    void appliesToTheHypergeometricTestOnTrialsThatFitALane() {
        ScreenParameters hyper = new ScreenParameters(PreScreen.HYPERGEOMETRIC, 0.05, 16, 2);
        ScreenParameters fisher = new ScreenParameters(PreScreen.FISHER_Z, 0.05, 16, 2);
        assertTrue(TrialBatch.applies(hyper, new int[][] {new int[65_535]}));
        assertFalse(TrialBatch.applies(hyper, new int[][] {new int[10], new int[65_536]}));
        assertFalse(TrialBatch.applies(fisher, new int[][] {new int[10]}));
    }
}
