package org.saeatlas.compute.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.saeatlas.compute.SparseActivations;

class FeatureStatisticsTest {

    /** 4 tokens; feature 0 fires 1, 50 and 100; feature 1 fires 5 once; feature 2 never. */
    @Test
    void handComputed() {
        SparseActivations x = new SparseActivations(4, 3, new int[] {0, 1, 3, 4, 4},
                new int[] {0, 0, 1, 0}, new float[] {1, 50, 5, 100});
        FeatureStatistics s = FeatureStatistics.of(x, 2);
        assertArrayEquals(new int[] {3, 1, 0}, s.count());
        assertArrayEquals(new double[] {0.75, 0.25, 0}, s.firingRate(), 1e-12);
        assertEquals(151.0 / 3, s.meanActive()[0], 1e-12);
        assertEquals(100.0, s.max()[0], 1e-12);
        // log-spaced edges 1, 10, 100: bin 0 holds 1 and 5, bin 1 holds 50 and 100
        assertEquals(1.0, s.histogramEdges()[0], 1e-9);
        assertEquals(10.0, s.histogramEdges()[1], 1e-6);
        assertArrayEquals(new int[] {1, 2}, s.histogram()[0]);
        assertArrayEquals(new int[] {1, 0}, s.histogram()[1]);
        assertArrayEquals(new int[] {0, 0}, s.histogram()[2]);
    }
}
