package org.saeatlas.compute.darkmatter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;

class ErrorTokenSampleTest {

    @Test
    void worstTokensFirstThenAUniformSampleOfTheRest() {
        // token t has norm (t * 7) mod 10 -> ranks by norm descending, ties to the smaller token
        float[] norms = new float[10];
        for (int t = 0; t < 10; t++) {
            norms[t] = (t * 7) % 10;
        }
        // norms: t0 0, t1 7, t2 4, t3 1, t4 8, t5 5, t6 2, t7 9, t8 6, t9 3
        ErrorTokenSample s = ErrorTokenSample.of(norms, 3, 4, 5, 11);
        assertEquals(3, s.worst());
        assertArrayEquals(new int[] {7, 4, 1}, java.util.Arrays.copyOf(s.tokens(), 3));
        assertArrayEquals(new float[] {9, 8, 7}, java.util.Arrays.copyOf(s.norms(), 3));
        assertEquals(7, s.tokens().length);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < s.tokens().length; i++) {
            assertTrue(seen.add(s.tokens()[i]), "distinct tokens");
            assertEquals(9 - s.ranks()[i], s.norms()[i], 0, "rank r holds norm 9 - r here");
            if (i >= 3) {
                assertTrue(s.ranks()[i] >= 3 && (i == 3 || s.ranks()[i] > s.ranks()[i - 1]));
            }
        }
        assertArrayEquals(new long[] {0, 2, 5, 7, 9}, s.curveRanks());
        assertArrayEquals(new float[] {9, 7, 4, 2, 0}, s.curve());
        assertEquals(10, s.total());
    }

    @Test
    void boundedByTheTokenCountAndTies() {
        ErrorTokenSample s = ErrorTokenSample.of(new float[] {1, 1, 1}, 5, 5, 10, 0);
        assertArrayEquals(new int[] {0, 1, 2}, s.tokens());
        assertEquals(3, s.curve().length);
        assertThrows(AtlasException.class, () -> ErrorTokenSample.of(new float[] {Float.NaN}, 1, 0, 2, 0));
    }
}
