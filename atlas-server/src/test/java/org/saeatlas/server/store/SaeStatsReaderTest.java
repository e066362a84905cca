package org.saeatlas.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;

/** Histograms of per-feature statistics against counts worked out by hand. */
class SaeStatsReaderTest {

    @Test
    void valuesOverThreeDecadesGetLogBinsWithZerosApart() {
        // log10 from -3 to 0 in 4 bins of 0.75: 0.001 -> bin 0, 0.01 (0.333) -> 1, 0.1 (0.667) -> 2, 1 (closed) -> 3
        var d = SaeStatsReader.of("FIRING_RATE", 6, new double[] {0.1, 0, 1, 0.001, 0.01}, 4);
        assertEquals("log", d.scale());
        assertEquals(List.of(1, 1, 1, 1), d.counts());
        assertEquals(5, d.binEdges().size());
        assertEquals(0.001, d.binEdges().get(0));
        assertEquals(Math.pow(10, -2.25), d.binEdges().get(1), 1e-15);
        assertEquals(1.0, d.binEdges().get(4));
        assertEquals(1, d.zeros());
        assertEquals(1, d.missing(), "6 features, 5 with the statistic");
        assertEquals(0.0, d.min());
        assertEquals(1.0, d.max());
        assertEquals(1.111 / 5, d.mean(), 1e-12);
        assertEquals(0.01, d.median());
    }

    @Test
    void narrowValuesGetLinearBinsWithTheLastBinClosed() {
        var d = SaeStatsReader.of("MAX_ACTIVATION", 4, new double[] {4, 2, 1, 3}, 3);
        assertEquals("linear", d.scale());
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0), d.binEdges());
        assertEquals(List.of(1, 1, 2), d.counts());
        assertEquals(2.5, d.median());
        assertEquals(0, d.missing());
    }

    @Test
    void noValuesIsAllMissingWithNoInventedSummary() {
        var d = SaeStatsReader.of("FIRING_RATE", 7, new double[0], 10);
        assertEquals(7, d.missing());
        assertNull(d.mean());
        assertNull(d.median());
        assertEquals(List.of(), d.counts());
    }

    @Test
    void unknownStatisticIsRefusedByName() {
        var e = assertThrows(AtlasException.class, () -> SaeStatsReader.Statistic.parse("L0"));
        assertEquals(true, e.getMessage().contains("FIRING_RATE") && e.getMessage().contains("L0"));
    }
}
