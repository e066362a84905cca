package org.saeatlas.compute.connections;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.saeatlas.compute.SparseActivations;

/**
 * Linear versus nonlinear fit of one downstream feature from its upstream inputs, both judged on the same held-out
 * tokens and normalised by the feature's variance there.
 *
 * <p>Rows: the tokens where the feature or any input fires, in a seeded order: the first ones train (at most
 * {@code linearityRows} and at most three quarters), the next ones (at most four times as many) are held out; in
 * each part the silent tokens (all inputs and the feature zero) enter as one all-zero row weighing their share of the
 * part. The
 * sparse linear fit is weighted least squares with an intercept on the terms (the feature's stable connections); the
 * nonlinear baseline sees every input. {@code R2 = 1 - MSE_test / Var_test}; the loss difference is
 * {@code R2_nonlinear - R2_linear}.
 */
final class Linearity {
    private static final double TEST_SHARE = 0.25;

    private Linearity() {
    }

    static FeatureLinearity evaluate(int b, int[] inputs, int[] terms, SparseActivations xa,
                                     SparseActivations.Columns colsA, SparseActivations.Columns colsB,
                                     int[] localIndex, ConnectionParameters p, NonlinearBaseline baseline,
                                     long seed) {
        int n = xa.tokens();
        int m = inputs.length;
        for (int j = 0; j < m; j++) {
            localIndex[inputs[j]] = j;
        }
        try {
            int[] active = activeTokens(b, inputs, colsA, colsB);
            SplittableRandom rng = new SplittableRandom(seed);
            // a seeded shuffle of the active tokens: the first ones train (at most linearityRows, at most 3/4),
            // the next ones (up to 4 x linearityRows) are held out
            int[] rows = active.clone();
            for (int r = rows.length - 1; r > 0; r--) {
                int s = rng.nextInt(r + 1);
                int tmp = rows[r];
                rows[r] = rows[s];
                rows[s] = tmp;
            }
            int trainCount = Math.max(1, Math.min(p.linearityRows(), (int) Math.floor(rows.length * (1 - TEST_SHARE))));
            int testCount = Math.min(rows.length - trainCount, 4 * p.linearityRows());
            if (testCount < 1) {
                return null;
            }
            int sampled = trainCount + testCount;
            double silentPerActive = (n - active.length) / (double) active.length;
            float[] x = new float[(sampled + 2) * m];
            float[] y = new float[sampled + 2];
            double[] w = new double[sampled + 2];
            // layout: train rows, train zero row, test rows, test zero row; each zero row stands for the silent
            // tokens in proportion to its part's active tokens
            int at = 0;
            for (int r = 0; r < sampled; r++) {
                if (r == trainCount) {
                    w[at++] = silentPerActive * trainCount;
                }
                fill(rows[r], b, xa, colsB, localIndex, x, y, at, m);
                w[at++] = 1;
            }
            w[at] = silentPerActive * testCount;
            int trainRows = trainCount + 1;
            int testRows = testCount + 1;
            float[] trainX = Arrays.copyOf(x, trainRows * m);
            float[] trainY = Arrays.copyOf(y, trainRows);
            double[] trainW = Arrays.copyOf(w, trainRows);
            float[] testX = Arrays.copyOfRange(x, trainRows * m, (trainRows + testRows) * m);
            float[] testY = Arrays.copyOfRange(y, trainRows, trainRows + testRows);
            double[] testW = Arrays.copyOfRange(w, trainRows, trainRows + testRows);
            double var = variance(testY, testW);
            if (!(var > 0)) {
                return null;
            }
            int[] termCols = new int[terms.length];
            for (int k = 0; k < terms.length; k++) {
                termCols[k] = localIndex[terms[k]];
            }
            double[] linPred = leastSquares(trainX, trainY, trainW, m, termCols, testX);
            double[] nlPred = baseline.fitPredict(m, trainX, trainY, trainW, testX, rng.nextLong());
            double r2Lin = 1 - mse(linPred, testY, testW) / var;
            double r2Nl = 1 - mse(nlPred, testY, testW) / var;
            double diff = r2Nl - r2Lin;
            return new FeatureLinearity(b, m, terms.length, r2Lin, r2Nl, diff, diff < p.linearThreshold());
        } finally {
            for (int input : inputs) {
                localIndex[input] = -1;
            }
        }
    }

    /** Tokens where b or any input fires, increasing. */
    private static int[] activeTokens(int b, int[] inputs, SparseActivations.Columns colsA,
                                      SparseActivations.Columns colsB) {
        int total = colsB.count(b);
        for (int a : inputs) {
            total += colsA.count(a);
        }
        int[] all = new int[total];
        int at = 0;
        for (int e = colsB.colPtr()[b]; e < colsB.colPtr()[b + 1]; e++) {
            all[at++] = colsB.tokens()[e];
        }
        for (int a : inputs) {
            for (int e = colsA.colPtr()[a]; e < colsA.colPtr()[a + 1]; e++) {
                all[at++] = colsA.tokens()[e];
            }
        }
        Arrays.sort(all);
        int m = 0;
        for (int i = 0; i < all.length; i++) {
            if (m == 0 || all[m - 1] != all[i]) {
                all[m++] = all[i];
            }
        }
        return Arrays.copyOf(all, m);
    }

    private static void fill(int t, int b, SparseActivations xa, SparseActivations.Columns colsB, int[] localIndex,
                             float[] x, float[] y, int row, int m) {
        for (int q = xa.rowPtr()[t]; q < xa.rowPtr()[t + 1]; q++) {
            int j = localIndex[xa.features()[q]];
            if (j >= 0) {
                x[row * m + j] = xa.values()[q];
            }
        }
        int from = colsB.colPtr()[b];
        int to = colsB.colPtr()[b + 1];
        int at = Arrays.binarySearch(colsB.tokens(), from, to, t);
        y[row] = at >= 0 ? colsB.values()[at] : 0f;
    }

    private static double variance(float[] y, double[] w) {
        double sw = 0;
        double mean = 0;
        for (int r = 0; r < y.length; r++) {
            sw += w[r];
            mean += w[r] * y[r];
        }
        mean /= sw;
        double v = 0;
        for (int r = 0; r < y.length; r++) {
            v += w[r] * (y[r] - mean) * (y[r] - mean);
        }
        return v / sw;
    }

    private static double mse(double[] pred, float[] y, double[] w) {
        double sw = 0;
        double s = 0;
        for (int r = 0; r < y.length; r++) {
            sw += w[r];
            s += w[r] * (pred[r] - y[r]) * (pred[r] - y[r]);
        }
        return s / sw;
    }

    /**
     * Weighted least squares with intercept on the given columns, solved through the normal equations by Cholesky
     * with a ridge of 1e-9 times the trace (collinear terms); returns predictions for the test rows.
     */
    static double[] leastSquares(float[] x, float[] y, double[] w, int m, int[] cols, float[] testX) {
        int k = cols.length + 1;
        int rows = y.length;
        double[] ata = new double[k * k];
        double[] aty = new double[k];
        double[] row = new double[k];
        for (int r = 0; r < rows; r++) {
            row[0] = 1;
            for (int c = 0; c < cols.length; c++) {
                row[c + 1] = x[r * m + cols[c]];
            }
            for (int i = 0; i < k; i++) {
                aty[i] += w[r] * row[i] * y[r];
                for (int j = 0; j <= i; j++) {
                    ata[i * k + j] += w[r] * row[i] * row[j];
                }
            }
        }
        double trace = 0;
        for (int i = 0; i < k; i++) {
            trace += ata[i * k + i];
        }
        for (int i = 0; i < k; i++) {
            ata[i * k + i] += 1e-9 * trace / k;
            for (int j = 0; j < i; j++) {
                ata[j * k + i] = ata[i * k + j];
            }
        }
        double[] beta = choleskySolve(ata, aty, k);
        int testRows = testX.length / Math.max(1, m);
        double[] pred = new double[testRows];
        for (int r = 0; r < testRows; r++) {
            double v = beta[0];
            for (int c = 0; c < cols.length; c++) {
                v += beta[c + 1] * testX[r * m + cols[c]];
            }
            pred[r] = v;
        }
        return pred;
    }

    private static double[] choleskySolve(double[] a, double[] rhs, int k) {
        double[] l = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double v = a[i * k + j];
                for (int q = 0; q < j; q++) {
                    v -= l[i * k + q] * l[j * k + q];
                }
                if (i == j) {
                    l[i * k + i] = Math.sqrt(Math.max(v, 1e-300));
                } else {
                    l[i * k + j] = v / l[j * k + j];
                }
            }
        }
        double[] z = new double[k];
        for (int i = 0; i < k; i++) {
            double v = rhs[i];
            for (int q = 0; q < i; q++) {
                v -= l[i * k + q] * z[q];
            }
            z[i] = v / l[i * k + i];
        }
        double[] out = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            double v = z[i];
            for (int q = i + 1; q < k; q++) {
                v -= l[q * k + i] * out[q];
            }
            out[i] = v / l[i * k + i];
        }
        return out;
    }
}
