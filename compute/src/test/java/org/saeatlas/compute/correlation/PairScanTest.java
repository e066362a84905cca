package org.saeatlas.compute.correlation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.coactivation.CoOccurrence;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;

/** The fused fast path against the naive screen over a full X^T X. */
class PairScanTest {
    private final SparseActivations x = PlantedGraph.generate(PlantedSpec.standard(300, 8000, 2)).activations();

    @Test
    void fusedScanMatchesTheNaiveScreenForBothTests() {
        CoOccurrence co = CoOccurrence.of(x, 1, Progress.NONE);
        TrialMoments full = TrialMoments.of(co);
        for (ScreenParameters sp : new ScreenParameters[] {
            new ScreenParameters(PreScreen.HYPERGEOMETRIC, 0.05, 32, 2),
            new ScreenParameters(PreScreen.FISHER_Z, 0.05, 8, 1)}) {
            ScreenResult naive = PairScreen.screen(co, sp, 1);
            PairScan.Scan fast = PairScan.scan(x, sp, 2);
            assertEquals(naive.tests(), fast.screen().tests());
            assertEquals(naive.discoveries(), fast.screen().discoveries());
            assertTrue(naive.discoveries() > 0);
            for (int f = 0; f < x.featureCount(); f++) {
                assertArrayEquals(naive.candidates()[f], fast.screen().candidates()[f], sp.method() + " feature " + f);
                for (int j : fast.screen().candidates()[f]) {
                    assertEquals(full.correlation(f, j), fast.moments().correlation(f, j), 1e-9);
                }
            }
        }
    }

    @Test
    void theDenseDotProductIsBitForBitTheMergedOne() {
        SparseActivations signed = new SparseActivations(x.tokens(), x.featureCount(), x.rowPtr(), x.features(),
                negateEveryThird(x.values()));
        SparseActivations.Columns cols = signed.columns();
        float[] dense = new float[signed.tokens()];
        long compared = 0;
        for (int u = 0; u < signed.featureCount(); u += 7) {
            PairScan.spread(cols, u, dense);
            for (int v = 0; v < signed.featureCount(); v++) {
                double merged = PairScan.dot(cols, u, v);
                assertEquals(Double.doubleToRawLongBits(merged), Double.doubleToRawLongBits(PairScan.dot(cols, dense, v)),
                        "columns " + u + " and " + v);
                compared += merged != 0 ? 1 : 0;
            }
            PairScan.clear(cols, u, dense);
            for (float d : dense) {
                assertEquals(0f, d);
            }
        }
        assertTrue(compared > 1000, "pairs with a non-zero product: " + compared);
    }

    private static float[] negateEveryThird(float[] v) {
        float[] out = v.clone();
        for (int k = 0; k < out.length; k += 3) {
            out[k] = -out[k];
        }
        return out;
    }

    @Test
    void nullDataPassesAlmostNothingUnderTheHypergeometricScreen() {
        SparseActivations shuffled = org.saeatlas.compute.resampling.ColumnPermutation.permute(x, 5, 1);
        ScreenResult hyper = PairScan.scan(shuffled, new ScreenParameters(PreScreen.HYPERGEOMETRIC, 0.05, 32, 2), 1)
                .screen();
        ScreenResult fisher = PairScan.scan(shuffled, new ScreenParameters(PreScreen.FISHER_Z, 0.05, 32, 1), 1)
                .screen();
        assertTrue(hyper.discoveries() <= 2, "hypergeometric null discoveries " + hyper.discoveries());
        assertTrue(fisher.discoveries() > 20 * Math.max(1, hyper.discoveries()),
                "Fisher z on rare features passes many null pairs: " + fisher.discoveries());
    }

    @Test
    void aFixedCutAtTheTrialsOwnBhThresholdReproducesItsScreen() {
        ScreenParameters sp = new ScreenParameters(PreScreen.HYPERGEOMETRIC, 0.05, 32, 2);
        ScreenResult own = PairScan.scan(x, sp, 2).screen();
        assertTrue(own.cut() > 0 && own.cut() <= sp.q(), "BH threshold " + own.cut());
        ScreenResult fixed = PairScan.scan(x, sp, 1, own.cut()).screen();
        assertEquals(own.discoveries(), fixed.discoveries());
        assertEquals(own.cut(), fixed.cut());
        for (int f = 0; f < x.featureCount(); f++) {
            assertArrayEquals(own.candidates()[f], fixed.candidates()[f]);
        }
        assertEquals(0, PairScan.scan(x, sp, 1, -1).screen().discoveries());
        assertThrows(AtlasException.class, () -> PairScan.scan(x, sp, 1, 0.2));
    }

    @Test
    void theObservedThresholdPassesTheChancePairsOfTheNull() {
        ScreenParameters sp = new ScreenParameters(PreScreen.HYPERGEOMETRIC, 0.05, 32, 2);
        ScreenResult observed = PairScan.scan(x, sp, 1).screen();
        SparseActivations shuffled = org.saeatlas.compute.resampling.ColumnPermutation.permute(x, 5, 1);
        ScreenResult own = PairScan.scan(shuffled, sp, 1).screen();
        ScreenResult matched = PairScan.scan(shuffled, sp, 1, observed.cut()).screen();
        // BH at q admits about q x discoveries chance pairs; a null with no signal has a far stricter threshold of
        // its own, while the observed threshold passes the null's pairs with p <= p* (at most tests x p* expected)
        assertTrue(matched.discoveries() > own.discoveries(), matched.discoveries() + " vs " + own.discoveries());
        double expected = matched.tests() * observed.cut();
        assertTrue(matched.discoveries() <= 2 * expected + 5, matched.discoveries() + " vs tests x p* " + expected);
        assertTrue(expected <= sp.q() * observed.discoveries() * 1.01, "tests x p* <= q x discoveries");
    }

    @Test
    void theBoundedPassEqualsTheFullPassWhateverItsFirstGuess() {
        ScreenParameters sp = new ScreenParameters(PreScreen.HYPERGEOMETRIC, 0.05, 32, 2);
        ScreenResult naive = PairScreen.screen(CoOccurrence.of(x, 1, Progress.NONE), sp, 1);
        // a guess of 1e-6 discoveries per feature certifies nothing and forces the second pass; 1e9 means cut-off q
        for (double guess : new double[] {1e-6, 0.05, PairScan.GUESS_PER_FEATURE, 1e9}) {
            ScreenResult s = PairScan.scan(x, sp, 2, Double.NaN, guess).screen();
            assertEquals(naive.cut(), s.cut(), "guess " + guess);
            assertEquals(naive.discoveries(), s.discoveries(), "guess " + guess);
            for (int f = 0; f < x.featureCount(); f++) {
                assertArrayEquals(naive.candidates()[f], s.candidates()[f], "guess " + guess + " feature " + f);
            }
        }
    }

    @Test
    void certifiedCutOnHandMadeHistograms() {
        // m = 1000 tests, q = 0.05, u = 1e-3; bin b >= 1 holds pmf in (u 2^((b-1)/4), u 2^(b/4)]. A bin is safe when
        // the pmf count up to its upper edge is < m (lower edge) / q, i.e. < 20 * 2^((b-1)/4) here.
        int[] safe = new int[25];
        safe[0] = 5;
        safe[1] = 3;
        safe[8] = 20;
        assertEquals(1e-3, PairScan.certifiedCut(safe, 1e-3, 0.05, 1000), 1e-15);
        // 35 by bin 1: bins 1..4 (lower edges giving 20, 23.8, 28.3, 33.6) fail, bin 5 (40) holds: cut 2u
        int[] crowded = new int[25];
        crowded[0] = 5;
        crowded[1] = 30;
        assertEquals(2e-3, PairScan.certifiedCut(crowded, 1e-3, 0.05, 1000), 1e-12);
        int[] all = new int[25];
        all[23] = 1_000_000; // the top bin, (u 2^(22/4), u 2^(23/4)] around q
        assertEquals(0.05, PairScan.certifiedCut(all, 1e-3, 0.05, 1000), 1e-15);
    }
}
