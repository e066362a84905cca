package org.saeatlas.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The readers' records from stored properties: what was not computed stays null, never 0; numbers keep their value. */
class RecordsTest {

    @Test
    void aFeatureWithoutActivationsHasNoStatistics() {
        Feature f = Feature.of(Map.of("id", "s/3", "sae", "s", "index", 3L, "explanation", "cats"));
        assertEquals("s/3", f.id());
        assertEquals(3L, f.index());
        assertNull(f.firingRate());
        assertNull(f.meanActivation());
        assertNull(f.maxActivation());
        assertNull(f.trainingFiringRate());
        assertNull(f.matchedIn());
        assertNull(f.histogram());
        Feature g = Feature.of(Map.of("id", "s/4", "sae", "s", "index", 4L, "firingRate", 0.0, "matchedIn", 0L,
                "histogram", List.of(5L, 0L, 1L)));
        assertEquals(0.0, g.firingRate(), "a measured 0 stays 0");
        assertEquals(0L, g.matchedIn());
        assertEquals(List.of(5L, 0L, 1L), g.histogram());
        assertNull(Feature.of(null));
    }

    @Test
    void anSaeHasErrorStatisticsOnlyWhenTheyWereComputed() {
        Map<String, Object> stored = new HashMap<>(Map.of("id", "s", "model", "m", "width", 16L, "featureCount", 16L));
        Sae plain = Sae.of(stored);
        assertNull(plain.errorStatistics());
        assertNull(plain.l0());
        assertNull(plain.errorLinearR2());
        assertEquals(16L, plain.featureCount());
        stored.putAll(Map.of("errorStatsTokens", 1000L, "errorStatsSeed", 7L, "errorNormCurve", List.of(3.0, 2.0, 1.0),
                "errorNormCurveRanks", List.of(0L, 10L)));
        Sae.ErrorStatistics e = Sae.of(stored).errorStatistics();
        assertEquals(1000L, e.tokens());
        assertEquals(7.0, e.seed());
        assertNull(e.heldOutFvu());
        assertEquals(List.of(new Sae.CurvePoint(0L, 3.0), new Sae.CurvePoint(10L, 2.0)), e.curve(),
                "ranks and norms side by side, as far as both go");
    }

    @Test
    void anEdgeKeepsItsStoredPropertiesAndAMatchEdgeIsShownByItsScore() {
        Edge e = Edge.of(Map.of("run", "r", "weight", -0.5, "replicates", 30L, "measure", "m1", "key", "0",
                "outgoing", true));
        assertEquals(-0.5, e.strength());
        assertEquals(30L, e.replicates());
        assertEquals(Map.of("run", "r", "weight", -0.5, "replicates", 30L, "measure", "m1", "key", "0"),
                e.properties(), "which end was asked is not a property of the edge");
        Edge match = Edge.of(Map.of("run", "m", "score", 0.9, "method", "decoder_cosine/assignment", "rank", 1L));
        assertNull(match.weight());
        assertEquals(0.9, match.strength());
        assertNull(match.stable());
    }

    @Test
    void aRunSaysWhichSaesItIsOnAndWhatItDidNotStore() {
        Run dependence = Run.of(Map.of("id", "d", "kind", "dependence", "sae", "s", "status", "complete"));
        assertEquals(List.of("s"), dependence.saeIds());
        assertNull(dependence.edgeCount());
        assertNull(dependence.rStar());
        assertFalse(dependence.directed());
        assertEquals(0L, dependence.edgesRevision());
        Run imported = Run.of(Map.of("id", "i", "kind", "imported", "sae", "a", "saes", List.of("a", "b"),
                "directed", true, "edgeCount", 4L, "edgesRevision", 2L, "completedAt", "2026-01-01T00:00:00Z"));
        assertEquals(List.of("a", "b"), imported.saeIds());
        assertTrue(imported.directed());
        assertEquals(new RunRef("i", 2L, 4L, "2026-01-01T00:00:00Z"), RunRef.of(imported));
    }
}
