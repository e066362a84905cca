package org.saeatlas.compute.planted;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.saeatlas.compute.SparseActivations;

class PlantedGraphTest {
    private final PlantedGraph g = PlantedGraph.generate(PlantedSpec.standard(500, 20_000, 5));

    @Test
    void looksLikeSaeActivations() {
        SparseActivations x = g.activations();
        assertTrue(x.sparsity() > 0.99 && x.sparsity() < 0.999, "sparsity " + x.sparsity());
        for (float v : x.values()) {
            assertTrue(v > 0, "non-negative, zeros not stored");
        }
        assertTrue(g.plantedEdges() > 100, "planted edges " + g.plantedEdges());
    }

    @Test
    void sameSeedSameData() {
        PlantedGraph again = PlantedGraph.generate(PlantedSpec.standard(500, 20_000, 5));
        assertArrayEquals(g.activations().features(), again.activations().features());
        assertArrayEquals(g.activations().values(), again.activations().values());
        assertArrayEquals(g.truthI(), again.truthI());
    }

    @Test
    void classifiesTrueIndirectAndChanceEdges() {
        int i = g.truthI()[0];
        int j = g.truthJ()[0];
        assertEquals(PlantedGraph.EdgeKind.TRUE, g.classify(j, i));
        int indirect = -1;
        for (int f = 0; f < g.component().length && indirect < 0; f++) {
            if (f != i && g.component()[f] == g.component()[i] && g.classify(i, f) != PlantedGraph.EdgeKind.TRUE) {
                indirect = f;
            }
        }
        int chance = -1;
        for (int f = 0; f < g.component().length && chance < 0; f++) {
            chance = g.component()[f] != g.component()[i] ? f : -1;
        }
        assertEquals(PlantedGraph.EdgeKind.CHANCE, g.classify(i, chance));
        if (indirect >= 0) {
            assertEquals(PlantedGraph.EdgeKind.INDIRECT, g.classify(i, indirect));
        }
        PlantedGraph.Score s = g.score(new int[] {i, i}, new int[] {j, chance});
        assertEquals(1, s.trueEdges());
        assertEquals(1, s.chance());
        assertEquals(0.5, s.precision());
    }
}
