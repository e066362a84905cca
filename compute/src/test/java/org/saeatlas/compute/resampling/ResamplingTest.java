package org.saeatlas.compute.resampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;

class ResamplingTest {

    @Test
    void aNullCopysColumnsAreTheColumnsOfItsRows() {
        SparseActivations x = PlantedGraph.generate(PlantedSpec.standard(150, 2500, 6)).activations();
        ColumnPermutation.Permuted copy = ColumnPermutation.permute(x, x.columns(), 99, 2);
        SparseActivations.Columns want = copy.matrix().columns();
        assertArrayEquals(want.colPtr(), copy.columns().colPtr());
        assertArrayEquals(want.tokens(), copy.columns().tokens());
        assertArrayEquals(want.values(), copy.columns().values());
        SparseActivations plain = ColumnPermutation.permute(x, 99, 1);
        assertArrayEquals(plain.rowPtr(), copy.matrix().rowPtr());
        assertArrayEquals(plain.features(), copy.matrix().features());
        assertArrayEquals(plain.values(), copy.matrix().values());
        assertNotEquals(Arrays.toString(x.features()), Arrays.toString(plain.features()));
    }

    @Test
    void disjointBlocksNeverShareATokenAndAreSorted() {
        int[][] rows = TrialRows.draw(1003, 10, ResamplingMode.DISJOINT, 0.5, 9);
        Set<Integer> seen = new HashSet<>();
        for (int[] r : rows) {
            assertEquals(100, r.length);
            for (int k = 1; k < r.length; k++) {
                assertEquals(true, r[k - 1] < r[k]);
            }
            Arrays.stream(r).forEach(t -> assertEquals(true, seen.add(t), "token reused: " + t));
        }
    }

    @Test
    void subsamplesHaveTheFractionAndDifferAcrossTrials() {
        int[][] rows = TrialRows.draw(1000, 3, ResamplingMode.SUBSAMPLE, 0.3, 9);
        assertEquals(300, rows[0].length);
        assertEquals(300, Arrays.stream(rows[1]).distinct().count());
        assertNotEquals(Arrays.toString(rows[0]), Arrays.toString(rows[1]));
        assertArrayEquals(rows[2], TrialRows.draw(1000, 3, ResamplingMode.SUBSAMPLE, 0.3, 9)[2]);
    }

    @Test
    void tooFewTokensPerTrialIsAnError() {
        AtlasException e = assertThrows(AtlasException.class,
                () -> TrialRows.draw(10, 30, ResamplingMode.DISJOINT, 0.5, 1));
        assertEquals(true, e.getMessage().contains("expected at least 2"));
    }

    @Test
    void columnPermutationKeepsEachColumnsValuesAndIsThreadIndependent() {
        SparseActivations x = PlantedGraph.generate(PlantedSpec.standard(200, 3000, 4)).activations();
        SparseActivations a = ColumnPermutation.permute(x, 77, 1);
        SparseActivations b = ColumnPermutation.permute(x, 77, 3);
        assertArrayEquals(a.rowPtr(), b.rowPtr());
        assertArrayEquals(a.features(), b.features());
        assertArrayEquals(a.values(), b.values());
        SparseActivations.Columns before = x.columns();
        SparseActivations.Columns after = a.columns();
        for (int f = 0; f < x.featureCount(); f++) {
            float[] v0 = Arrays.copyOfRange(before.values(), before.colPtr()[f], before.colPtr()[f + 1]);
            float[] v1 = Arrays.copyOfRange(after.values(), after.colPtr()[f], after.colPtr()[f + 1]);
            Arrays.sort(v0);
            Arrays.sort(v1);
            assertArrayEquals(v0, v1, "column " + f);
        }
        assertNotEquals(Arrays.toString(x.features()), Arrays.toString(a.features()));
    }
}
