package org.saeatlas.compute.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;

class CrossCorrelationTest {

    /** The sparse cross-correlation equals dense Pearson (population moments, zeros included) for every kept pair. */
    @Test
    void sparseMatchesDensePearson() {
        Random rng = new Random(4);
        int n = 300;
        float[][] xa = dense(n, 12, 0.15, rng);
        float[][] xb = dense(n, 9, 0.15, rng);
        for (int f = 0; f < 9; f++) {
            for (int t = 0; t < n; t++) {
                // B's feature f is A's feature f with 20% of its firings dropped, so those correlations are high
                xb[t][f] = xa[t][f] != 0 && rng.nextDouble() < 0.8 ? xa[t][f] * (float) (0.8 + 0.4 * rng.nextDouble())
                        : 0f;
            }
        }
        CandidateSet c = CrossCorrelation.candidates(csr(xa), csr(xb), 2, -1, 100, 2, Progress.NONE);
        int expected = 0;
        for (int a = 0; a < 12; a++) {
            for (int b = 0; b < 9; b++) {
                int both = 0;
                for (int t = 0; t < n; t++) {
                    both += xa[t][a] != 0 && xb[t][b] != 0 ? 1 : 0;
                }
                int at = java.util.Arrays.binarySearch(c.b(), c.rowStart(a), c.rowStart(a + 1), b);
                if (both < 2) {
                    assertEquals(true, at < 0, "pair " + a + "," + b + " co-fires " + both + " times");
                    continue;
                }
                expected++;
                assertEquals(pearson(xa, a, xb, b), c.score()[at], 1e-9, "pair " + a + "," + b);
            }
        }
        assertEquals(expected, c.size());
        CandidateSet top1 = CrossCorrelation.candidates(csr(xa), csr(xb), 2, 0.5, 1, 1, Progress.NONE);
        for (int f = 0; f < 9; f++) {
            int at = java.util.Arrays.binarySearch(top1.b(), top1.rowStart(f), top1.rowStart(f + 1), f);
            assertEquals(true, at >= 0, "planted pair " + f + " kept");
        }
        assertThrows(AtlasException.class, () -> CrossCorrelation.candidates(csr(xa), csr(dense(5, 3, 0.5, rng)),
                1, 0, 1, 1, Progress.NONE));
    }

    private static double pearson(float[][] xa, int a, float[][] xb, int b) {
        int n = xa.length;
        double ma = 0;
        double mb = 0;
        for (int t = 0; t < n; t++) {
            ma += xa[t][a];
            mb += xb[t][b];
        }
        ma /= n;
        mb /= n;
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int t = 0; t < n; t++) {
            double da = xa[t][a] - ma;
            double db = xb[t][b] - mb;
            cov += da * db;
            va += da * da;
            vb += db * db;
        }
        return cov / Math.sqrt(va * vb);
    }

    private static float[][] dense(int n, int p, double rate, Random rng) {
        float[][] x = new float[n][p];
        for (int t = 0; t < n; t++) {
            for (int f = 0; f < p; f++) {
                x[t][f] = rng.nextDouble() < rate ? (float) (0.1 + rng.nextDouble()) : 0f;
            }
        }
        return x;
    }

    private static SparseActivations csr(float[][] x) {
        int n = x.length;
        int p = x[0].length;
        int[] ptr = new int[n + 1];
        List<Integer> f = new ArrayList<>();
        List<Float> v = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < p; j++) {
                if (x[t][j] != 0) {
                    f.add(j);
                    v.add(x[t][j]);
                }
            }
            ptr[t + 1] = f.size();
        }
        float[] vals = new float[v.size()];
        for (int k = 0; k < vals.length; k++) {
            vals[k] = v.get(k);
        }
        return new SparseActivations(n, p, ptr, f.stream().mapToInt(Integer::intValue).toArray(), vals);
    }
}
