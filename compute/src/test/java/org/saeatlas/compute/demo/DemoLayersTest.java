package org.saeatlas.compute.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.saeatlas.compute.SparseActivations;

class DemoLayersTest {

    @Test
    void aLayerAboveComputesSomeFeaturesAsWeightedOrsOfTheLayerBelow() {
        DemoParameters p0 = DemoParameters.small(3);
        DemoAtlas below = DemoAtlasGenerator.generate(p0);
        assertTrue(below.truth().computed().isEmpty());
        DemoParameters p1 = new DemoParameters(p0.seed() + 1, p0.features(), p0.tokens(), p0.dIn(), p0.modules(),
                p0.hierarchies(), p0.duplicates(), p0.sharedFraction());
        DemoAtlas above = DemoAtlasGenerator.generate(p1, below.saes().get(0));
        assertFalse(above.truth().computed().isEmpty());
        SparseActivations x = below.saes().get(0).activations();
        SparseActivations y = above.saes().get(0).activations();
        for (DemoAtlas.Computed c : above.truth().computed()) {
            for (int t = 0; t < x.tokens(); t++) {
                double expected = 0;
                for (int k = 0; k < c.inputs().length; k++) {
                    expected += c.weights()[k] * value(x, t, c.inputs()[k]);
                }
                assertEquals(expected, value(y, t, c.feature()), 1e-4 * Math.max(1, expected), "token " + t);
            }
            assertTrue(above.saes().get(0).explanations().get(c.feature()).contains("computed from the layer below"));
        }
        // the same inputs give the same layer
        assertEquals(above.truth().computed().get(0).feature(),
                DemoAtlasGenerator.generate(p1, below.saes().get(0)).truth().computed().get(0).feature());
    }

    private static double value(SparseActivations x, int t, int f) {
        for (int q = x.rowPtr()[t]; q < x.rowPtr()[t + 1]; q++) {
            if (x.features()[q] == f) {
                return x.values()[q];
            }
        }
        return 0;
    }
}
