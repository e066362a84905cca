package org.saeatlas.compute.darkmatter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;

/** The dense kernels against definitions: factor and solve checked by multiplying back, sums against naive loops. */
class DenseTest {

    @Test
    void choleskyOfAHandExample() {
        // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]]: L = [[2, 0, 0], [1, 2, 0], [0, 0.5, sqrt(2.75)]]
        double[] a = {4, 0, 0, 2, 5, 0, 0, 1, 3};
        Dense.cholesky(a, 3);
        assertEquals(2, a[0], 1e-15);
        assertEquals(1, a[3], 1e-15);
        assertEquals(2, a[4], 1e-15);
        assertEquals(0, a[6], 1e-15);
        assertEquals(0.5, a[7], 1e-15);
        assertEquals(Math.sqrt(2.75), a[8], 1e-15);
    }

    @Test
    void solveRecoversTheRightHandSidesAtAnyThreadCount() {
        int d = 70;
        int m = 130;
        Random rnd = new Random(1);
        double[] g = new double[d * d];
        for (int i = 0; i < d * d; i++) {
            g[i] = rnd.nextGaussian();
        }
        double[] a = new double[d * d]; // G G^T + I, symmetric positive definite
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = i == j ? 1 : 0;
                for (int k = 0; k < d; k++) {
                    s += g[i * d + k] * g[j * d + k];
                }
                a[i * d + j] = s;
            }
        }
        double[] b = new double[d * m];
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextGaussian();
        }
        double[][] solutions = new double[2][];
        for (int threads = 1; threads <= 2; threads++) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            double[] l = a.clone();
            Dense.cholesky(l, d);
            double[] x = b.clone();
            Dense.solve(pool, l, x, d, m);
            pool.shutdown();
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int k = 0; k < d; k++) {
                        s += a[i * d + k] * x[k * m + j];
                    }
                    assertEquals(b[i * m + j], s, 1e-9, "A X = B at " + i + "," + j);
                }
            }
            solutions[threads - 1] = x;
        }
        assertArrayEquals(solutions[0], solutions[1], 0.0, "same bits at 1 and 2 threads");
    }

    @Test
    void notPositiveDefiniteIsRefused() {
        double[] a = {1, 0, 2, 1};
        assertThrows(AtlasException.class, () -> Dense.cholesky(a, 2));
    }

    /**
     * The float products with double accumulation against the double definition: d = 600 spans two column tiles
     * (512) and 19 row blocks, 7 rows leave a remainder after the 4-row unrolling; two batches are added.
     */
    @Test
    void floatRankUpdateMatchesTheDefinitionAcrossTilesAndBatches() {
        int d = 600;
        int rows = 7;
        Random rnd = new Random(8);
        float[][] x = new float[2][rows * d + 5]; // longer than needed: only rows * d values count
        float[][] e = new float[2][rows * d];
        double[] sxx = new double[d * d];
        double[] sxe = new double[d * d];
        ForkJoinPool pool = new ForkJoinPool(2);
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < x[b].length; i++) {
                x[b][i] = (float) rnd.nextGaussian();
            }
            for (int i = 0; i < e[b].length; i++) {
                e[b][i] = (float) rnd.nextGaussian();
            }
            Dense.rankUpdateFloat(pool, sxx, x[b], x[b], rows, d, true);
            Dense.rankUpdateFloat(pool, sxe, x[b], e[b], rows, d, false);
        }
        pool.shutdown();
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                double c = 0;
                for (int b = 0; b < 2; b++) {
                    for (int t = 0; t < rows; t++) {
                        s += (double) x[b][t * d + i] * x[b][t * d + j];
                        c += (double) x[b][t * d + i] * e[b][t * d + j];
                    }
                }
                assertEquals(j <= i ? s : 0, sxx[i * d + j], 1e-5, "x^T x lower triangle only, cell " + i + "," + j);
                assertEquals(c, sxe[i * d + j], 1e-5, "cell " + i + "," + j);
            }
        }
    }

    @Test
    void rankUpdateAndTraceMatchTheirDefinitions() {
        int d = 37;
        int rows = 11;
        Random rnd = new Random(2);
        double[] x = new double[rows * d];
        double[] e = new double[rows * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
            e[i] = rnd.nextGaussian();
        }
        ForkJoinPool pool = new ForkJoinPool(2);
        double[] sxx = new double[d * d];
        double[] sxe = new double[d * d];
        Dense.rankUpdate(pool, sxx, x, x, rows, d, true);
        Dense.rankUpdate(pool, sxe, x, e, rows, d, false);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                double c = 0;
                for (int t = 0; t < rows; t++) {
                    s += x[t * d + i] * x[t * d + j];
                    c += x[t * d + i] * e[t * d + j];
                }
                assertEquals(j <= i ? s : 0, sxx[i * d + j], 1e-12, "x^T x lower triangle only");
                assertEquals(c, sxe[i * d + j], 1e-12);
            }
        }
        Dense.symmetrize(sxx, d);
        double[] w = new double[d * 5];
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextGaussian();
        }
        double expected = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < 5; j++) {
                double sw = 0;
                for (int k = 0; k < d; k++) {
                    sw += sxx[i * d + k] * w[k * 5 + j];
                }
                expected += w[i * 5 + j] * sw;
            }
        }
        assertEquals(expected, Dense.traceQuadratic(pool, sxx, w, d, 5), 1e-9);
        pool.shutdown();
    }
}
