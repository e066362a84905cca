package org.saeatlas.compute.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HypergeometricTest {
    // n = 10 tokens, K1 = 4, K2 = 5: P(C = x) = C(4,x) C(6,5-x) / C(10,5), C(10,5) = 252.
    // P(C = 4) = 6/252; P(C = 3) = 4 * 15 / 252 = 60/252; so P(C >= 3) = 66/252, P(C >= 4) = 6/252.
    private final Hypergeometric h = new Hypergeometric(10);

    @Test
    void upperTailMatchesHandComputedCase() {
        assertEquals(6.0 / 252, h.upperTail(4, 4, 5, 10, 1.0), 1e-12);
        assertEquals(66.0 / 252, h.upperTail(3, 4, 5, 10, 0.49), 1e-12);
    }

    @Test
    void tailsAboveTheCutOffOrAtTheMeanReportOne() {
        assertEquals(1.0, h.upperTail(3, 4, 5, 10, 0.05));
        assertEquals(1.0, h.upperTail(2, 4, 5, 10, 1.0), "mean is 2: tail >= 1/2, reported as 1");
        assertEquals(0.0, h.upperTail(5, 4, 5, 10, 1.0), "more co-firings than the rarer feature fires");
    }

    @Test
    void twoRareFeaturesCoFiringOnceAreNotSignificantAfterManyTests() {
        Hypergeometric big = new Hypergeometric(10_000);
        // each fires once, together: p = 1/n = 1e-4, far above any BH cut over ~10^6 pairs
        assertEquals(1e-4, big.upperTail(1, 1, 1, 10_000, 0.05), 1e-12);
    }
}
