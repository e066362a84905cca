package org.saeatlas.compute.stability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
