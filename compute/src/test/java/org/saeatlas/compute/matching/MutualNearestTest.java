package org.saeatlas.compute.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MutualNearestTest {
    private static final double N = Double.NaN;

    /**
     * Hand-checked: A0's best is B0 (0.9) and B0's best is A0: a pair. A1's best is B0 (0.85) but B0 prefers A0,
     * so A1 stays unmatched although B1's best is A1. A2 and B2 (0.6) are mutual but below a threshold of 0.65.
     */
    @Test
    void handCheckedCase() {
        CandidateSet c = LinearAssignmentTest.dense(new double[][] {
            {0.9, 0.2, N},
            {0.85, 0.8, N},
            {N, N, 0.6}}, 3);
        MutualNearest.Result r = MutualNearest.solve(c, 0.65);
        assertArrayEquals(new int[] {0, -1, -1}, r.partnerOfA());
        assertArrayEquals(new int[] {0, -1, -1}, r.partnerOfB());
        assertEquals(1, r.matched());
        MutualNearest.Result low = MutualNearest.solve(c, 0.5);
        assertArrayEquals(new int[] {0, -1, 2}, low.partnerOfA());
    }

    @Test
    void tiesGoToTheSmallerIndex() {
        CandidateSet c = LinearAssignmentTest.dense(new double[][] {{0.7, 0.7}, {0.7, 0.7}}, 2);
        MutualNearest.Result r = MutualNearest.solve(c, 0.5);
        assertArrayEquals(new int[] {0, -1}, r.partnerOfA());
    }
}
