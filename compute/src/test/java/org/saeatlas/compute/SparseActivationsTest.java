package org.saeatlas.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;
import org.saeatlas.compute.resampling.ResamplingMode;
import org.saeatlas.compute.resampling.TrialRows;

class SparseActivationsTest {

    private static void assertSameColumns(SparseActivations.Columns want, SparseActivations.Columns got) {
        assertArrayEquals(want.colPtr(), got.colPtr());
        assertArrayEquals(want.tokens(), got.tokens());
        assertArrayEquals(want.values(), got.values());
    }

    /** A trial's columns filtered from the input's equal the transpose of the trial's row copy, entry for entry. */
    @Test
    void columnsOfSelectedRowsEqualTheTransposeOfTheCopy() {
        SparseActivations x = PlantedGraph.generate(PlantedSpec.standard(120, 3000, 5)).activations();
        SparseActivations.Columns cols = x.columns();
        for (int[] rows : TrialRows.draw(x.tokens(), 4, ResamplingMode.SUBSAMPLE, 0.5, 9)) {
            assertSameColumns(x.selectRows(rows).columns(), x.selectColumns(cols, rows));
        }
        // hand-sized: tokens 0..3, features 0..2; rows {1, 3}
        SparseActivations small = new SparseActivations(4, 3, new int[] {0, 2, 3, 4, 6}, new int[] {0, 2, 1, 0, 1, 2},
                new float[] {1, 2, 3, 4, 5, 6});
        SparseActivations.Columns picked = small.selectColumns(small.columns(), new int[] {1, 3});
        assertArrayEquals(new int[] {0, 0, 2, 3}, picked.colPtr());
        assertArrayEquals(new int[] {0, 1, 1}, picked.tokens());
        assertArrayEquals(new float[] {3, 5, 6}, picked.values());
        // rows out of order (or repeated) fall back to the copy's transpose
        assertSameColumns(small.selectRows(new int[] {3, 1, 1}).columns(),
                small.selectColumns(small.columns(), new int[] {3, 1, 1}));
    }
}
