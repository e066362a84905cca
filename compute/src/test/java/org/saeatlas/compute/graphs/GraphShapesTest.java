package org.saeatlas.compute.graphs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.Progress;

class GraphShapesTest {
    private static final ShapeParameters P = ShapeParameters.defaults();

    static WeightedGraph graph(int n, int[][] edges) {
        int[] u = new int[edges.length];
        int[] v = new int[edges.length];
        for (int e = 0; e < edges.length; e++) {
            u[e] = edges[e][0];
            v[e] = edges[e][1];
        }
        return WeightedGraph.unweighted(n, u, v);
    }

    static WeightedGraph star(int n) {
        int[][] e = new int[n - 1][];
        for (int i = 1; i < n; i++) {
            e[i - 1] = new int[] {0, i};
        }
        return graph(n, e);
    }

    static WeightedGraph clique(int n) {
        List<int[]> e = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                e.add(new int[] {i, j});
            }
        }
        return graph(n, e.toArray(int[][]::new));
    }

    static WeightedGraph path(int n) {
        int[][] e = new int[n - 1][];
        for (int i = 0; i + 1 < n; i++) {
            e[i] = new int[] {i, i + 1};
        }
        return graph(n, e);
    }

    static int[] all(int n) {
        int[] m = new int[n];
        for (int i = 0; i < n; i++) {
            m[i] = i;
        }
        return m;
    }

    /** Star of 7: 6 edges, density 6/21, centralisation (5 * 6) / (6 * 5) = 1, clustering 0, diameter 2. */
    @Test
    void starIsHubAndSpokeWithCentralisationOne() {
        Shape s = GraphShapes.of(star(7), all(7), null, P);
        assertEquals(7, s.size());
        assertEquals(6, s.edges());
        assertEquals(6 / 21.0, s.density(), 1e-12);
        assertEquals(6, s.maxDegree());
        assertEquals(12 / 7.0, s.meanDegree(), 1e-12);
        assertEquals(1.0, s.centralisation(), 1e-12);
        assertEquals(0.0, s.clustering(), 1e-12);
        assertEquals(2, s.diameter());
        assertTrue(s.diameterExact());
        assertEquals(ShapeType.HUB_AND_SPOKE, s.type());
        assertTrue(s.reason().contains("centralisation 1.000 >= 0.6"), s.reason());
        assertTrue(Double.isNaN(s.meanCosine()));
        assertFalse(s.nearDuplicate());
    }

    /** K6: density 1, centralisation 0, clustering 1, diameter 1. */
    @Test
    void cliqueIsNearCliqueWithDensityOne() {
        Shape s = GraphShapes.of(clique(6), all(6), null, P);
        assertEquals(15, s.edges());
        assertEquals(1.0, s.density(), 1e-12);
        assertEquals(0.0, s.centralisation(), 1e-12);
        assertEquals(1.0, s.clustering(), 1e-12);
        assertEquals(1, s.diameter());
        assertEquals(ShapeType.NEAR_CLIQUE, s.type());
    }

    /** P8: diameter 7 = n-1, chain score 1, centralisation 2 / (7 * 6), max degree 2. */
    @Test
    void pathIsChainWithDiameterNMinusOne() {
        Shape s = GraphShapes.of(path(8), all(8), null, P);
        assertEquals(7, s.diameter());
        assertEquals(1.0, s.chainScore(), 1e-12);
        assertEquals(2.0 / 42, s.centralisation(), 1e-12);
        assertEquals(2, s.maxDegree());
        assertEquals(ShapeType.CHAIN, s.type());
    }

    /**
     * Hand-computed mixed case: a triangle 0-1-2 with a tail 2-3 and 3-4. Degrees 2,2,3,2,1: density 5/10,
     * centralisation (1+1+0+1+2)/(4*3) = 5/12, local clustering 1,1,1/3,0,0 -> mean 7/15, diameter 3 (0 to 4),
     * chain score 3/4 with max degree 3 -> CHAIN by the thresholds 0.6 and 3.
     */
    @Test
    void handComputedTriangleWithTail() {
        WeightedGraph g = graph(5, new int[][] {{0, 1}, {1, 2}, {0, 2}, {2, 3}, {3, 4}});
        Shape s = GraphShapes.of(g, all(5), null, P);
        assertEquals(0.5, s.density(), 1e-12);
        assertEquals(5 / 12.0, s.centralisation(), 1e-12);
        assertEquals(7 / 15.0, s.clustering(), 1e-12);
        assertEquals(3, s.diameter());
        assertEquals(ShapeType.CHAIN, s.type());
        Shape strict = GraphShapes.of(g, all(5), null, new ShapeParameters(0.75, 0.6, 0.8, 3, 2048, 4, 0.7, 100, 1));
        assertEquals(ShapeType.MIXED, strict.type());
    }

    @Test
    void tinyGroupsAreTooSmallAndMeanCosineFlagsNearDuplicates() {
        WeightedGraph g = graph(4, new int[][] {{0, 1}, {2, 3}});
        PairScore cos = (a, b) -> a / 2 == b / 2 ? 0.9 : 0.1;
        Shape pair = GraphShapes.of(g, new int[] {0, 1}, cos, P);
        assertEquals(ShapeType.TOO_SMALL, pair.type());
        assertEquals(1.0, pair.density(), 1e-12);
        assertEquals(0.9, pair.meanCosine(), 1e-12);
        assertEquals(1, pair.cosinePairs());
        assertTrue(pair.nearDuplicate());
        Shape mixed = GraphShapes.of(g, new int[] {0, 1, 2, 3}, cos, P);
        assertEquals((0.9 * 2 + 0.1 * 4) / 6, mixed.meanCosine(), 1e-12);
        assertFalse(mixed.nearDuplicate());
        Shape single = GraphShapes.of(g, new int[] {3}, cos, P);
        assertEquals(0, single.diameter());
        assertTrue(Double.isNaN(single.meanCosine()));
    }

    @Test
    void largeGroupsGetDiameterBoundsAndSampledCosines() {
        ShapeParameters bounded = new ShapeParameters(0.75, 0.6, 0.6, 3, 10, 4, 0.7, 50, 9);
        // a path: double sweeps find both ends, so the bounds meet at n-1
        Shape p = GraphShapes.of(path(100), all(100), (a, b) -> 0.5, bounded);
        assertEquals(99, p.diameter());
        assertTrue(p.diameterExact());
        assertEquals(50, p.cosinePairs());
        assertEquals(0.5, p.meanCosine(), 1e-12);
        // a cycle of 100: every eccentricity is 50, so the lower bound is exact but the upper bound stays at 99
        int[][] e = new int[100][];
        for (int i = 0; i < 100; i++) {
            e[i] = new int[] {i, (i + 1) % 100};
        }
        Shape c = GraphShapes.of(graph(100, e), all(100), null, bounded);
        assertEquals(50, c.diameter());
        assertEquals(99, c.diameterUpper());
        assertFalse(c.diameterExact());
        Shape exact = GraphShapes.of(graph(100, e), all(100), null, P);
        assertEquals(50, exact.diameter());
        assertTrue(exact.diameterExact());
    }

    @Test
    void partitionShapesEqualOneByOneShapes() {
        Random rng = new Random(1);
        int n = 200;
        int[] u = new int[600];
        int[] v = new int[600];
        for (int k = 0; k < u.length; k++) {
            u[k] = rng.nextInt(n);
            v[k] = (u[k] + 1 + rng.nextInt(n - 1)) % n;
        }
        WeightedGraph g = WeightedGraph.unweighted(n, u, v);
        int[] labels = new int[n];
        for (int x = 0; x < n; x++) {
            labels[x] = x % 7 == 0 ? -1 : x % 5;
        }
        List<Shape> shapes = GraphShapes.ofPartition(g, labels, (a, b) -> (a + b) % 3 / 3.0, P, Progress.NONE);
        assertEquals(5, shapes.size());
        int[][] members = Partitions.members(labels, 5);
        for (int c = 0; c < 5; c++) {
            assertEquals(GraphShapes.of(g, members[c], (a, b) -> (a + b) % 3 / 3.0, P), shapes.get(c));
        }
    }

    @Test
    void componentsAreNumberedBySizeThenSmallestNode() {
        WeightedGraph g = graph(9, new int[][] {{7, 8}, {1, 2}, {2, 3}, {5, 6}});
        ConnectedComponents cc = ConnectedComponents.of(g);
        assertArrayEquals(new int[] {3, 2, 2, 1, 1}, cc.sizes());
        assertArrayEquals(new int[] {3, 0, 0, 0, 4, 1, 1, 2, 2}, cc.componentOf());
        assertArrayEquals(new int[] {5, 6}, cc.members(1));
        assertArrayEquals(new int[] {4}, cc.allMembers()[4]);
    }

    @Test
    void graphKeepsTheLargestWeightOfARepeatedEdgeAndSortsAdjacency() {
        WeightedGraph g = WeightedGraph.fromEdges(4, new int[] {2, 0, 1, 3, 0}, new int[] {0, 1, 0, 0, 3},
                new double[] {0.5, 0.2, 0.7, 1.0, 0.1});
        assertEquals(3, g.edgeCount());
        assertArrayEquals(new int[] {1, 2, 3}, java.util.Arrays.copyOfRange(g.targets(), 0, 3));
        assertEquals(0.7, g.weights()[g.find(0, 1)], 0);
        assertEquals(1.0, g.weights()[g.find(3, 0)], 0);
        assertEquals(2.2, g.strength(0), 1e-12);
        assertArrayEquals(new long[] {0, 3, 0, 1}, Distributions.degreeCounts(g));
        Distributions.StrengthBins bins = Distributions.strengthBins(2, g);
        // strengths 2.2, 0.7, 0.5, 1.0 into (0, 1.1] and (1.1, 2.2]
        assertArrayEquals(new long[] {0, 3, 1}, Distributions.strengthCounts(g, bins));
        WeightedGraph h = g.induced(new int[] {3, 0});
        assertEquals(1, h.edgeCount());
        assertTrue(h.hasEdge(0, 1));
    }
}
