package org.saeatlas.ingest.formats;

import java.util.Arrays;
import org.saeatlas.compute.SparseActivations;

/**
 * Builds canonical {@link SparseActivations} (rows sorted, column indices strictly increasing, no zeros) from
 * (row, column, value) triplets in any order; duplicates are summed, as {@code scipy.sparse} does. Already canonical
 * input (the usual case) is copied straight through.
 */
final class Triplets {
    private Triplets() {
    }

    static SparseActivations toCsr(long[] shape, int[] rows, int[] cols, float[] vals) {
        int nRows = (int) shape[0];
        int nCols = (int) shape[1];
        if (canonical(rows, cols, vals)) {
            int[] ptr = new int[nRows + 1];
            for (int r : rows) {
                ptr[r + 1]++;
            }
            for (int r = 0; r < nRows; r++) {
                ptr[r + 1] += ptr[r];
            }
            return new SparseActivations(nRows, nCols, ptr, cols.clone(), vals.clone());
        }
        return sorted(nRows, nCols, rows, cols, vals);
    }

    private static boolean canonical(int[] rows, int[] cols, float[] vals) {
        for (int i = 0; i < rows.length; i++) {
            if (vals[i] == 0) {
                return false;
            }
            if (i > 0 && (rows[i] < rows[i - 1] || (rows[i] == rows[i - 1] && cols[i] <= cols[i - 1]))) {
                return false;
            }
        }
        return true;
    }

    private static SparseActivations sorted(int nRows, int nCols, int[] rows, int[] cols, float[] vals) {
        int n = rows.length;
        int[] start = new int[nRows + 1];
        for (int r : rows) {
            start[r + 1]++;
        }
        for (int r = 0; r < nRows; r++) {
            start[r + 1] += start[r];
        }
        int[] next = Arrays.copyOf(start, nRows);
        long[] keyed = new long[n];
        for (int i = 0; i < n; i++) {
            int at = next[rows[i]]++;
            keyed[at] = ((long) cols[i] << 32) | i;
        }
        int[] ptr = new int[nRows + 1];
        int[] outCols = new int[n];
        float[] outVals = new float[n];
        int k = 0;
        for (int r = 0; r < nRows; r++) {
            Arrays.sort(keyed, start[r], start[r + 1]);
            int rowStart = k;
            for (int at = start[r]; at < start[r + 1]; at++) {
                int c = (int) (keyed[at] >>> 32);
                float v = vals[(int) keyed[at]];
                if (k > rowStart && outCols[k - 1] == c) {
                    outVals[k - 1] += v;
                } else {
                    outCols[k] = c;
                    outVals[k++] = v;
                }
            }
            k = dropZeros(outCols, outVals, rowStart, k);
            ptr[r + 1] = k;
        }
        return new SparseActivations(nRows, nCols, ptr, Arrays.copyOf(outCols, k), Arrays.copyOf(outVals, k));
    }

    private static int dropZeros(int[] cols, float[] vals, int from, int to) {
        int w = from;
        for (int i = from; i < to; i++) {
            if (vals[i] != 0) {
                cols[w] = cols[i];
                vals[w++] = vals[i];
            }
        }
        return w;
    }
}
