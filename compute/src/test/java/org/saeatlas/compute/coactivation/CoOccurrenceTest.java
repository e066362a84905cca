package org.saeatlas.compute.coactivation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;

class CoOccurrenceTest {

    /** Hand-computed: 4 tokens, 3 features. x0 = (1,2,0,0), x1 = (1,0,3,0), x2 = (0,0,0,5). */
    @Test
    void handComputedCase() {
        SparseActivations x = new SparseActivations(4, 3, new int[] {0, 2, 3, 4, 5},
                new int[] {0, 1, 0, 1, 2}, new float[] {1, 1, 2, 3, 5});
        CoOccurrence m = CoOccurrence.of(x, 1, Progress.NONE);
        assertArrayEquals(new int[] {2, 2, 1}, m.count());
        assertEquals(1, m.pairs()); // only (0,1) co-fire, on token 0
        assertEquals(1, m.pairJ()[0]);
        assertEquals(1, m.pairCount()[0]);
        assertEquals(1.0, m.pairSumProd()[0], 1e-12);
        // means 0.75 and 1.0; E[x0^2]=1.25 -> var 0.6875; E[x1^2]=2.5 -> var 1.5; cov = 0.25 - 0.75 = -0.5
        double expected = -0.5 / Math.sqrt(0.6875 * 1.5);
        assertEquals(expected, m.pearson(0, 0L), 1e-12);
        // jaccard: both on 1 token, union 3
        assertEquals(1.0 / 3.0, m.jaccard(0, 0L), 1e-12);
    }

    /** The sparse kernel against a naive dense Pearson on random sparse data, at 1 and 3 threads. */
    @Test
    void matchesDenseComputationAtAnyThreadCount() {
        int n = 400;
        int p = 30;
        Random rng = new Random(3);
        double[][] dense = new double[n][p];
        int[] ptr = new int[n + 1];
        int[] feat = new int[n * p];
        float[] val = new float[n * p];
        int nnz = 0;
        for (int t = 0; t < n; t++) {
            for (int f = 0; f < p; f++) {
                if (rng.nextDouble() < 0.15) {
                    float v = (float) (0.5 + rng.nextDouble() * 3);
                    dense[t][f] = v;
                    feat[nnz] = f;
                    val[nnz++] = v;
                }
            }
            ptr[t + 1] = nnz;
        }
        SparseActivations x = new SparseActivations(n, p, ptr, java.util.Arrays.copyOf(feat, nnz),
                java.util.Arrays.copyOf(val, nnz));
        CoOccurrence one = CoOccurrence.of(x, 1, Progress.NONE);
        CoOccurrence three = CoOccurrence.of(x, 3, Progress.NONE);
        assertArrayEquals(one.pairJ(), three.pairJ());
        assertArrayEquals(one.pairSumProd(), three.pairSumProd());
        for (int i = 0; i < p; i++) {
            for (long k = one.pairPtr()[i]; k < one.pairPtr()[i + 1]; k++) {
                int j = one.pairJ()[(int) k];
                assertEquals(densePearson(dense, i, j), one.pearson(i, k), 1e-9, "pair " + i + "," + j);
            }
        }
    }

    /**
     * Filtering while accumulating keeps exactly the pairs of the full computation that pass (count, |r|), with the
     * same statistics, counts every co-firing pair, and gives the co-activation graph the same edges.
     */
    @Test
    void filteredPairsAreExactlyThePassingPairsOfTheFullComputation() {
        org.saeatlas.compute.demo.DemoAtlas atlas = org.saeatlas.compute.demo.DemoAtlasGenerator.generate(
                org.saeatlas.compute.demo.DemoParameters.small(5));
        SparseActivations x = atlas.saes().get(0).activations();
        CoOccurrence full = CoOccurrence.of(x, 1, Progress.NONE);
        CoOccurrence kept = CoOccurrence.of(x, 2, Progress.NONE, 3, 0.05);
        assertEquals(full.pairs(), full.cofiring());
        assertEquals(full.pairs(), kept.cofiring());
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < full.featureCount(); i++) {
            for (long k = full.pairPtr()[i]; k < full.pairPtr()[i + 1]; k++) {
                if (full.pairCount()[(int) k] >= 3 && Math.abs(full.pearson(i, k)) >= 0.05) {
                    expected.add(i + "," + full.pairJ()[(int) k] + "," + full.pairCount()[(int) k] + ","
                            + full.pairSumProd()[(int) k]);
                }
            }
        }
        java.util.List<String> found = new java.util.ArrayList<>();
        for (int i = 0; i < kept.featureCount(); i++) {
            for (long k = kept.pairPtr()[i]; k < kept.pairPtr()[i + 1]; k++) {
                found.add(i + "," + kept.pairJ()[(int) k] + "," + kept.pairCount()[(int) k] + ","
                        + kept.pairSumProd()[(int) k]);
            }
        }
        assertEquals(expected, found);
        org.junit.jupiter.api.Assertions.assertTrue(found.size() > 10 && found.size() < full.pairs() / 2,
                found.size() + " of " + full.pairs());
        CoActivationParameters params = new CoActivationParameters(3, 0.05, 10, 2);
        assertEquals(CoActivationGraph.edges(full, params), CoActivationGraph.compute(x, params, Progress.NONE).edges());
    }

    private static double densePearson(double[][] x, int a, int b) {
        int n = x.length;
        double ma = 0;
        double mb = 0;
        for (double[] row : x) {
            ma += row[a] / n;
            mb += row[b] / n;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (double[] row : x) {
            sab += (row[a] - ma) * (row[b] - mb);
            saa += (row[a] - ma) * (row[a] - ma);
            sbb += (row[b] - mb) * (row[b] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
