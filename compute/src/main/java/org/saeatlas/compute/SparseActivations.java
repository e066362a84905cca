package org.saeatlas.compute;

import org.saeatlas.errors.AtlasException;
import java.util.Arrays;

/**
 * Feature activations of one SAE over a token sample, stored as compressed sparse rows: rows are tokens, columns
 * are features. Row {@code t} holds the entries {@code rowPtr[t] .. rowPtr[t+1]-1} of {@code features} (strictly
 * increasing within a row) and {@code values} (finite, non-zero). SAE activations are ~99.9% zeros, so nothing in
 * the atlas ever densifies this matrix.
 */
public record SparseActivations(int tokens, int featureCount, int[] rowPtr, int[] features, float[] values) {

    public SparseActivations {
        if (tokens < 0 || featureCount < 0) {
            throw new AtlasException("activations: shape must be non-negative, found " + tokens + " x " + featureCount);
        }
        if (rowPtr.length != tokens + 1) {
            throw new AtlasException("activations: row pointer must have tokens+1=" + (tokens + 1)
                    + " entries, found " + rowPtr.length);
        }
        if (features.length != values.length) {
            throw new AtlasException("activations: " + features.length + " feature indices but " + values.length
                    + " values; they must be equal");
        }
        if (rowPtr[0] != 0 || rowPtr[tokens] != features.length) {
            throw new AtlasException("activations: row pointer must start at 0 and end at nnz=" + features.length
                    + ", found " + rowPtr[0] + " .. " + rowPtr[tokens]);
        }
        if (!wellFormed(tokens, featureCount, rowPtr, features, values)) {
            reject(tokens, featureCount, rowPtr, features, values);
        }
    }

    /**
     * The checks of {@link #reject} without branches on the data (every trial copies rows of the input and is
     * checked again): row pointers non-decreasing, indices strictly increasing within a row and in range, values
     * finite.
     */
    private static boolean wellFormed(int tokens, int featureCount, int[] rowPtr, int[] features, float[] values) {
        boolean ok = true;
        for (int t = 0; t < tokens; t++) {
            int from = rowPtr[t];
            int to = rowPtr[t + 1];
            if (to < from) {
                return false;
            }
            int prev = -1;
            for (int k = from; k < to; k++) {
                int f = features[k];
                ok &= f > prev;
                prev = f;
            }
            ok &= prev < featureCount;
        }
        for (float v : values) {
            ok &= (~Float.floatToRawIntBits(v) & 0x7f80_0000) != 0;   // an exponent of all ones: infinite or NaN
        }
        return ok;
    }

    /** Throws the error that names the first malformed entry. */
    private static void reject(int tokens, int featureCount, int[] rowPtr, int[] features, float[] values) {
        for (int t = 0; t < tokens; t++) {
            int prev = -1;
            if (rowPtr[t + 1] < rowPtr[t]) {
                throw new AtlasException("activations: row pointer decreases at token " + t);
            }
            for (int k = rowPtr[t]; k < rowPtr[t + 1]; k++) {
                int f = features[k];
                if (f <= prev || f >= featureCount) {
                    throw new AtlasException("activations: token " + t + " has feature index " + f
                            + " (expected strictly increasing indices in [0, " + featureCount + "))");
                }
                float v = values[k];
                if (!Float.isFinite(v)) {
                    throw new AtlasException("activations: token " + t + ", feature " + f + " has value " + v
                            + " (expected a finite number)");
                }
                prev = f;
            }
        }
        throw new AtlasException("activations: malformed sparse rows");
    }

    public int nnz() {
        return features.length;
    }

    /** Share of entries that are zero. */
    public double sparsity() {
        double cells = (double) tokens * featureCount;
        return cells == 0 ? 1.0 : 1.0 - nnz() / cells;
    }

    /** The rows {@code rows} (in the given order) as a new matrix. */
    public SparseActivations selectRows(int[] rows) {
        int[] ptr = new int[rows.length + 1];
        for (int i = 0; i < rows.length; i++) {
            int t = rows[i];
            ptr[i + 1] = ptr[i] + rowPtr[t + 1] - rowPtr[t];
        }
        int[] f = new int[ptr[rows.length]];
        float[] v = new float[f.length];
        for (int i = 0; i < rows.length; i++) {
            int t = rows[i];
            int len = rowPtr[t + 1] - rowPtr[t];
            System.arraycopy(features, rowPtr[t], f, ptr[i], len);
            System.arraycopy(values, rowPtr[t], v, ptr[i], len);
        }
        return new SparseActivations(rows.length, featureCount, ptr, f, v);
    }

    /** Column-major view (compressed sparse columns) for per-feature work. */
    public Columns columns() {
        int[] colPtr = new int[featureCount + 1];
        for (int f : features) {
            colPtr[f + 1]++;
        }
        for (int j = 0; j < featureCount; j++) {
            colPtr[j + 1] += colPtr[j];
        }
        int[] next = Arrays.copyOf(colPtr, featureCount);
        int[] tok = new int[nnz()];
        float[] val = new float[nnz()];
        for (int t = 0; t < tokens; t++) {
            for (int k = rowPtr[t]; k < rowPtr[t + 1]; k++) {
                int at = next[features[k]]++;
                tok[at] = t;
                val[at] = values[k];
            }
        }
        return new Columns(colPtr, tok, val);
    }

    /**
     * The columns of {@code selectRows(rows)}, read from this matrix's columns {@code cols} instead of transposing the
     * copy: one sequential pass over {@code cols} keeps the drawn tokens, renumbered by their rank in {@code rows}.
     * Equal to {@code selectRows(rows).columns()} when rows are strictly increasing (trial resamples are); other rows
     * take that path. Cost O(nnz + tokens) with no scattered writes.
     */
    public Columns selectColumns(Columns cols, int[] rows) {
        int[] rank = new int[tokens];
        Arrays.fill(rank, -1);
        long nnz = 0;
        for (int i = 0; i < rows.length; i++) {
            int t = rows[i];
            if (t < 0 || t >= tokens || i > 0 && t <= rows[i - 1]) {
                return selectRows(rows).columns();
            }
            rank[t] = i;
            nnz += rowPtr[t + 1] - rowPtr[t];
        }
        int[] colPtr = new int[featureCount + 1];
        int[] tok = new int[(int) nnz];
        float[] val = new float[(int) nnz];
        int[] from = cols.tokens();
        float[] fromVal = cols.values();
        // past the last drawn entry an undrawn one would be written at index nnz: stop there
        int stop = from.length;
        while (stop > 0 && rank[from[stop - 1]] < 0) {
            stop--;
        }
        int at = 0;
        for (int f = 0; f < featureCount; f++) {
            int end = Math.min(cols.colPtr()[f + 1], stop);
            for (int a = cols.colPtr()[f]; a < end; a++) {
                int r = rank[from[a]];
                tok[at] = r;
                val[at] = fromVal[a];
                at += ~r >>> 31;   // 1 when drawn (r >= 0), else the slot is overwritten: no unpredictable branch
            }
            colPtr[f + 1] = at;
        }
        return new Columns(colPtr, tok, val);
    }

    /** Compressed sparse columns: column {@code j} holds tokens {@code colPtr[j] .. colPtr[j+1]-1} in increasing order. */
    public record Columns(int[] colPtr, int[] tokens, float[] values) {
        public int count(int feature) {
            return colPtr[feature + 1] - colPtr[feature];
        }
    }
}
