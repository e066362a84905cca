package org.saeatlas.compute.lasso;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NodewiseLassoTest {
    // Candidates: x0 drives y (rho 0.7), x1 is correlated with x0 only (r01 = 0.7, so rho1 = 0.49: its partial
    // correlation with y given x0 is zero), x2 is noise. With n = 1000 tokens BIC keeps x0 alone.
    private static final double[] GRAM = {1, 0.7, 0, 0.7, 1, 0, 0, 0, 1};
    private static final double[] RHO = {0.7, 0.49, 0.01};

    @Test
    void bicKeepsTheDirectPredictorAndDropsTheIndirectOne() {
        for (boolean refit : new boolean[] {false, true}) {
            LassoParameters lp = new LassoParameters(30, 1e-3, Criterion.BIC, 0, refit, SampleSize.TOKENS);
            NodewiseLasso.Selection s = NodewiseLasso.select(GRAM, RHO, 1000, lp);
            assertArrayEquals(new int[] {0}, s.support(), "refit=" + refit);
        }
    }

    @Test
    void refitReturnsTheLeastSquaresCoefficient() {
        LassoParameters lp = new LassoParameters(30, 1e-3, Criterion.EBIC, 1.0, true, SampleSize.TOKENS);
        assertEquals(0.7, NodewiseLasso.select(GRAM, RHO, 1000, lp).coef()[0], 1e-9);
    }

    @Test
    void tooFewTokensSelectNothing() {
        LassoParameters lp = new LassoParameters(30, 1e-3, Criterion.BIC, 0, true, SampleSize.TOKENS);
        double[] weak = {0.05, 0.0, 0.0};
        assertEquals(0, NodewiseLasso.select(GRAM, weak, 100, lp).support().length);
    }
}
