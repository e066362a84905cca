package org.saeatlas.compute.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.SparseActivations;

class TopExamplesTest {

    /**
     * Three sequences of 4 tokens, 2 features. Feature 0 fires at tokens 1 (2.0), 2 (5.0), 5 (1.0), 9 (5.0);
     * feature 1 at token 2 (0.5) only.
     */
    private static SparseActivations threeSequences() {
        return new SparseActivations(12, 2,
                new int[] {0, 0, 1, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5},
                new int[] {0, 0, 1, 0, 0},
                new float[] {2f, 5f, 0.5f, 1f, 5f});
    }

    @Test
    void onePeakPerSequenceRankedByValueThenToken() {
        List<TopExamples.Example> ex = TopExamples.of(threeSequences(), 4, 10, 1, 1);
        List<TopExamples.Example> f0 = ex.stream().filter(e -> e.feature() == 0).toList();
        // sequence 0 peaks at token 2 (5.0, beating token 1's 2.0); sequence 2 at token 9 (5.0); sequence 1 at 5
        assertEquals(3, f0.size());
        assertEquals(List.of(2, 9, 5), f0.stream().map(TopExamples.Example::peak).toList());
        assertEquals(List.of(0, 1, 2), f0.stream().map(TopExamples.Example::rank).toList());
        // windows of one token each side, clipped to the sequence: [1,4), [8,11), [4,7)
        assertEquals(1, f0.get(0).start());
        assertEquals(4, f0.get(0).end());
        assertArrayEquals(new float[] {2f, 5f, 0f}, f0.get(0).values());
        assertEquals(8, f0.get(1).start());
        assertArrayEquals(new float[] {0f, 5f, 0f}, f0.get(1).values());
        assertArrayEquals(new float[] {0f, 1f, 0f}, f0.get(2).values());
        TopExamples.Example f1 = ex.stream().filter(e -> e.feature() == 1).findFirst().orElseThrow();
        assertEquals(2, f1.peak());
        assertArrayEquals(new float[] {0f, 0.5f, 0f}, f1.values());
    }

    @Test
    void windowsStopAtSequenceEdgesAndPerFeatureCaps() {
        List<TopExamples.Example> ex = TopExamples.of(threeSequences(), 4, 1, 8, 8);
        TopExamples.Example top = ex.get(0);
        assertEquals(0, top.feature());
        assertEquals(0, top.start());
        assertEquals(4, top.end());
        assertArrayEquals(new float[] {0f, 2f, 5f, 0f}, top.values());
        assertEquals(2, ex.size(), "one example per feature");
    }

    @Test
    void rowsThatAreNotWholeSequencesAreRefused() {
        AtlasException e = assertThrows(AtlasException.class, () -> TopExamples.of(threeSequences(), 5, 3, 1, 1));
        assertTrue(e.getMessage().contains("not whole sequences of 5"), e.getMessage());
    }
}
