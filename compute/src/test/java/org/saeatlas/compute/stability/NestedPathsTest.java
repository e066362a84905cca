package org.saeatlas.compute.stability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.SparseActivations;

class NestedPathsTest {

    /** Tokens 0..29; per feature the tokens it fires on. */
    private static SparseActivations matrix(int[][] firesOn) {
        int tokens = 30;
        List<List<Integer>> rows = new ArrayList<>();
        for (int t = 0; t < tokens; t++) {
            rows.add(new ArrayList<>());
        }
        for (int f = 0; f < firesOn.length; f++) {
            for (int t : firesOn[f]) {
                rows.get(t).add(f);
            }
        }
        int[] rowPtr = new int[tokens + 1];
        List<Integer> feats = new ArrayList<>();
        for (int t = 0; t < tokens; t++) {
            feats.addAll(rows.get(t));
            rowPtr[t + 1] = feats.size();
        }
        float[] values = new float[feats.size()];
        java.util.Arrays.fill(values, 1f);
        return new SparseActivations(tokens, firesOn.length, rowPtr, feats.stream().mapToInt(Integer::intValue).toArray(),
                values);
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    private static StableEdge edge(int i, int j, int replicates) {
        return new StableEdge(i, j, replicates, 0, 0.5, 0.5, 1.0, false);
    }

    @Test
    void siblingsInsideTheirParentCloseANestedTwoPathModuleMembersDoNot() {
        int[][] fires = {
            range(0, 10),                                  // 0: parent
            range(0, 5),                                   // 1: child, inside 0
            range(5, 9),                                   // 2: child, inside 0
            range(10, 20),                                 // 3, 4, 5: a module, none inside another
            java.util.stream.IntStream.concat(java.util.stream.IntStream.range(10, 15),
                    java.util.stream.IntStream.range(20, 25)).toArray(),
            java.util.stream.IntStream.concat(java.util.stream.IntStream.range(15, 18),
                    java.util.stream.IntStream.range(25, 30)).toArray(),
        };
        List<StableEdge> edges = List.of(edge(0, 1, 5), edge(0, 2, 4), edge(1, 2, 3), edge(3, 4, 6), edge(3, 5, 6),
                edge(4, 5, 6));
        int[] closed = NestedPaths.closedUpTo(matrix(fires), edges);
        // (1, 2) closes 1 - 0 - 2 while all three edges are seen: up to min(3, 5, 4) = 3; (0, 1) and (0, 2) have
        // only each other's child as common neighbour, and siblings are not nested; the module closes none
        assertArrayEquals(new int[] {0, 0, 3, 0, 0, 0}, closed);
        assertArrayEquals(new long[] {1, 1, 1, 0, 0, 0}, NestedPaths.countByR(edges, closed, 6));
    }

    @Test
    void edgesTouchingANestedPairAreNearNested() {
        int[][] fires = {range(0, 10), range(0, 5), range(5, 9), range(10, 20),
            java.util.stream.IntStream.concat(java.util.stream.IntStream.range(10, 15),
                    java.util.stream.IntStream.range(20, 25)).toArray()};
        List<StableEdge> edges = List.of(edge(0, 1, 5), edge(0, 2, 4), edge(1, 2, 3), edge(3, 4, 6), edge(2, 3, 8));
        // (0,1) and (0,2) are nested pairs; (1,2) touches both up to its own 3; (2,3) touches (0,2) up to 4;
        // the module pair (3,4) touches no nested pair
        assertArrayEquals(new int[] {5, 4, 3, 0, 4}, NestedPaths.nearNestedUpTo(matrix(fires), edges));
    }

    @Test
    void aSiblingPairIsExplainedAwayByItsParentAndTheParentChildEdgesStay() {
        // parent 0 fires on tokens 0..27 with values 1..28; children 1 and 2 fire inside it at independent
        // multiples of the parent (so they share nothing beyond the parent's value)
        int tokens = 30;
        float[][] v = new float[tokens][3];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (int t = 0; t < 28; t++) {
            v[t][0] = t + 1;
            v[t][1] = rng.nextDouble() < 0.7 ? (float) ((t + 1) * (0.5 + rng.nextDouble())) : 0f;
            v[t][2] = rng.nextDouble() < 0.7 ? (float) ((t + 1) * (0.5 + rng.nextDouble())) : 0f;
        }
        int[] rowPtr = new int[tokens + 1];
        List<Integer> f = new ArrayList<>();
        List<Float> val = new ArrayList<>();
        for (int t = 0; t < tokens; t++) {
            for (int j = 0; j < 3; j++) {
                if (v[t][j] != 0) {
                    f.add(j);
                    val.add(v[t][j]);
                }
            }
            rowPtr[t + 1] = f.size();
        }
        float[] values = new float[val.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = val.get(k);
        }
        SparseActivations x = new SparseActivations(tokens, 3, rowPtr, f.stream().mapToInt(Integer::intValue).toArray(),
                values);
        List<StableEdge> edges = List.of(edge(0, 1, 9), edge(0, 2, 9), edge(1, 2, 9));
        ExplainAway.Result r = ExplainAway.find(x, edges);
        // only (1,2) closes a nested two-path (1 and 2 are each nested in 0; 0-1 and 0-2 have no nested third)
        assertEquals(1, r.tested());
        assertArrayEquals(new long[] {1L * 3 + 2}, r.keys(), "the sibling pair is explained away by the parent");
        assertArrayEquals(new int[] {0}, r.by());
    }

    @Test
    void aGrandchildInsideItsParentInsideTheGrandparentClosesOne() {
        int[][] fires = {range(0, 20), range(0, 10), range(0, 4)};
        List<StableEdge> edges = List.of(edge(0, 1, 9), edge(0, 2, 2), edge(1, 2, 7));
        // every edge has the third feature as a nested common neighbour, up to the weakest edge of the triangle
        assertArrayEquals(new int[] {2, 2, 2}, NestedPaths.closedUpTo(matrix(fires), edges));
    }

    /** Dense token x feature values as a sparse matrix (zeros left out). */
    private static SparseActivations dense(float[][] v) {
        int tokens = v.length;
        int[] rowPtr = new int[tokens + 1];
        List<Integer> f = new ArrayList<>();
        List<Float> val = new ArrayList<>();
        for (int t = 0; t < tokens; t++) {
            for (int j = 0; j < v[t].length; j++) {
                if (v[t][j] != 0) {
                    f.add(j);
                    val.add(v[t][j]);
                }
            }
            rowPtr[t + 1] = f.size();
        }
        float[] values = new float[val.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = val.get(k);
        }
        return new SparseActivations(tokens, v[0].length, rowPtr, f.stream().mapToInt(Integer::intValue).toArray(),
                values);
    }

    /**
     * A two-level tree: root 0 (heavy-tailed values), children 1 and 2 inside it, grandchildren 3 inside 1 and 4
     * inside 2, each a multiple of its parent's value with its own noise, so a node's spread grows with its parent's
     * value. The cousins 3 and 4 share no neighbour, yet both lie inside the root (two nested steps above each): the
     * edge between them is tested given the root and explained away, while every parent-child edge, tested given the
     * root too, stays (a child depends on its parent beyond the root's value).
     */
    @Test
    void cousinsAreExplainedAwayByTheirCommonAncestorAndParentChildEdgesStay() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
        int tokens = 3000;
        float[][] v = new float[tokens][5];
        for (int t = 0; t < tokens; t++) {
            if (rng.nextDouble() >= 0.3) {
                continue;
            }
            double root = Math.exp(rng.nextGaussian());
            v[t][0] = (float) root;
            double c1 = rng.nextDouble() < 0.6 ? root * 0.8 * Math.exp(0.3 * rng.nextGaussian()) : 0;
            double c2 = rng.nextDouble() < 0.6 ? root * 1.2 * Math.exp(0.3 * rng.nextGaussian()) : 0;
            v[t][1] = (float) c1;
            v[t][2] = (float) c2;
            v[t][3] = c1 > 0 && rng.nextDouble() < 0.6 ? (float) (c1 * Math.exp(0.3 * rng.nextGaussian())) : 0f;
            v[t][4] = c2 > 0 && rng.nextDouble() < 0.6 ? (float) (c2 * Math.exp(0.3 * rng.nextGaussian())) : 0f;
        }
        List<StableEdge> edges = List.of(edge(0, 1, 9), edge(0, 2, 9), edge(1, 3, 9), edge(2, 4, 9), edge(3, 4, 2));
        ExplainAway.Result r = ExplainAway.find(dense(v), edges);
        assertArrayEquals(new long[] {3L * 5 + 4}, r.keys(), "only the cousins are explained away");
        assertArrayEquals(new int[] {0}, r.by(), "by the root");
        // tested: the cousins (given the root) and the two grandchild edges (given the root, which holds both ends)
        assertEquals(3, r.tested());
    }

    /**
     * Siblings whose spread grows with their parent's heavy-tailed value, in 40 independent data sets: the
     * parent-weighted partial correlation rejects conditional independence at p < 0.001 about as rarely as it should,
     * while the unweighted one, with its constant-spread assumption, rejects it in many; a parent-child edge tested
     * within a grandchild's support stays dependent.
     */
    @Test
    void theWeightedTestSeesNoDependenceBetweenSiblingsWhoseSpreadFollowsTheParent() {
        double cut = org.saeatlas.compute.correlation.FisherZ.criticalZ(0.001);
        int weightedRejects = 0;
        int unweightedRejects = 0;
        for (int rep = 0; rep < 40; rep++) {
            java.util.SplittableRandom rng = new java.util.SplittableRandom(rep);
            int tokens = 1500;
            float[][] v = new float[tokens][4];
            for (int t = 0; t < tokens; t++) {
                double parent = Math.exp(1.2 * rng.nextGaussian());
                v[t][0] = (float) parent;
                v[t][1] = (float) (parent * Math.exp(0.3 * rng.nextGaussian()));
                v[t][2] = (float) (parent * Math.exp(0.3 * rng.nextGaussian()));
                v[t][3] = rng.nextDouble() < 0.5 ? (float) (v[t][1] * Math.exp(0.3 * rng.nextGaussian())) : 0f;
            }
            SparseActivations.Columns cols = dense(v).columns();
            weightedRejects += Math.abs(ExplainAway.partialZ(cols, 1, 2, 0)) > cut ? 1 : 0;
            unweightedRejects += Math.abs(unweightedPartialZ(v, 1, 2, 0)) > cut ? 1 : 0;
            double parentChild = ExplainAway.partialZ(cols, 0, 1, 3);
            assertTrue(parentChild > 2 * cut, "parent and child given the grandchild: z " + parentChild);
        }
        assertTrue(weightedRejects <= 2, "weighted: siblings called dependent in " + weightedRejects + " of 40");
        assertTrue(unweightedRejects >= 10, "unweighted: siblings called dependent in " + unweightedRejects + " of 40");
    }

    /** Fisher z (sqrt(n - 4) atanh) of the plain partial correlation of columns i and j given k over all rows. */
    private static double unweightedPartialZ(float[][] v, int i, int j, int k) {
        double[][] c = new double[3][3];
        int[] f = {i, j, k};
        double[] mean = new double[3];
        for (float[] row : v) {
            for (int a = 0; a < 3; a++) {
                mean[a] += row[f[a]] / (double) v.length;
            }
        }
        for (float[] row : v) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    c[a][b] += (row[f[a]] - mean[a]) * (row[f[b]] - mean[b]);
                }
            }
        }
        double rij = c[0][1] / Math.sqrt(c[0][0] * c[1][1]);
        double rik = c[0][2] / Math.sqrt(c[0][0] * c[2][2]);
        double rjk = c[1][2] / Math.sqrt(c[1][1] * c[2][2]);
        double partial = (rij - rik * rjk) / Math.sqrt((1 - rik * rik) * (1 - rjk * rjk));
        return 0.5 * Math.log((1 + partial) / (1 - partial)) * Math.sqrt(v.length - 4);
    }
}
