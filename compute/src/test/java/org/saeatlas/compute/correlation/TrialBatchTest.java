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

    @Test
    void leastCountNeverSkipsAPairTheFullTestWouldKeepOrBin() {
        // every (k1, k2) at or above a bucket corner, every count below the corner's least count: the test's own
        // arithmetic puts log pmf(c) above the gate, or c is at or below the mean (which the test rejects too)
        long skippedPastMean = 0;
        for (int n : new int[] {60, 301, 2000}) {
            double[] lf = new Hypergeometric(n).logFactorials();
            int[] edge = TrialBatch.Tests.edges(n);
            int far = n > 100 ? n / 10 : 1;
            for (double gate : new double[] {Math.log(0.05), Math.log(2e-5), Math.log(1e-12), -800}) {
                for (int b1 = 0; b1 < edge.length; b1++) {
                    for (int b2 = 0; b2 < edge.length; b2++) {
                        int least = TrialBatch.Tests.leastCount(edge[b1], edge[b2], n, gate, lf);
                        int end1 = b1 + 1 < edge.length ? edge[b1 + 1] : n + 1;
                        int end2 = b2 + 1 < edge.length ? edge[b2 + 1] : n + 1;
                        // counts across the corner's bucket (all of them when n is small) and, sparser, larger ones
                        int near1 = n > 100 ? Math.max(1, (end1 - edge[b1]) / 8) : 1;
                        int near2 = n > 100 ? Math.max(1, (end2 - edge[b2]) / 8) : 1;
                        for (int k1 = edge[b1]; k1 <= n; k1 += k1 < end1 ? near1 : far) {
                            for (int k2 = edge[b2]; k2 <= n; k2 += k2 < end2 ? near2 : far) {
                                for (int c = Math.max(1, k1 + k2 - n); c < least && c <= Math.min(k1, k2); c++) {
                                    if ((long) c * n <= (long) k1 * k2) {
                                        continue;
                                    }
                                    double logChooseN = lf[n] - lf[k2] - lf[n - k2];
                                    double logFirst = lf[k1] - lf[c] - lf[k1 - c]
                                            + (lf[n - k1] - lf[k2 - c] - lf[n - k1 - k2 + c]) - logChooseN;
                                    assertTrue(logFirst > gate, "n " + n + " k1 " + k1 + " k2 " + k2 + " c " + c
                                            + " least " + least + " gate " + gate);
                                    skippedPastMean++;
                                }
                            }
                        }
                    }
                }
            }
        }
        // the table skips far more than the mean rule alone
        assertTrue(skippedPastMean > 1_000_000, "skipped past the mean: " + skippedPastMean);
    }

    @Test
    void leastCountIsTheExactThresholdAtTheCorner() {
        // at the corner itself the least count is the first count above the mean whose log pmf is within the margin
        int n = 500;
        double[] lf = new Hypergeometric(n).logFactorials();
        double gate = Math.log(1e-4);
        for (int a1 : new int[] {3, 20, 77, 250}) {
            for (int a2 : new int[] {5, 40, 120, 499}) {
                int least = TrialBatch.Tests.leastCount(a1, a2, n, gate, lf);
                int first = (int) ((long) a1 * a2 / n) + 1;
                while (first <= Math.min(a1, a2) && logPmf(first, a1, a2, n, lf) > gate + TrialBatch.Tests.MARGIN) {
                    first++;
                }
                assertEquals(first, least, "a1 " + a1 + " a2 " + a2);
            }
        }
    }

    private static double logPmf(int c, int k1, int k2, int n, double[] lf) {
        return lf[k1] - lf[c] - lf[k1 - c] + lf[n - k1] - lf[k2 - c] - lf[n - k1 - k2 + c] - lf[n] + lf[k2]
                + lf[n - k2];
    }
}
