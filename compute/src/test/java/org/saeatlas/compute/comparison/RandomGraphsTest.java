package org.saeatlas.compute.comparison;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.graphs.WeightedGraph;

class RandomGraphsTest {

    static WeightedGraph randomGraph(int n, int m, long seed) {
        Random rng = new Random(seed);
        int[] u = new int[m];
        int[] v = new int[m];
        double[] w = new double[m];
        for (int e = 0; e < m; e++) {
            // a skewed degree sequence: low node ids are hubs
            u[e] = (int) (n * Math.pow(rng.nextDouble(), 3));
            v[e] = (u[e] + 1 + rng.nextInt(n - 1)) % n;
            w[e] = rng.nextDouble();
        }
        return WeightedGraph.fromEdges(n, u, v, w);
    }

    @Test
    void erdosRenyiHasTheSameNodesEdgesAndWeightsAndIsSeeded() {
        WeightedGraph g = randomGraph(300, 900, 1);
        WeightedGraph r = RandomGraphs.erdosRenyi(g, 5);
        assertEquals(g.nodes(), r.nodes());
        assertEquals(g.edgeCount(), r.edgeCount());
        assertArrayEquals(sorted(g.edges().w()), sorted(r.edges().w()), 0);
        WeightedGraph again = RandomGraphs.erdosRenyi(g, 5);
        assertArrayEquals(r.targets(), again.targets());
        assertArrayEquals(r.weights(), again.weights(), 0);
        assertThrows(AtlasException.class, () -> RandomGraphs.erdosRenyi(
                WeightedGraph.unweighted(3, new int[] {0, 1}, new int[] {1, 2}), 1));
    }

    @Test
    void rewiringKeepsEveryDegreeButMovesEdges() {
        WeightedGraph g = randomGraph(300, 900, 2);
        WeightedGraph r = RandomGraphs.rewired(g, 10, 3);
        assertEquals(g.edgeCount(), r.edgeCount());
        int kept = 0;
        for (int v = 0; v < g.nodes(); v++) {
            assertEquals(g.degree(v), r.degree(v), "degree of " + v);
            for (int k = g.offsets()[v]; k < g.offsets()[v + 1]; k++) {
                kept += r.hasEdge(v, g.targets()[k]) ? 1 : 0;
            }
        }
        assertNotEquals(0, g.edgeCount() - kept / 2);
        assertArrayEquals(sorted(g.edges().w()), sorted(r.edges().w()), 0);
        assertArrayEquals(r.targets(), RandomGraphs.rewired(g, 10, 3).targets());
    }

    @Test
    void longSetAddsAndRemovesUnderCollisions() {
        LongSet s = new LongSet(4);
        Random rng = new Random(9);
        java.util.Set<Long> ref = new java.util.HashSet<>();
        for (int t = 0; t < 20_000; t++) {
            long k = rng.nextInt(500);
            if (rng.nextBoolean()) {
                assertEquals(ref.add(k), s.add(k));
            } else {
                ref.remove(k);
                s.remove(k);
            }
            assertEquals(ref.size(), s.size());
        }
        for (long k = 0; k < 500; k++) {
            assertEquals(ref.contains(k), s.contains(k));
        }
    }

    /**
     * Hand-checked overlap: A = triangle 0-1-2 plus 2-3 and 3-4; matching 0->1, 1->0, 2->2, 3->3, 4 unmatched.
     * Mapped A edges between matched nodes: 1-0, 0-2, 1-2, 2-3 (3-4 dropped). B = 0-1, 1-2, 2-4, 3-4 on matched
     * nodes {0,1,2,3} keeps 0-1, 1-2 (2-4 and 3-4 touch B's node 4, no partner). Shared 2 of union 4: 0.5.
     */
    @Test
    void edgeOverlapKnownAnswer() {
        WeightedGraph a = WeightedGraph.unweighted(5, new int[] {0, 1, 0, 2, 3}, new int[] {1, 2, 2, 3, 4});
        WeightedGraph b = WeightedGraph.unweighted(5, new int[] {0, 1, 2, 3}, new int[] {1, 2, 4, 4});
        EdgeOverlap o = EdgeOverlap.of(a, b, new int[] {1, 0, 2, 3, -1});
        assertEquals(new EdgeOverlap(4, 2, 2, 0.5), o);
        assertThrows(AtlasException.class, () -> EdgeOverlap.of(a, b, new int[] {1, 1, 2, 3, -1}));
    }

    private static double[] sorted(double[] x) {
        double[] c = x.clone();
        Arrays.sort(c);
        return c;
    }
}
