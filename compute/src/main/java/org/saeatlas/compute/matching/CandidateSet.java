package org.saeatlas.compute.matching;

import java.util.Arrays;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.sae.CosineNeighbours;

/**
 * A sparse set of scored candidate pairs between the features of SAE A ({@code 0 .. left-1}) and of SAE B
 * ({@code 0 .. right-1}): the only pairs a matching may use. Pairs are sorted by (a, b) with no pair twice, so
 * {@link #rowStart(int)} gives A's candidates as a slice; scores are finite (cosine or correlation, higher is better).
 * Built with {@link #of}, which sorts and keeps the highest score of a repeated pair.
 */
public record CandidateSet(int left, int right, int[] a, int[] b, double[] score, int[] rowPtr) {

    public CandidateSet {
        if (left < 0 || right < 0) {
            throw new AtlasException("candidates: sides must be non-negative, found " + left + " x " + right);
        }
        if (a.length != b.length || a.length != score.length) {
            throw new AtlasException("candidates: " + a.length + " first indices, " + b.length + " second indices and "
                    + score.length + " scores; they must be equal");
        }
        if (rowPtr.length != left + 1 || rowPtr[left] != a.length) {
            throw new AtlasException("candidates: row pointer must have left+1=" + (left + 1) + " entries ending at "
                    + a.length + ", found " + rowPtr.length + " entries");
        }
        for (int n = 0; n < a.length; n++) {
            if (n > 0 && (a[n] < a[n - 1] || a[n] == a[n - 1] && b[n] <= b[n - 1])) {
                throw new AtlasException("candidates: pairs must be sorted by (a, b) without repeats, found ("
                        + a[n - 1] + ", " + b[n - 1] + ") before (" + a[n] + ", " + b[n] + "); build with of(...)");
            }
            if (b[n] < 0 || b[n] >= right || !Double.isFinite(score[n])) {
                throw new AtlasException("candidates: pair " + n + " is (" + a[n] + ", " + b[n] + ") with score "
                        + score[n] + " (expected b in [0, " + right + ") and a finite score)");
            }
        }
    }

    /** Sorts the pairs by (a, b) and keeps the highest score of a pair given twice. Cost O(n log n). */
    public static CandidateSet of(int left, int right, int[] a, int[] b, double[] score) {
        if (a.length != b.length || a.length != score.length) {
            throw new AtlasException("candidates: " + a.length + " first indices, " + b.length + " second indices and "
                    + score.length + " scores; they must be equal");
        }
        long[] keys = new long[a.length];
        for (int n = 0; n < a.length; n++) {
            if (a[n] < 0 || a[n] >= left || b[n] < 0 || b[n] >= right) {
                throw new AtlasException("candidates: pair " + n + " is (" + a[n] + ", " + b[n]
                        + "), expected indices in [0, " + left + ") x [0, " + right + ")");
            }
            keys[n] = (long) a[n] * right + b[n];
        }
        Integer[] order = new Integer[a.length];
        for (int n = 0; n < order.length; n++) {
            order[n] = n;
        }
        Arrays.sort(order, (x, y) -> Long.compare(keys[x], keys[y]));
        int[] ra = new int[a.length];
        int[] rb = new int[a.length];
        double[] rs = new double[a.length];
        int m = 0;
        for (int idx : order) {
            if (m > 0 && ra[m - 1] == a[idx] && rb[m - 1] == b[idx]) {
                rs[m - 1] = Math.max(rs[m - 1], score[idx]);
                continue;
            }
            ra[m] = a[idx];
            rb[m] = b[idx];
            rs[m] = score[idx];
            m++;
        }
        return sorted(left, right, Arrays.copyOf(ra, m), Arrays.copyOf(rb, m), Arrays.copyOf(rs, m));
    }

    /**
     * The union of the top-k neighbours of A's features in B and of B's features in A (for example the two
     * directions of {@code DecoderCosine.across}), so that neither side's candidates depend on which SAE came first.
     */
    public static CandidateSet ofNeighbours(CosineNeighbours aToB, CosineNeighbours bToA) {
        int left = aToB.features();
        int right = bToA.features();
        int n = aToB.indices().length + bToA.indices().length;
        int[] a = new int[n];
        int[] b = new int[n];
        double[] s = new double[n];
        int m = 0;
        for (int i = 0; i < left; i++) {
            for (int r = 0; r < aToB.k(); r++, m++) {
                a[m] = i;
                b[m] = aToB.neighbour(i, r);
                s[m] = aToB.cosine(i, r);
            }
        }
        for (int j = 0; j < right; j++) {
            for (int r = 0; r < bToA.k(); r++, m++) {
                a[m] = bToA.neighbour(j, r);
                b[m] = j;
                s[m] = bToA.cosine(j, r);
            }
        }
        return of(left, right, a, b, s);
    }

    private static CandidateSet sorted(int left, int right, int[] a, int[] b, double[] s) {
        int[] ptr = new int[left + 1];
        for (int x : a) {
            ptr[x + 1]++;
        }
        for (int i = 0; i < left; i++) {
            ptr[i + 1] += ptr[i];
        }
        return new CandidateSet(left, right, a, b, s, ptr);
    }

    public int size() {
        return a.length;
    }

    /** First position of A-feature i's candidates; they end at {@code rowStart(i + 1)}. */
    public int rowStart(int i) {
        return rowPtr[i];
    }

    /** The same pairs seen from B: (b, a). */
    public CandidateSet swapped() {
        return of(right, left, b, a, score);
    }

    /** Only the pairs with score at least {@code minScore}. */
    public CandidateSet atLeast(double minScore) {
        int m = 0;
        for (double s : score) {
            m += s >= minScore ? 1 : 0;
        }
        int[] ra = new int[m];
        int[] rb = new int[m];
        double[] rs = new double[m];
        m = 0;
        for (int n = 0; n < a.length; n++) {
            if (score[n] >= minScore) {
                ra[m] = a[n];
                rb[m] = b[n];
                rs[m++] = score[n];
            }
        }
        return sorted(left, right, ra, rb, rs);
    }

    /**
     * Rank of each pair among its A feature's candidates: 1 for the highest score, ties by the smaller B index.
     */
    public int[] rankInA() {
        int[] rank = new int[a.length];
        for (int i = 0; i < left; i++) {
            for (int x = rowPtr[i]; x < rowPtr[i + 1]; x++) {
                int r = 1;
                for (int y = rowPtr[i]; y < rowPtr[i + 1]; y++) {
                    r += better(score[y], b[y], score[x], b[x]) ? 1 : 0;
                }
                rank[x] = r;
            }
        }
        return rank;
    }

    static boolean better(double s1, int i1, double s2, int i2) {
        return s1 > s2 || s1 == s2 && i1 < i2;
    }
}
