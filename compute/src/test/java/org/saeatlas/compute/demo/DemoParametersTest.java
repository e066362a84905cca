package org.saeatlas.compute.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DemoParametersTest {

    @Test
    void scaledAtTheDefaultWidthIsTheDefaults() {
        DemoParameters d = DemoParameters.defaults();
        assertEquals(d, DemoParameters.scaled(d.seed(), d.features(), d.tokens(), 1.0));
    }

    @Test
    void scaledKeepsTheStructurePerFeature() {
        // 2,048 of the defaults' 4,096 features: half the modules (48), hierarchies (40) and duplicates (32)
        DemoParameters half = DemoParameters.scaled(7, 2048, 40_000, 1.0);
        assertEquals(new DemoParameters(7, 2048, 40_000, 64, 24, 20, 16, 0.8), half);
        // 1,000 features: 48, 40, 32 times 1000/4096 = 11.72, 9.77, 7.81, rounded
        DemoParameters odd = DemoParameters.scaled(7, 1000, 5_000, 0.25);
        assertEquals(new DemoParameters(7, 1000, 5_000, 64, 12, 10, 8, 0.8, 0.25), odd);
        // the file keys of the demo do not change: no rate scale in the text when it is 1
        assertEquals(new DemoParameters(7, 2048, 40_000, 64, 24, 20, 16, 0.8).toString(), half.toString());
    }
}
