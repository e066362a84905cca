package org.saeatlas.compute.comparison;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;

class JensenShannonTest {
    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    @Test
    void equalIsZeroDisjointIsOne() {
        assertEquals(0.0, JensenShannon.divergence(new long[] {3, 1, 0, 2}, new long[] {6, 2, 0, 4}), 1e-15);
        assertEquals(1.0, JensenShannon.divergence(new long[] {5, 0}, new long[] {0, 7}), 1e-15);
    }

    /**
     * Hand-computed: P = (1/2, 1/2), Q = (1, 0), M = (3/4, 1/4). KL(P||M) = 1 - log2(3)/2, KL(Q||M) = 2 - log2(3), so
     * JSD = 3/2 - (3/4) log2(3) = 0.3112781... (SciPy: {@code jensenshannon([1,1],[1,0], base=2)**2} = 0.3112781).
     */
    @Test
    void handComputedHalfAgainstPoint() {
        double expected = 1.5 - 0.75 * LOG2_3;
        assertEquals(0.31127812445913283, expected, 1e-15);
        assertEquals(expected, JensenShannon.divergence(new long[] {1, 1}, new long[] {1, 0}), 1e-12);
        assertEquals(expected, JensenShannon.divergence(new long[] {1}, new long[] {4, 4}), 1e-12, "padded, swapped");
        assertEquals(expected, JensenShannon.divergence(new double[] {0.5, 0.5}, new double[] {2}), 1e-12);
    }

    @Test
    void rejectsEmptyAndNegativeHistograms() {
        assertThrows(AtlasException.class, () -> JensenShannon.divergence(new long[] {0, 0}, new long[] {1}));
        assertThrows(AtlasException.class, () -> JensenShannon.divergence(new double[] {-1, 2}, new double[] {1}));
    }
}
