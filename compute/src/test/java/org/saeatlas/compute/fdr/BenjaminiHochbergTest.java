package org.saeatlas.compute.fdr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BenjaminiHochbergTest {
    // Hand-computed: m = 10, q = 0.05, cut-offs k q / m = 0.005, 0.010, 0.015, ...; p(1) = 0.001 <= 0.005,
    // p(2) = 0.008 <= 0.010, and no larger p(k) is under its cut-off, so k* = 2 and the threshold is 0.008.
    private static final double[] P = {0.041, 0.001, 0.205, 0.039, 0.008, 0.042, 0.06, 0.074, 0.212, 0.216};

    @Test
    void thresholdMatchesHandComputedCase() {
        assertEquals(0.008, BenjaminiHochberg.threshold(P, P.length, 10, 0.05));
    }

    @Test
    void passingOnlyTheSmallPValuesGivesTheSameThreshold() {
        double[] small = {0.041, 0.001, 0.039, 0.008, 0.042};
        assertEquals(0.008, BenjaminiHochberg.threshold(small, small.length, 10, 0.05));
        assertEquals(-1, BenjaminiHochberg.threshold(small, small.length, 1000, 0.05));
    }

    @Test
    void adjustedValuesAreMonotoneAndAtLeastTheRawOnes() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int rep = 0; rep < 50; rep++) {
            double[] p = new double[1 + rng.nextInt(60)];
            for (int k = 0; k < p.length; k++) {
                p[k] = rng.nextDouble() * rng.nextDouble();
            }
            double[] adj = BenjaminiHochberg.adjust(p);
            for (int a = 0; a < p.length; a++) {
                assertTrue(adj[a] >= p[a] && adj[a] <= 1.0);
                for (int b = 0; b < p.length; b++) {
                    assertTrue(p[a] > p[b] || adj[a] <= adj[b], "adjusted p must keep the order of p");
                }
            }
            double cut = BenjaminiHochberg.threshold(p, p.length, p.length, 0.1);
            for (int a = 0; a < p.length; a++) {
                assertEquals(p[a] <= cut, adj[a] <= 0.1, "threshold and adjusted values agree");
            }
        }
    }

    @Test
    void fdrTableCountsEdgesAtEachThresholdAndPicksTheSmallestPassingR() {
        // observed replicate counts of 6 edges and null counts of 3 edges over R = 3
        FdrTable t = FdrTable.of(new int[] {1, 1, 1, 2, 3, 3}, new int[] {1, 1, 2}, 3, 0.2);
        assertEquals(List.of(new FdrTable.Row(1, 6, 3, 0.5), new FdrTable.Row(2, 3, 1, 1.0 / 3),
                new FdrTable.Row(3, 2, 0, 0.0)), t.rows());
        assertEquals(3, t.rStar().getAsInt());
        assertTrue(FdrTable.of(new int[] {1}, new int[] {1}, 2, 0.1).rStar().isEmpty());
    }

    @Test
    void indirectShareAddsToTheChanceFdrAndMovesRStar() {
        // chance FDR 0.5, 1/3, 0 at r = 1, 2, 3; alpha 0.4 alone picks r = 2
        FdrTable chance = FdrTable.of(new int[] {1, 1, 1, 2, 3, 3}, new int[] {1, 1, 2}, 3, 0.4);
        assertEquals(2, chance.rStar().getAsInt());
        FdrTable total = chance.withIndirect(new double[] {0.3, 0.25, 0.1}, 0.4);
        assertEquals(List.of(new FdrTable.Row(1, 6, 3, 0.5, 0.3, 0.8), new FdrTable.Row(2, 3, 1, 1.0 / 3, 0.25,
                1.0 / 3 + 0.25), new FdrTable.Row(3, 2, 0, 0.0, 0.1, 0.1)), total.rows());
        assertEquals(3, total.rStar().getAsInt(), "0.333 + 0.25 > 0.4 at r = 2; 0 + 0.1 <= 0.4 at r = 3");
        assertTrue(total.rows().get(0).hasIndirectEstimate());
        assertTrue(!chance.rows().get(0).hasIndirectEstimate() && chance.rows().get(0).totalError() == 0.5);
        // an unknown share (the twin found nothing at that r) never qualifies
        assertTrue(chance.withIndirect(new double[] {0.3, 0.25, Double.NaN}, 0.4).rStar().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> chance.withIndirect(new double[] {0.1}, 0.4));
    }
}
