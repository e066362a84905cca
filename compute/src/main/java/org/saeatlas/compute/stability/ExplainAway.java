package org.saeatlas.compute.stability;

import java.util.Arrays;
import java.util.List;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.correlation.FisherZ;

/**
 * Explains away indirect edges of nested structure. An observed edge (i, j) that closes a nested two-path i - k - j
 * ({@link NestedPaths}: i and k nested, j and k nested, all three edges observed) is kept only when i and j are
 * conditionally dependent given k <em>within k's support</em>: the partial correlation of their values given k's value
 * over the tokens where k fires, Fisher z with n - 4 degrees, significant at 0.05 family-wise (Bonferroni over the
 * edges tested), for every such k. Siblings inside a parent, and a grandchild inside its parent inside the grandparent,
 * are conditionally independent there (the parent's value carries all they share), so the test fails and the edge is
 * explained away; a parent-child edge tested within a grandchild's support stays dependent through the grandchild's
 * own noise. Members of a module are rarely nested and are not tested. Deterministic and sequential.
 *
 * <p>Cost: for each observed edge, its common neighbours (sorted-list intersection), and per nested common neighbour
 * k one pass over k's tokens with binary searches in the two columns: O(sum over tested (edge, k) of |supp k| log).
 */
public final class ExplainAway {
    /** Family-wise level of the conditional-dependence test. */
    public static final double LEVEL = 0.05;

    private ExplainAway() {
    }

    /**
     * The edges explained away, in the order of {@code edges}.
     *
     * @param keys   explained edges' keys {@code i * p + j}, increasing
     * @param by     per explained edge, the common neighbour k with the weakest conditional dependence
     * @param z      per explained edge, that Fisher z
     * @param tested edges that close a nested two-path (and were therefore tested)
     * @param zCut   the Bonferroni cut-off applied
     */
    public record Result(long[] keys, int[] by, double[] z, int tested, double zCut) {
        public boolean contains(long key) {
            return Arrays.binarySearch(keys, key) >= 0;
        }
    }

    public static Result find(SparseActivations x, List<StableEdge> edges) {
        int p = x.featureCount();
        SparseActivations.Columns cols = x.columns();
        int m = edges.size();
        int[] start = new int[p + 1];
        for (StableEdge e : edges) {
            start[e.i() + 1]++;
            start[e.j() + 1]++;
        }
        for (int v = 0; v < p; v++) {
            start[v + 1] += start[v];
        }
        long[] adj = new long[2 * m];
        int[] fill = Arrays.copyOf(start, p);
        for (StableEdge e : edges) {
            long nested = NestedPaths.nested(cols, e.i(), e.j()) ? 1 : 0;
            adj[fill[e.i()]++] = (long) e.j() << 1 | nested;
            adj[fill[e.j()]++] = (long) e.i() << 1 | nested;
        }
        for (int v = 0; v < p; v++) {
            Arrays.sort(adj, start[v], start[v + 1]);
        }
        double[] weakest = new double[m];
        int[] weakestBy = new int[m];
        int tested = 0;
        for (int k = 0; k < m; k++) {
            StableEdge e = edges.get(k);
            weakest[k] = Double.NaN;
            int a = start[e.i()];
            int b = start[e.j()];
            while (a < start[e.i() + 1] && b < start[e.j() + 1]) {
                long u = adj[a] >>> 1;
                long v = adj[b] >>> 1;
                if (u < v) {
                    a++;
                } else if (u > v) {
                    b++;
                } else {
                    if ((adj[a] & 1) == 1 && (adj[b] & 1) == 1) {
                        double z = Math.abs(partialZ(cols, e.i(), e.j(), (int) u));
                        if (Double.isNaN(weakest[k]) || z < weakest[k]) {
                            weakest[k] = z;
                            weakestBy[k] = (int) u;
                        }
                    }
                    a++;
                    b++;
                }
            }
            tested += Double.isNaN(weakest[k]) ? 0 : 1;
        }
        double zCut = tested == 0 ? Double.POSITIVE_INFINITY : FisherZ.criticalZ(LEVEL / tested);
        int n = 0;
        long[] keys = new long[m];
        int[] by = new int[m];
        double[] zs = new double[m];
        for (int k = 0; k < m; k++) {
            if (!Double.isNaN(weakest[k]) && weakest[k] < zCut) {
                StableEdge e = edges.get(k);
                keys[n] = (long) e.i() * p + e.j();
                by[n] = weakestBy[k];
                zs[n] = weakest[k];
                n++;
            }
        }
        return new Result(Arrays.copyOf(keys, n), Arrays.copyOf(by, n), Arrays.copyOf(zs, n), tested, zCut);
    }

    /** Fisher z of the partial correlation of i and j given k over the tokens where k fires (0 below 5 tokens). */
    static double partialZ(SparseActivations.Columns cols, int i, int j, int k) {
        int from = cols.colPtr()[k];
        int n = cols.colPtr()[k + 1] - from;
        if (n < 5) {
            return 0;
        }
        double[] s = new double[9]; // sums: i, j, k, ii, jj, kk, ij, ik, jk
        for (int a = 0; a < n; a++) {
            int t = cols.tokens()[from + a];
            double vi = value(cols, i, t);
            double vj = value(cols, j, t);
            double vk = cols.values()[from + a];
            s[0] += vi;
            s[1] += vj;
            s[2] += vk;
            s[3] += vi * vi;
            s[4] += vj * vj;
            s[5] += vk * vk;
            s[6] += vi * vj;
            s[7] += vi * vk;
            s[8] += vj * vk;
        }
        double cii = s[3] - s[0] * s[0] / n;
        double cjj = s[4] - s[1] * s[1] / n;
        double ckk = s[5] - s[2] * s[2] / n;
        if (cii <= 0 || cjj <= 0 || ckk <= 0) {
            return 0;
        }
        double rij = (s[6] - s[0] * s[1] / n) / Math.sqrt(cii * cjj);
        double rik = (s[7] - s[0] * s[2] / n) / Math.sqrt(cii * ckk);
        double rjk = (s[8] - s[1] * s[2] / n) / Math.sqrt(cjj * ckk);
        double den = (1 - rik * rik) * (1 - rjk * rjk);
        if (den <= 1e-12) {
            return 0;
        }
        return FisherZ.z((rij - rik * rjk) / Math.sqrt(den), n - 1);
    }

    private static double value(SparseActivations.Columns cols, int f, int token) {
        int at = Arrays.binarySearch(cols.tokens(), cols.colPtr()[f], cols.colPtr()[f + 1], token);
        return at >= 0 ? cols.values()[at] : 0;
    }
}
