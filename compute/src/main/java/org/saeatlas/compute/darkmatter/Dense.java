package org.saeatlas.compute.darkmatter;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.saeatlas.errors.AtlasException;

/**
 * The dense linear algebra of the error statistics on row-major {@code double[d * d]} matrices, in plain Java:
 * blocked rank-k updates of the moment matrices, a Cholesky factorisation, triangular solves with many right-hand
 * sides and the trace {@code tr(W^T S W)}. Each parallel task owns its own output cells and sums in a fixed order,
 * so results do not depend on the number of threads. Measured against Commons Math and ND4J in the README.
 */
final class Dense {
    private static final int ROWS = 32;
    private static final int COLS = 512;
    private static final int RHS = 64;

    private Dense() {
    }

    /**
     * {@code C += A^T B} for row-major {@code A, B: rows x d}; with {@code lower}, only cells {@code j <= i} of C.
     * 2 d^2 rows flops (half with {@code lower}).
     */
    static void rankUpdate(ForkJoinPool pool, double[] c, double[] a, double[] b, int rows, int d, boolean lower) {
        int blocks = (d + ROWS - 1) / ROWS;
        pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(blk -> {
            int i0 = blk * ROWS;
            int i1 = Math.min(d, i0 + ROWS);
            int jEnd = lower ? i1 : d;
            for (int j0 = 0; j0 < jEnd; j0 += COLS) {
                int j1 = Math.min(jEnd, j0 + COLS);
                int t = 0;
                for (; t + 4 <= rows; t += 4) {
                    int p0 = t * d;
                    int p1 = p0 + d;
                    int p2 = p1 + d;
                    int p3 = p2 + d;
                    for (int i = i0; i < i1; i++) {
                        double a0 = a[p0 + i];
                        double a1 = a[p1 + i];
                        double a2 = a[p2 + i];
                        double a3 = a[p3 + i];
                        int end = lower ? Math.min(j1, i + 1) : j1;
                        int o = i * d;
                        for (int j = j0; j < end; j++) {
                            c[o + j] += a0 * b[p0 + j] + a1 * b[p1 + j] + a2 * b[p2 + j] + a3 * b[p3 + j];
                        }
                    }
                }
                for (; t < rows; t++) {
                    int p = t * d;
                    for (int i = i0; i < i1; i++) {
                        double av = a[p + i];
                        int end = lower ? Math.min(j1, i + 1) : j1;
                        int o = i * d;
                        for (int j = j0; j < end; j++) {
                            c[o + j] += av * b[p + j];
                        }
                    }
                }
            }
        })).join();
    }

    /** As above for float inputs, multiplied and summed in double (the same result as widening them first). */
    static void rankUpdate(ForkJoinPool pool, double[] c, float[] a, float[] b, int rows, int d, boolean lower) {
        int blocks = (d + ROWS - 1) / ROWS;
        pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(blk -> {
            int i0 = blk * ROWS;
            int i1 = Math.min(d, i0 + ROWS);
            int jEnd = lower ? i1 : d;
            for (int j0 = 0; j0 < jEnd; j0 += COLS) {
                int j1 = Math.min(jEnd, j0 + COLS);
                int t = 0;
                for (; t + 4 <= rows; t += 4) {
                    int p0 = t * d;
                    int p1 = p0 + d;
                    int p2 = p1 + d;
                    int p3 = p2 + d;
                    for (int i = i0; i < i1; i++) {
                        double a0 = a[p0 + i];
                        double a1 = a[p1 + i];
                        double a2 = a[p2 + i];
                        double a3 = a[p3 + i];
                        int end = lower ? Math.min(j1, i + 1) : j1;
                        int o = i * d;
                        for (int j = j0; j < end; j++) {
                            c[o + j] += a0 * b[p0 + j] + a1 * b[p1 + j] + a2 * b[p2 + j] + a3 * b[p3 + j];
                        }
                    }
                }
                for (; t < rows; t++) {
                    int p = t * d;
                    for (int i = i0; i < i1; i++) {
                        double av = a[p + i];
                        int end = lower ? Math.min(j1, i + 1) : j1;
                        int o = i * d;
                        for (int j = j0; j < end; j++) {
                            c[o + j] += av * b[p + j];
                        }
                    }
                }
            }
        })).join();
    }

    /**
     * Factorises the symmetric positive-definite matrix whose lower triangle {@code a} holds as {@code L L^T}, in
     * place (the lower triangle becomes L; the upper is not read). O(d^3 / 6).
     *
     * @throws AtlasException when a pivot is not positive (the matrix is not positive definite)
     */
    static void cholesky(double[] a, int d) {
        for (int i = 0; i < d; i++) {
            int oi = i * d;
            for (int j = 0; j <= i; j++) {
                int oj = j * d;
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int k = 0;
                for (; k + 4 <= j; k += 4) {
                    s0 += a[oi + k] * a[oj + k];
                    s1 += a[oi + k + 1] * a[oj + k + 1];
                    s2 += a[oi + k + 2] * a[oj + k + 2];
                    s3 += a[oi + k + 3] * a[oj + k + 3];
                }
                for (; k < j; k++) {
                    s0 += a[oi + k] * a[oj + k];
                }
                double s = a[oi + j] - ((s0 + s1) + (s2 + s3));
                if (j < i) {
                    a[oi + j] = s / a[oj + j];
                } else {
                    if (!(s > 0)) {
                        throw new AtlasException("error statistics: the input covariance is not positive definite at"
                                + " dimension " + i + " (pivot " + s + "); raise the ridge penalty");
                    }
                    a[oi + i] = Math.sqrt(s);
                }
            }
        }
    }

    /**
     * Solves {@code L L^T X = B} in place for {@code m} right-hand sides: {@code b} is row-major {@code d x m} (column
     * j one right-hand side) and becomes X. Parallel over blocks of columns. O(d^2 m).
     */
    static void solve(ForkJoinPool pool, double[] l, double[] b, int d, int m) {
        int blocks = (m + RHS - 1) / RHS;
        pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(blk -> {
            int j0 = blk * RHS;
            int w = Math.min(m, j0 + RHS) - j0;
            // the block's columns, contiguous (row i at i * w): rows stay close in memory while they are swept
            double[] y = new double[d * w];
            for (int i = 0; i < d; i++) {
                System.arraycopy(b, i * m + j0, y, i * w, w);
            }
            // forward: L Y = B, row i of Y = (B_i - sum_{k<i} L_ik Y_k) / L_ii, four k at a time
            for (int i = 0; i < d; i++) {
                int oi = i * w;
                int li = i * d;
                int k = 0;
                for (; k + 4 <= i; k += 4) {
                    double f0 = l[li + k], f1 = l[li + k + 1], f2 = l[li + k + 2], f3 = l[li + k + 3];
                    int o0 = k * w, o1 = o0 + w, o2 = o1 + w, o3 = o2 + w;
                    for (int j = 0; j < w; j++) {
                        y[oi + j] -= f0 * y[o0 + j] + f1 * y[o1 + j] + f2 * y[o2 + j] + f3 * y[o3 + j];
                    }
                }
                for (; k < i; k++) {
                    double f = l[li + k];
                    int ok = k * w;
                    for (int j = 0; j < w; j++) {
                        y[oi + j] -= f * y[ok + j];
                    }
                }
                double inv = 1 / l[li + i];
                for (int j = 0; j < w; j++) {
                    y[oi + j] *= inv;
                }
            }
            // backward: L^T X = Y, X_i = (Y_i - sum_{k>i} L_ki X_k) / L_ii, four k at a time
            for (int i = d - 1; i >= 0; i--) {
                int oi = i * w;
                int k = i + 1;
                for (; k + 4 <= d; k += 4) {
                    double f0 = l[k * d + i], f1 = l[(k + 1) * d + i], f2 = l[(k + 2) * d + i],
                            f3 = l[(k + 3) * d + i];
                    int o0 = k * w, o1 = o0 + w, o2 = o1 + w, o3 = o2 + w;
                    for (int j = 0; j < w; j++) {
                        y[oi + j] -= f0 * y[o0 + j] + f1 * y[o1 + j] + f2 * y[o2 + j] + f3 * y[o3 + j];
                    }
                }
                for (; k < d; k++) {
                    double f = l[k * d + i];
                    int ok = k * w;
                    for (int j = 0; j < w; j++) {
                        y[oi + j] -= f * y[ok + j];
                    }
                }
                double inv = 1 / l[i * d + i];
                for (int j = 0; j < w; j++) {
                    y[oi + j] *= inv;
                }
            }
            for (int i = 0; i < d; i++) {
                System.arraycopy(y, i * w, b, i * m + j0, w);
            }
        })).join();
    }

    /** Copies the lower triangle of the d x d matrix {@code s} onto its upper triangle. */
    static void symmetrize(double[] s, int d) {
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < i; j++) {
                s[j * d + i] = s[i * d + j];
            }
        }
    }

    /**
     * {@code tr(W^T S W) = sum_ij W_ij (S W)_ij} for symmetric {@code S: d x d} (both triangles filled) and row-major
     * {@code W: d x m}. O(d^2 m), blocks of rows of S in parallel; partial sums added in block order.
     */
    static double traceQuadratic(ForkJoinPool pool, double[] s, double[] w, int d, int m) {
        int rowBlock = 16;
        int blocks = (d + rowBlock - 1) / rowBlock;
        double[] partial = new double[blocks];
        pool.submit(() -> IntStream.range(0, blocks).parallel().forEach(blk -> {
            int i0 = blk * rowBlock;
            int i1 = Math.min(d, i0 + rowBlock);
            int n = i1 - i0;
            double[] r = new double[n * COLS];
            double sum = 0;
            for (int j0 = 0; j0 < m; j0 += COLS) {
                int j1 = Math.min(m, j0 + COLS);
                int width = j1 - j0;
                java.util.Arrays.fill(r, 0);
                for (int k = 0; k < d; k++) {
                    int ok = k * m + j0;
                    for (int ii = 0; ii < n; ii++) {
                        double f = s[(i0 + ii) * d + k];
                        if (f != 0) {
                            int o = ii * COLS;
                            for (int j = 0; j < width; j++) {
                                r[o + j] += f * w[ok + j];
                            }
                        }
                    }
                }
                for (int ii = 0; ii < n; ii++) {
                    int ow = (i0 + ii) * m + j0;
                    int o = ii * COLS;
                    double acc = 0;
                    for (int j = 0; j < width; j++) {
                        acc += w[ow + j] * r[o + j];
                    }
                    sum += acc;
                }
            }
            partial[blk] = sum;
        })).join();
        double total = 0;
        for (double p : partial) {
            total += p;
        }
        return total;
    }
}
