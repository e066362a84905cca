package org.saeatlas.compute.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.graphs.WeightedGraph;

class StructuralMatcherTest {

    /** Star (hub 0, leaves 1-3), triangle 4-5-6 with a pendant 7 on 6, isolated 8. */
    private static final int[] U = {0, 0, 0, 4, 5, 4, 6};
    private static final int[] V = {1, 2, 3, 5, 6, 6, 7};
    /** Structural class of each node: nodes of a class have identical statistics (7 looks like a star leaf). */
    private static final int[] CLASS = {0, 1, 1, 1, 2, 2, 3, 1, -1};
    private static final int[] PERM = {5, 8, 0, 3, 1, 7, 2, 4, 6};

    private static WeightedGraph permuted(int[] perm) {
        int[] u = new int[U.length];
        int[] v = new int[V.length];
        for (int e = 0; e < U.length; e++) {
            u[e] = perm[U[e]];
            v[e] = perm[V[e]];
        }
        return WeightedGraph.unweighted(9, u, v);
    }

    @Test
    void handCheckedStatistics() {
        double[] x = StructuralMatcher.statistics(permuted(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}));
        int dims = StructuralMatcher.DIMS;
        // hub: degree 3, strength 3, no triangles, neighbours of degree 1
        assertArrayEquals(new double[] {Math.log1p(3), Math.log1p(3), 0, Math.log1p(1), Math.log1p(1)},
                Arrays.copyOfRange(x, 0, dims), 1e-12);
        // node 6: degree 3 (4, 5, 7), one triangle among 3 pairs, neighbour degrees 2, 2, 1
        assertArrayEquals(new double[] {Math.log1p(3), Math.log1p(3), 1.0 / 3, Math.log1p(5.0 / 3), Math.log1p(2)},
                Arrays.copyOfRange(x, 6 * dims, 7 * dims), 1e-12);
        // node 4: degree 2, clustering 1
        assertEquals(1.0, x[4 * dims + 2], 1e-12);
        assertTrue(Double.isNaN(x[8 * dims]), "isolated node has no statistics");
    }

    @Test
    void isomorphicGraphsMatchWithinStructuralClasses() {
        WeightedGraph a = permuted(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8});
        WeightedGraph b = permuted(PERM);
        int[] classOfB = new int[9];
        for (int v = 0; v < 9; v++) {
            classOfB[PERM[v]] = CLASS[v];
        }
        CandidateSet c = StructuralMatcher.candidates(a, b, 2);
        // each A node's best candidate is at distance 0 (score 1) and in its class
        for (int i = 0; i < 9; i++) {
            if (CLASS[i] < 0) {
                assertEquals(c.rowStart(i), c.rowStart(i + 1), "isolated node has no candidates");
                continue;
            }
            int best = -1;
            double s = -1;
            for (int n = c.rowStart(i); n < c.rowStart(i + 1); n++) {
                if (c.score()[n] > s) {
                    s = c.score()[n];
                    best = c.b()[n];
                }
            }
            assertEquals(1.0, s, 1e-12);
            assertEquals(CLASS[i], classOfB[best], "node " + i);
        }
        FeatureMatches m = StructuralMatcher.match(a, b, new MatchParameters(3, 0.99, 0.99, 1, 1),
                org.saeatlas.compute.Progress.NONE);
        assertEquals(8, m.assignment().matches().size());
        for (Match x : m.assignment().matches()) {
            assertEquals(CLASS[x.a()], classOfB[x.b()]);
            assertEquals("structural/assignment", x.method());
        }
        // the unique nodes go to their true partners
        int[] p = m.assignment().partnerOfA();
        for (int v : new int[] {0, 6}) {
            assertEquals(PERM[v], p[v]);
        }
    }

    @Test
    void kdTreeIsExact() {
        Random rnd = new Random(3);
        int n = 500;
        int dims = StructuralMatcher.DIMS;
        double[] x = new double[n * dims];
        for (int r = 0; r < x.length; r++) {
            x[r] = Math.round(rnd.nextGaussian() * 4) / 4.0; // coarse grid: many ties
        }
        double[] q = new double[50 * dims];
        for (int r = 0; r < q.length; r++) {
            q[r] = Math.round(rnd.nextGaussian() * 4) / 4.0;
        }
        StructuralMatcher.KdTree tree = new StructuralMatcher.KdTree(x);
        int k = 7;
        int[] idx = new int[k];
        double[] dist = new double[k];
        for (int row = 0; row < 50; row++) {
            assertEquals(k, tree.nearest(q, row, k, idx, dist));
            final int qr = row;
            Integer[] all = new Integer[n];
            double[] d2 = new double[n];
            for (int v = 0; v < n; v++) {
                all[v] = v;
                for (int d = 0; d < dims; d++) {
                    double t = x[v * dims + d] - q[qr * dims + d];
                    d2[v] += t * t;
                }
            }
            Arrays.sort(all, (u, v) -> d2[u] != d2[v] ? Double.compare(d2[u], d2[v]) : Integer.compare(u, v));
            for (int r = 0; r < k; r++) {
                assertEquals(all[r], idx[r], "query " + row + " rank " + r);
            }
        }
    }
}
