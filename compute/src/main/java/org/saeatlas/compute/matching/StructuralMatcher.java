package org.saeatlas.compute.matching;

import java.util.Arrays;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.graphs.WeightedGraph;

/**
 * Matching by neighbourhood structure, the co-activation study's search of G2 by a node's graph statistics in G1:
 * every node with at least one edge is described by {@value #DIMS} statistics of its own graph,
 * <ol>
 *   <li>log(1 + degree),</li>
 *   <li>log(1 + strength) (sum of edge weights),</li>
 *   <li>local clustering coefficient,</li>
 *   <li>log(1 + mean neighbour degree),</li>
 *   <li>log(1 + max neighbour degree),</li>
 * </ol>
 * standardised (z-scores) with the mean and standard deviation pooled over the non-isolated nodes of both graphs
 * (so the two graphs share one scale and a shift between them stays visible). For each node of A the k nearest
 * nodes of B by Euclidean distance, and for each node of B the k nearest of A, are found exactly with a k-d tree
 * (ties to the smaller index); score = 1 / (1 + distance), in (0, 1]. Isolated nodes have no structure to match
 * and get no candidates. The candidates go through the same pairings as the other similarities
 * ({@link FeatureMatcher#match}), so methods read {@code structural/assignment} etc.
 * Cost: O(sum of deg^2 log deg) for clustering, O(p log p) to build the trees and about O(p k log p) to query them
 * in low dimension.
 * Structure alone is weak evidence (many nodes of a sparse graph look alike); it is meant as a candidate search
 * or a check when decoders and activations are not comparable, not as a replacement for them.
 */
public final class StructuralMatcher {

    /** Number of statistics per node. */
    public static final int DIMS = 5;

    private StructuralMatcher() {
    }

    /** Raw (unstandardised) statistics of each node, {@code nodes x DIMS} row-major; NaN rows for isolated nodes. */
    public static double[] statistics(WeightedGraph g) {
        int n = g.nodes();
        double[] x = new double[n * DIMS];
        int[] off = g.offsets();
        int[] t = g.targets();
        double[] w = g.weights();
        for (int v = 0; v < n; v++) {
            int deg = off[v + 1] - off[v];
            if (deg == 0) {
                Arrays.fill(x, v * DIMS, v * DIMS + DIMS, Double.NaN);
                continue;
            }
            double strength = 0;
            double sumNd = 0;
            int maxNd = 0;
            long triangles = 0;
            for (int e = off[v]; e < off[v + 1]; e++) {
                strength += w[e];
                int u = t[e];
                int du = off[u + 1] - off[u];
                sumNd += du;
                maxNd = Math.max(maxNd, du);
                for (int f = e + 1; f < off[v + 1]; f++) {
                    triangles += g.hasEdge(u, t[f]) ? 1 : 0;
                }
            }
            double clustering = deg < 2 ? 0 : 2.0 * triangles / ((double) deg * (deg - 1));
            x[v * DIMS] = Math.log1p(deg);
            x[v * DIMS + 1] = Math.log1p(strength);
            x[v * DIMS + 2] = clustering;
            x[v * DIMS + 3] = Math.log1p(sumNd / deg);
            x[v * DIMS + 4] = Math.log1p(maxNd);
        }
        return x;
    }

    /** Standardises both statistic matrices in place with the mean and sd pooled over their non-NaN rows. */
    static void standardise(double[] a, double[] b) {
        for (int d = 0; d < DIMS; d++) {
            double sum = 0;
            double sq = 0;
            long count = 0;
            for (double[] m : new double[][] {a, b}) {
                for (int r = d; r < m.length; r += DIMS) {
                    if (!Double.isNaN(m[r])) {
                        sum += m[r];
                        sq += m[r] * m[r];
                        count++;
                    }
                }
            }
            double mean = count == 0 ? 0 : sum / count;
            double var = count == 0 ? 0 : Math.max(0, sq / count - mean * mean);
            double sd = var > 1e-24 ? Math.sqrt(var) : 1;
            for (double[] m : new double[][] {a, b}) {
                for (int r = d; r < m.length; r += DIMS) {
                    if (!Double.isNaN(m[r])) {
                        m[r] = (m[r] - mean) / sd;
                    }
                }
            }
        }
    }

    /** The union of the k nearest B nodes of each A node and the k nearest A nodes of each B node. */
    public static CandidateSet candidates(WeightedGraph a, WeightedGraph b, int k) {
        if (k < 1) {
            throw new AtlasException("structural matching: k must be >= 1, found " + k);
        }
        double[] xa = statistics(a);
        double[] xb = statistics(b);
        standardise(xa, xb);
        KdTree ta = new KdTree(xa);
        KdTree tb = new KdTree(xb);
        int cap = (a.nodes() + b.nodes()) * k;
        int[] ia = new int[cap];
        int[] ib = new int[cap];
        double[] s = new double[cap];
        int m = 0;
        int[] idx = new int[k];
        double[] dist = new double[k];
        for (int i = 0; i < a.nodes(); i++) {
            int found = tb.nearest(xa, i, k, idx, dist);
            for (int r = 0; r < found; r++, m++) {
                ia[m] = i;
                ib[m] = idx[r];
                s[m] = 1 / (1 + dist[r]);
            }
        }
        for (int j = 0; j < b.nodes(); j++) {
            int found = ta.nearest(xb, j, k, idx, dist);
            for (int r = 0; r < found; r++, m++) {
                ia[m] = idx[r];
                ib[m] = j;
                s[m] = 1 / (1 + dist[r]);
            }
        }
        return CandidateSet.of(a.nodes(), b.nodes(), Arrays.copyOf(ia, m), Arrays.copyOf(ib, m), Arrays.copyOf(s, m));
    }

    /** Candidates by structure, then the one-to-one assignment, mutual nearest and one-to-many pairings. */
    public static FeatureMatches match(WeightedGraph a, WeightedGraph b, MatchParameters params, Progress progress) {
        return FeatureMatcher.match(candidates(a, b, params.k()), Similarity.STRUCTURAL, params, progress);
    }

    /** Exact k-nearest-neighbour search over the non-NaN rows of a {@code n x DIMS} matrix. */
    static final class KdTree {
        private final double[] x;
        private final int[] order; // node ids; subtree [lo, hi) has its splitting point at (lo + hi) >>> 1
        private final int size;

        KdTree(double[] x) {
            this.x = x;
            int n = x.length / DIMS;
            int[] ids = new int[n];
            int m = 0;
            for (int v = 0; v < n; v++) {
                if (!Double.isNaN(x[v * DIMS])) {
                    ids[m++] = v;
                }
            }
            this.order = Arrays.copyOf(ids, m);
            this.size = m;
            build(0, m, 0);
        }

        private void build(int lo, int hi, int depth) {
            if (hi - lo <= 1) {
                return;
            }
            int d = depth % DIMS;
            int mid = (lo + hi) >>> 1;
            select(lo, hi - 1, mid, d);
            build(lo, mid, depth + 1);
            build(mid + 1, hi, depth + 1);
        }

        /** Quickselect: order[k] gets the point with the k-th smallest coordinate d in [lo, hi]. */
        private void select(int lo, int hi, int k, int d) {
            while (hi > lo) {
                double pivot = x[order[(lo + hi) >>> 1] * DIMS + d];
                int i = lo;
                int j = hi;
                while (i <= j) {
                    while (x[order[i] * DIMS + d] < pivot) {
                        i++;
                    }
                    while (x[order[j] * DIMS + d] > pivot) {
                        j--;
                    }
                    if (i <= j) {
                        int tmp = order[i];
                        order[i] = order[j];
                        order[j] = tmp;
                        i++;
                        j--;
                    }
                }
                if (k <= j) {
                    hi = j;
                } else if (k >= i) {
                    lo = i;
                } else {
                    return;
                }
            }
        }

        /**
         * The up-to-k nearest points to row {@code row} of {@code q}, nearest first (ties to the smaller id), into
         * idx/dist; returns how many. A NaN query row (isolated node) finds none.
         */
        int nearest(double[] q, int row, int k, int[] idx, double[] dist) {
            if (Double.isNaN(q[row * DIMS]) || size == 0) {
                return 0;
            }
            double[] p = Arrays.copyOfRange(q, row * DIMS, row * DIMS + DIMS);
            // max-heap of the best so far by (squared distance, id)
            int[] hi = new int[k];
            double[] hd = new double[k];
            int[] count = {0};
            search(0, size, 0, p, k, hi, hd, count);
            int n = count[0];
            Integer[] o = new Integer[n];
            for (int r = 0; r < n; r++) {
                o[r] = r;
            }
            Arrays.sort(o, (u, v) -> hd[u] != hd[v] ? Double.compare(hd[u], hd[v]) : Integer.compare(hi[u], hi[v]));
            for (int r = 0; r < n; r++) {
                idx[r] = hi[o[r]];
                dist[r] = Math.sqrt(hd[o[r]]);
            }
            return n;
        }

        private void search(int lo, int hiEnd, int depth, double[] p, int k, int[] hi, double[] hd, int[] count) {
            if (lo >= hiEnd) {
                return;
            }
            int mid = (lo + hiEnd) >>> 1;
            int v = order[mid];
            double d2 = 0;
            for (int d = 0; d < DIMS; d++) {
                double t = x[v * DIMS + d] - p[d];
                d2 += t * t;
            }
            offer(v, d2, k, hi, hd, count);
            int d = depth % DIMS;
            double diff = p[d] - x[v * DIMS + d];
            int nearLo = diff < 0 ? lo : mid + 1;
            int nearHi = diff < 0 ? mid : hiEnd;
            int farLo = diff < 0 ? mid + 1 : lo;
            int farHi = diff < 0 ? hiEnd : mid;
            search(nearLo, nearHi, depth + 1, p, k, hi, hd, count);
            // <= so equal-distance points with smaller ids on the far side are still considered
            if (count[0] < k || diff * diff <= hd[0]) {
                search(farLo, farHi, depth + 1, p, k, hi, hd, count);
            }
        }

        private static boolean worse(double d1, int i1, double d2, int i2) {
            return d1 > d2 || d1 == d2 && i1 > i2;
        }

        private static void offer(int v, double d2, int k, int[] hi, double[] hd, int[] count) {
            int n = count[0];
            if (n < k) {
                int c = n;
                hi[c] = v;
                hd[c] = d2;
                while (c > 0) {
                    int parent = (c - 1) / 2;
                    if (!worse(hd[c], hi[c], hd[parent], hi[parent])) {
                        break;
                    }
                    swap(hi, hd, c, parent);
                    c = parent;
                }
                count[0] = n + 1;
                return;
            }
            if (!worse(hd[0], hi[0], d2, v)) {
                return;
            }
            hi[0] = v;
            hd[0] = d2;
            int c = 0;
            while (true) {
                int l = 2 * c + 1;
                int r = l + 1;
                int top = c;
                if (l < k && worse(hd[l], hi[l], hd[top], hi[top])) {
                    top = l;
                }
                if (r < k && worse(hd[r], hi[r], hd[top], hi[top])) {
                    top = r;
                }
                if (top == c) {
                    return;
                }
                swap(hi, hd, c, top);
                c = top;
            }
        }

        private static void swap(int[] hi, double[] hd, int x, int y) {
            int ti = hi[x];
            hi[x] = hi[y];
            hi[y] = ti;
            double td = hd[x];
            hd[x] = hd[y];
            hd[y] = td;
        }
    }
}
