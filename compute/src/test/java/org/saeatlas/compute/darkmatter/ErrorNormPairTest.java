package org.saeatlas.compute.darkmatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;

class ErrorNormPairTest {

    /**
     * a = 1, 2, 3; b = 2, 4, 7. Origin: c = 31/14, residuals -3/14, -6/14, 5/14 -> RSS 70/196; TSS = 114/9.
     * Intercept: slope 5/2, intercept -2/3, RSS = 114/9 - 25/2 = 1.5/9.
     */
    @Test
    void handComputedFits() {
        ErrorNormPair p = ErrorNormPair.fit(new float[] {1, 2, 3}, new float[] {2, 4, 7});
        assertEquals(31.0 / 14, p.originSlope(), 1e-12);
        assertEquals(1 - (70.0 / 196) / (114.0 / 9), p.originR2(), 1e-12);
        assertEquals(2.5, p.slope(), 1e-12);
        assertEquals(-2.0 / 3, p.intercept(), 1e-12);
        assertEquals(1 - 1.5 / 114, p.r2(), 1e-12);
        assertEquals(3, p.tokens());
    }

    /**
     * Planted pair: a ~ U(1, 3), b = 2a + 1 + N(0, 0.25^2). With intercept R^2 = Var(2a) / (Var(2a) + 1/16) =
     * (4/3) / (4/3 + 1/16). Through the origin: E a^2 = 13/3, E ab = 32/3, E b^2 = 52/3 + 8 + 1 + 1/16, so
     * RSS/n = E b^2 - (E ab)^2 / E a^2 and R^2 = 1 - (RSS/n) / (4/3 + 1/16).
     */
    @Test
    void plantedPair() {
        Random rnd = new Random(4);
        int n = 40_000;
        float[] a = new float[n];
        float[] b = new float[n];
        for (int t = 0; t < n; t++) {
            a[t] = (float) (1 + 2 * rnd.nextDouble());
            b[t] = (float) (2 * a[t] + 1 + 0.25 * rnd.nextGaussian());
        }
        ErrorNormPair p = ErrorNormPair.fit(a, b);
        double varB = 4.0 / 3 + 1.0 / 16;
        assertEquals((4.0 / 3) / varB, p.r2(), 0.005);
        assertEquals(2, p.slope(), 0.02);
        assertEquals(1, p.intercept(), 0.04);
        double rssPerToken = (52.0 / 3 + 9 + 1.0 / 16) - (32.0 / 3) * (32.0 / 3) / (13.0 / 3);
        assertEquals(1 - rssPerToken / varB, p.originR2(), 0.01);
        assertEquals(32.0 / 13, p.originSlope(), 0.01);
    }

    @Test
    void differentTokenCountsAreRefused() {
        AtlasException e = assertThrows(AtlasException.class,
                () -> ErrorNormPair.fit(new float[] {1, 2}, new float[] {1, 2, 3}));
        assertEquals(true, e.getMessage().contains("2 and 3 tokens"), e.getMessage());
    }
}
