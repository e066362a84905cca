package org.saeatlas.compute.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;

/** The sparse-rate planted layers: the requested density, the planted truth in the data, and recovery. */
class SparsePlantedLayersTest {

    @Test
    void eachTokenDrawsAboutTheRequestedActiveFeaturesAndTheTruthHolds() {
        PlantedLayers pl = PlantedLayers.generate(PlantedLayers.Spec.sized(1024, 20_000, 16, 5));
        SparseActivations a = pl.upstream();
        assertEquals(1024, a.featureCount());
        assertEquals(1024, pl.downstream().featureCount());
        double l0 = a.nnz() / (double) a.tokens();
        // 16 independent draws a token (a few collide), plus shadows and gate seconds following their parents
        assertTrue(l0 > 15 && l0 < 16 * 1.4, "upstream L0 " + l0);
        // per token: an OR feature fires exactly where one of its inputs does, with the planted weighted sum
        float[] row = new float[a.featureCount()];
        float[] out = new float[pl.downstream().featureCount()];
        int checked = 0;
        for (int t = 0; t < a.tokens(); t++) {
            java.util.Arrays.fill(row, 0);
            java.util.Arrays.fill(out, 0);
            for (int k = a.rowPtr()[t]; k < a.rowPtr()[t + 1]; k++) {
                row[a.features()[k]] = a.values()[k];
            }
            SparseActivations b = pl.downstream();
            for (int k = b.rowPtr()[t]; k < b.rowPtr()[t + 1]; k++) {
                out[b.features()[k]] = b.values()[k];
            }
            for (int f = 0; f < out.length; f++) {
                int[] in = pl.truth()[f];
                switch (pl.kinds()[f]) {
                    case OR -> {
                        boolean any = false;
                        for (int x : in) {
                            any |= row[x] > 0;
                        }
                        assertEquals(any, out[f] > 0, "OR feature " + f + " at token " + t);
                        checked++;
                    }
                    case PRODUCT -> assertEquals(row[in[0]] > 0 && row[in[1]] > 0, out[f] > 0,
                            "PRODUCT feature " + f + " at token " + t);
                    case AND_NOT -> assertTrue(row[in[1]] == 0 || row[in[0]] > 0, "the inhibitor fires alone at "
                            + t);
                    default -> { }
                }
            }
        }
        assertTrue(checked > 0);
    }

    @Test
    void connectionsAreRecoveredFromSparseLayers() {
        PlantedLayers pl = PlantedLayers.generate(PlantedLayers.Spec.sized(512, 12_000, 12, 9));
        ConnectionResult res = ConnectionGraph.run(pl.upstream(), pl.downstream(),
                ConnectionParameters.defaults().withResamples(4).withThreads(2), new MlpBaseline(16, 20),
                Progress.NONE);
        PlantedRecovery rec = PlantedRecovery.of(pl, res);
        System.out.println(rec.table());
        assertTrue(rec.total().f1() >= 0.9, "F1 " + rec.total().f1());
        assertEquals(rec.total().truePositives(), rec.total().signsRight());
    }

    @Test
    void anImpossibleDensityIsRefused() {
        AtlasException e = assertThrows(AtlasException.class, () -> PlantedLayers.Spec.sized(512, 1000, 1000, 1));
        assertTrue(e.getMessage().contains("active features per token"), e.getMessage());
    }
}
