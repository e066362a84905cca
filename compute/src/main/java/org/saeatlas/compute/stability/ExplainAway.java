package org.saeatlas.compute.stability;

import java.util.Arrays;
import java.util.List;
import org.saeatlas.compute.IntList;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.correlation.FisherZ;

/**
 * Explains away indirect edges of nested structure. An observed edge (i, j) is tested given every feature k of two
 * kinds: a common neighbour nested with both ends that holds at least one of them (a nested two-path i - k - j,
 * {@link NestedPaths}: siblings inside a parent, a grandchild inside its parent inside the grandparent; a common
 * neighbour inside both ends, such as a grandchild for its parent-grandparent edge, is no reason to explain anything
 * and is not used), and a <em>container</em> of both ends (k fires on
 * >= 95% of the tokens of i and of j) reached from i or j by one or two observed edges that each go up into a
 * container (cousins and uncle-nephew pairs inside a common ancestor, and siblings whose edge to the parent was not
 * observed: indirect pairs no single common neighbour closes). The edge is kept only when i and j are conditionally
 * dependent given k <em>within k's support</em> for every such k: the partial correlation of their values given k's
 * value over the tokens where k fires, weighted by 1/k^2 (nested magnitudes scale with their container's; see
 * {@link #partialZ}), Fisher z, significant at 0.05 family-wise (Bonferroni over the edges tested). Siblings, cousins
 * and grandchild-grandparent pairs share nothing beyond the container's value there, so the test fails and the edge
 * is explained away; a parent-child edge tested within the grandparent's support stays dependent. Members of a module are rarely nested and are seldom tested. Deterministic and sequential.
 *
 * <p>Cost: per observed edge, the co-firing count of its ends (merge of the token lists); per edge, its common
 * neighbours (sorted-list intersection) and the containers up to two steps above its ends (each checked by a merge of
 * token lists, skipped unless its support is large enough); per tested (edge, k) one pass over k's tokens with binary
 * searches in the two columns: O(sum over tested (edge, k) of |supp k| log).
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

    /** Progress stage name of {@link #find(SparseActivations, SparseActivations.Columns, List, org.saeatlas.compute.Progress)}. */
    public static final String STAGE = "explaining away";
    static final int PROGRESS_EVERY = 256;

    public static Result find(SparseActivations x, List<StableEdge> edges) {
        return find(x, x.columns(), edges, org.saeatlas.compute.Progress.NONE);
    }

    /**
     * As {@link #find(SparseActivations, List)} with x's columns given, reporting progress (stage "explaining away":
     * edges classified, then edges tested; one update per {@link #PROGRESS_EVERY} edges).
     */
    public static Result find(SparseActivations x, SparseActivations.Columns cols, List<StableEdge> edges,
                              org.saeatlas.compute.Progress progress) {
        int p = x.featureCount();
        int m = edges.size();
        int[] start = new int[p + 1];
        for (StableEdge e : edges) {
            start[e.i() + 1]++;
            start[e.j() + 1]++;
        }
        for (int v = 0; v < p; v++) {
            start[v + 1] += start[v];
        }
        // per direction: neighbour << 3 | nested << 2 | (neighbour contains this end) << 1 | (this end contains it)
        long[] adj = new long[2 * m];
        int[] fill = Arrays.copyOf(start, p);
        long steps = 2L * m;
        long done = 0;
        for (StableEdge e : edges) {
            if (++done % PROGRESS_EVERY == 0) {
                progress.update(STAGE, done, steps);
            }
            long both = NestedPaths.cofirings(cols, e.i(), e.j());
            boolean jHoldsI = contains(cols, both, e.i());
            boolean iHoldsJ = contains(cols, both, e.j());
            long nested = jHoldsI || iHoldsJ ? 4 : 0;
            adj[fill[e.i()]++] = (long) e.j() << 3 | nested | (jHoldsI ? 2 : 0) | (iHoldsJ ? 1 : 0);
            adj[fill[e.j()]++] = (long) e.i() << 3 | nested | (iHoldsJ ? 2 : 0) | (jHoldsI ? 1 : 0);
        }
        for (int v = 0; v < p; v++) {
            Arrays.sort(adj, start[v], start[v + 1]);
        }
        double[] weakest = new double[m];
        int[] weakestBy = new int[m];
        int[] seen = new int[p];
        int tested = 0;
        IntList conditioning = new IntList();
        for (int k = 0; k < m; k++) {
            if (++done % PROGRESS_EVERY == 0) {
                progress.update(STAGE, done, steps);
            }
            StableEdge e = edges.get(k);
            int i = e.i();
            int j = e.j();
            conditioning.clear();
            // a common neighbour nested with both ends (siblings in a parent, a chain i in k in j)
            int a = start[i];
            int b = start[j];
            while (a < start[i + 1] && b < start[j + 1]) {
                long u = adj[a] >>> 3;
                long v = adj[b] >>> 3;
                if (u < v) {
                    a++;
                } else if (u > v) {
                    b++;
                } else {
                    // nested with both ends and holding at least one: a descendant of both ends (a grandchild tested
                    // for its parent-grandparent edge) explains nothing away, it only lacks power
                    if ((adj[a] & 4) != 0 && (adj[b] & 4) != 0 && ((adj[a] & 2) != 0 || (adj[b] & 2) != 0)
                            && seen[(int) u] != k + 1) {
                        seen[(int) u] = k + 1;
                        conditioning.add((int) u);
                    }
                    a++;
                    b++;
                }
            }
            // a container of both ends up to two containment steps above either end (cousins, uncle and nephew,
            // siblings whose edge to the parent was not seen)
            for (int end : new int[] {i, j}) {
                for (int s = start[end]; s < start[end + 1]; s++) {
                    if ((adj[s] & 2) == 0) {
                        continue;
                    }
                    int up = (int) (adj[s] >>> 3);
                    consider(cols, up, i, j, k, seen, conditioning);
                    for (int s2 = start[up]; s2 < start[up + 1]; s2++) {
                        if ((adj[s2] & 2) != 0) {
                            consider(cols, (int) (adj[s2] >>> 3), i, j, k, seen, conditioning);
                        }
                    }
                }
            }
            weakest[k] = Double.NaN;
            for (int c = 0; c < conditioning.size(); c++) {
                int u = conditioning.get(c);
                double z = Math.abs(partialZ(cols, i, j, u));
                if (Double.isNaN(weakest[k]) || z < weakest[k]) {
                    weakest[k] = z;
                    weakestBy[k] = u;
                }
            }
            tested += Double.isNaN(weakest[k]) ? 0 : 1;
        }
        double zCut = tested == 0 ? Double.POSITIVE_INFINITY : FisherZ.criticalZ(LEVEL / tested);
        progress.update(STAGE, steps, steps);
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

    /** Adds {@code u} to the conditioning set when it is neither end and contains both (first visit only). */
    private static void consider(SparseActivations.Columns cols, int u, int i, int j, int edge, int[] seen,
                                 IntList out) {
        if (u == i || u == j || seen[u] == edge + 1) {
            return;
        }
        seen[u] = edge + 1;
        if (holds(cols, u, i) && holds(cols, u, j)) {
            out.add(u);
        }
    }

    /** Whether {@code outer} fires on >= {@value NestedPaths#NESTED} of the tokens where {@code inner} fires. */
    static boolean holds(SparseActivations.Columns cols, int outer, int inner) {
        int inSize = cols.colPtr()[inner + 1] - cols.colPtr()[inner];
        int outSize = cols.colPtr()[outer + 1] - cols.colPtr()[outer];
        if (inSize == 0 || outSize < NestedPaths.NESTED * inSize) {
            return false;
        }
        return contains(cols, NestedPaths.cofirings(cols, outer, inner), inner);
    }

    private static boolean contains(SparseActivations.Columns cols, long cofirings, int inner) {
        int inSize = cols.colPtr()[inner + 1] - cols.colPtr()[inner];
        return inSize > 0 && cofirings >= NestedPaths.NESTED * inSize;
    }

    /**
     * Fisher z of the partial correlation of i and j given k over the tokens where k fires (0 below 5 tokens), by
     * weighted least squares with weights 1 / k^2: the partial correlation of i/k and j/k given 1/k. A nested feature's
     * spread grows with its container's value (SAE magnitudes are multiplicative), and an unweighted partial
     * correlation then rejects conditional independence far more often than its level says; the weighting makes the
     * spread about constant. The test stays valid whenever E[i | k] and E[j | k] are linear in k (then so are
     * E[i/k | k] and E[j/k | k] in 1/k), whatever the spread.
     */
    static double partialZ(SparseActivations.Columns cols, int i, int j, int k) {
        int from = cols.colPtr()[k];
        int n = cols.colPtr()[k + 1] - from;
        if (n < 5) {
            return 0;
        }
        double[] s = new double[9]; // sums: i, j, k, ii, jj, kk, ij, ik, jk of the weighted values
        for (int a = 0; a < n; a++) {
            int t = cols.tokens()[from + a];
            double inv = 1.0 / cols.values()[from + a];
            double vi = value(cols, i, t) * inv;
            double vj = value(cols, j, t) * inv;
            double vk = inv;
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
        if (cii <= 0 || cjj <= 0) {
            return 0;
        }
        double rij = (s[6] - s[0] * s[1] / n) / Math.sqrt(cii * cjj);
        if (ckk <= 1e-12 * s[5]) {
            return FisherZ.z(rij, n); // k's value is constant where it fires: nothing to partial out
        }
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
