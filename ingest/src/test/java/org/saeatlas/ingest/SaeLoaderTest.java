package org.saeatlas.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.stability.StableEdge;

class SaeLoaderTest {

    static StableEdge edge(double weight, boolean stable) {
        return new StableEdge(0, 1, 5, 0, weight, weight, 1.0, stable);
    }

    /** Hand-computed: |cos| = 0.1, 0.2, 0.3 with |w| = 0.2, 0.4, 0.6 is perfectly correlated; unstable edges are ignored. */
    @Test
    void cosineStrengthCorrelationOverStableEdgesOnly() {
        List<StableEdge> edges = List.of(edge(0.2, true), edge(-0.4, true), edge(0.6, true), edge(9.0, false));
        float[] cosine = {0.1f, -0.2f, 0.3f, -0.9f};
        assertEquals(1.0, SaeLoader.cosineStrengthCorrelation(edges, cosine), 1e-6);
        // reversed order: perfectly anti-correlated
        assertEquals(-1.0, SaeLoader.cosineStrengthCorrelation(edges, new float[] {0.3f, 0.2f, 0.1f, 0f}), 1e-6);
        assertNull(SaeLoader.cosineStrengthCorrelation(edges.subList(0, 2), cosine));
    }
}
