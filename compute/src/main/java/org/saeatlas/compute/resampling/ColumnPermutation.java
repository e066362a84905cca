package org.saeatlas.compute.resampling;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.coactivation.CoOccurrence;

/**
 * The feature-shuffle null: every column permuted independently over the tokens, which keeps each feature's firing
 * count and activation values and destroys every dependence between features. A uniform permutation of a column with
 * c non-zeros is drawn as a uniform c-subset of the n rows (Floyd's algorithm, "Programming Pearls", CACM 1987) plus
 * a uniform shuffle of its values. Column j uses its own seed derived from (seed, j), so the result is the same at any
 * thread count. Cost O(nnz) time, O(nnz + threads * n) memory.
 */
public final class ColumnPermutation {
    private ColumnPermutation() {
    }

    public static SparseActivations permute(SparseActivations x, long seed, int threads) {
        return permute(x, x.columns(), seed, threads).matrix();
    }

    /** A null copy with its columns (the permuted columns themselves, so nothing is transposed again). */
    public record Permuted(SparseActivations matrix, SparseActivations.Columns columns) { }

    /** As {@link #permute(SparseActivations, long, int)} from x's columns {@code cols}, returning the copy's columns too. */
    public static Permuted permute(SparseActivations x, SparseActivations.Columns cols, long seed, int threads) {
        int p = x.featureCount();
        int n = x.tokens();
        int[] colPtr = cols.colPtr();
        int[] newTok = new int[x.nnz()];
        float[] newVal = new float[x.nnz()];
        int blocks = Math.max(1, Math.min(p, 16 * Math.max(1, threads)));
        int span = (p + blocks - 1) / blocks;
        CoOccurrence.runWith(threads, () -> IntStream.range(0, blocks).parallel().forEach(b -> {
            int[] mark = new int[n];
            for (int j = b * span; j < Math.min(p, (b + 1) * span); j++) {
                permuteColumn(cols, j, mark, new SplittableRandom(Seeds.derive(seed, Seeds.COLUMN, j)),
                        newTok, newVal, n);
            }
        }));
        return new Permuted(fromColumns(n, p, colPtr, newTok, newVal),
                new SparseActivations.Columns(colPtr.clone(), newTok, newVal));
    }

    private static void permuteColumn(SparseActivations.Columns cols, int j, int[] mark, SplittableRandom rng,
                                      int[] newTok, float[] newVal, int n) {
        int from = cols.colPtr()[j];
        int c = cols.colPtr()[j + 1] - from;
        int stamp = j + 1;
        int filled = 0;
        for (int k = n - c; k < n; k++) {
            int t = rng.nextInt(k + 1);
            int chosen = mark[t] == stamp ? k : t;
            mark[chosen] = stamp;
            newTok[from + filled++] = chosen;
        }
        java.util.Arrays.sort(newTok, from, from + c);
        System.arraycopy(cols.values(), from, newVal, from, c);
        for (int a = c - 1; a > 0; a--) {
            int b = rng.nextInt(a + 1);
            float tmp = newVal[from + a];
            newVal[from + a] = newVal[from + b];
            newVal[from + b] = tmp;
        }
    }

    /** Builds CSR from a column-major layout whose columns list tokens in increasing order. */
    static SparseActivations fromColumns(int n, int p, int[] colPtr, int[] tok, float[] val) {
        int[] rowPtr = new int[n + 1];
        for (int t : tok) {
            rowPtr[t + 1]++;
        }
        for (int t = 0; t < n; t++) {
            rowPtr[t + 1] += rowPtr[t];
        }
        int[] next = java.util.Arrays.copyOf(rowPtr, n);
        int[] feats = new int[tok.length];
        float[] vals = new float[tok.length];
        for (int j = 0; j < p; j++) {
            for (int a = colPtr[j]; a < colPtr[j + 1]; a++) {
                int at = next[tok[a]]++;
                feats[at] = j;
                vals[at] = val[a];
            }
        }
        return new SparseActivations(n, p, rowPtr, feats, vals);
    }
}
