package org.saeatlas.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;
import org.saeatlas.compute.resampling.ResamplingMode;
import org.saeatlas.compute.resampling.TrialRows;

class SparseActivationsTest {
    private final SparseActivations x = PlantedGraph.generate(PlantedSpec.standard(200, 3000, 4)).activations();

    @Test
    void trialColumnsFromTheParentsColumnsEqualTheTransposedCopy() {
        SparseActivations.Columns parent = x.columns();
        for (ResamplingMode mode : ResamplingMode.values()) {
            int[][] rows = TrialRows.draw(x.tokens(), 6, mode, 0.5, 17);
            for (int[] r : rows) {
                assertSameColumns(x.selectRows(r).columns(), x.selectColumns(parent, r));
            }
        }
    }

    @Test
    void rowsThatAreNotStrictlyIncreasingTakeTheCopysOwnColumns() {
        SparseActivations.Columns parent = x.columns();
        int[] unsorted = {5, 2, 9, 2, 0, 2999};
        assertSameColumns(x.selectRows(unsorted).columns(), x.selectColumns(parent, unsorted));
        SparseActivations.Columns none = x.selectColumns(parent, new int[0]);
        assertEquals(0, none.tokens().length);
        assertEquals(x.featureCount() + 1, none.colPtr().length);
    }

    @Test
    void aHandMadeSelectionKeepsTheDrawnTokensRenumbered() {
        // tokens x features:  t0: f0=1, f2=2;  t1: f1=3;  t2: f0=4, f1=5;  t3: f2=6
        SparseActivations m = new SparseActivations(4, 3, new int[] {0, 2, 3, 5, 6}, new int[] {0, 2, 1, 0, 1, 2},
                new float[] {1, 2, 3, 4, 5, 6});
        SparseActivations.Columns c = m.selectColumns(m.columns(), new int[] {1, 2});
        assertArrayEquals(new int[] {0, 1, 3, 3}, c.colPtr());
        assertArrayEquals(new int[] {1, 0, 1}, c.tokens());
        assertArrayEquals(new float[] {4, 3, 5}, c.values());
    }

    @Test
    void malformedRowsAreRejectedNamingTheFirstBadEntry() {
        int[] ptr = {0, 2, 3};
        assertEquals("activations: token 0 has feature index 1 (expected strictly increasing indices in [0, 3))",
                assertThrows(AtlasException.class, () -> new SparseActivations(2, 3, ptr, new int[] {1, 1, 2},
                        new float[] {1, 2, 3})).getMessage());
        assertEquals("activations: token 1 has feature index 3 (expected strictly increasing indices in [0, 3))",
                assertThrows(AtlasException.class, () -> new SparseActivations(2, 3, ptr, new int[] {0, 1, 3},
                        new float[] {1, 2, 3})).getMessage());
        assertEquals("activations: token 0 has feature index -1 (expected strictly increasing indices in [0, 3))",
                assertThrows(AtlasException.class, () -> new SparseActivations(2, 3, ptr, new int[] {-1, 1, 2},
                        new float[] {1, 2, 3})).getMessage());
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            assertEquals("activations: token 1, feature 2 has value " + bad + " (expected a finite number)",
                    assertThrows(AtlasException.class, () -> new SparseActivations(2, 3, ptr, new int[] {0, 1, 2},
                            new float[] {1, 2, bad})).getMessage());
        }
        assertEquals("activations: row pointer decreases at token 0",
                assertThrows(AtlasException.class, () -> new SparseActivations(2, 3, new int[] {0, -1, 3},
                        new int[] {0, 1, 2}, new float[] {1, 2, 3})).getMessage());
        // the largest finite values and subnormals pass
        new SparseActivations(2, 3, ptr, new int[] {0, 1, 2}, new float[] {Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.MIN_VALUE});
    }

    private static void assertSameColumns(SparseActivations.Columns want, SparseActivations.Columns got) {
        assertArrayEquals(want.colPtr(), got.colPtr());
        assertArrayEquals(want.tokens(), got.tokens());
        assertArrayEquals(want.values(), got.values());
    }
}
