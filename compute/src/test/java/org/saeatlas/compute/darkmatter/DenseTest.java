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
        // float inputs are multiplied in double: the same sums as their widened values
        float[] xf = new float[x.length];
        float[] ef = new float[e.length];
        double[] xw = new double[x.length];
        double[] ew = new double[e.length];
        for (int i = 0; i < x.length; i++) {
            xf[i] = (float) x[i];
            ef[i] = (float) e[i];
            xw[i] = xf[i];
            ew[i] = ef[i];
        }
        double[] fxx = new double[d * d];
        double[] fxe = new double[d * d];
        double[] wxx = new double[d * d];
        double[] wxe = new double[d * d];
        Dense.rankUpdate(pool, fxx, xf, xf, rows, d, true);
        Dense.rankUpdate(pool, fxe, xf, ef, rows, d, false);
        Dense.rankUpdate(pool, wxx, xw, xw, rows, d, true);
        Dense.rankUpdate(pool, wxe, xw, ew, rows, d, false);
        org.junit.jupiter.api.Assertions.assertArrayEquals(wxx, fxx, 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(wxe, fxe, 0);
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
