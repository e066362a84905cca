package org.saeatlas.compute.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.saeatlas.compute.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PlantedConnectionsTest {
    private static PlantedLayers planted;
    private static ConnectionResult result;
    private static PlantedRecovery recovery;

    @BeforeAll
    static void run() {
        planted = PlantedLayers.generate(PlantedLayers.Spec.small(7));
        long start = System.nanoTime();
        result = ConnectionGraph.run(planted.upstream(), planted.downstream(),
                ConnectionParameters.defaults().withResamples(10).withThreads(2), new MlpBaseline(16, 40),
                Progress.NONE);
        recovery = PlantedRecovery.of(planted, result);
        System.out.println(recovery.table());
        System.out.println(result.fdrTable().rStar() + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    @Test
    void supportIsRecoveredAtTheAutomaticThreshold() {
        assertTrue(result.fdrTable().rStar().isPresent(), "an r* at FDR 0.1");
        assertTrue(recovery.total().f1() >= 0.9, "F1 " + recovery.total().f1());
    }

    @Test
    void nonlinearFeaturesAreFlaggedAndLinearOnesAreNot() {
        assertEquals(planted.kinds().length, result.linearity().size(), "every feature fires often enough");
        for (FeatureLinearity fl : result.linearity()) {
            PlantedLayers.Kind kind = planted.kinds()[fl.feature()];
            if (kind == PlantedLayers.Kind.PRODUCT || kind == PlantedLayers.Kind.XOR) {
                assertFalse(fl.linear(), kind + " " + fl);
                assertTrue(fl.lossDifference() > 0.05, kind + " " + fl);
            } else if (kind == PlantedLayers.Kind.OR || kind == PlantedLayers.Kind.AND_NOT) {
                assertTrue(fl.linear(), kind + " " + fl);
                assertTrue(fl.linearR2() > 0.99, kind + " " + fl);
            }
        }
    }

    @Test
    void andNotGetsItsNegativeWeight() {
        int negatives = 0;
        for (Connection c : result.stable()) {
            if (c.weight() < 0) {
                assertEquals(PlantedLayers.Kind.AND_NOT, planted.kinds()[c.downstream()], c.toString());
                assertEquals(planted.truth()[c.downstream()][1], c.upstream());
                assertEquals(-0.5, c.weight(), 0.05, c.toString());
                negatives++;
            }
        }
        assertEquals(10, negatives);
    }

    @Test
    void signsAreRight() {
        assertEquals(recovery.total().truePositives(), recovery.total().signsRight());
    }
}
