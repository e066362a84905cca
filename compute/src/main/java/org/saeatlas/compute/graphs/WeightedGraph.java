package org.saeatlas.compute.graphs;

import java.util.Arrays;
import org.saeatlas.errors.AtlasException;

/**
 * A simple undirected weighted graph on nodes {@code 0 .. nodes-1} in compressed sparse rows: the neighbours of v
 * are {@code targets[offsets[v] .. offsets[v+1]-1]}, strictly increasing, with their edge weights; every edge is
 * stored once from each end, there are no self-loops and no parallel edges. Build with {@link #fromEdges}. Memory
 * 4(n+1) + 24m bytes for m edges.
 */
public record WeightedGraph(int nodes, int[] offsets, int[] targets, double[] weights) {

    public WeightedGraph {
        if (nodes < 0 || offsets.length != nodes + 1 || offsets[0] != 0 || offsets[nodes] != targets.length
                || weights.length != targets.length || targets.length % 2 != 0) {
            throw new AtlasException("graph: expected offsets of length nodes+1=" + (nodes + 1)
                    + " from 0 to an even number of targets with one weight each;"
                    + " build it with WeightedGraph.fromEdges");
        }
    }

    /**
     * The graph with edges {@code (u[e], v[e])} of weight {@code w[e]}. An edge given twice (either way round) keeps
     * its largest weight; self-loops are rejected. Cost O(m log d_max).
     */
    public static WeightedGraph fromEdges(int nodes, int[] u, int[] v, double[] w) {
        if (u.length != v.length || u.length != w.length) {
            throw new AtlasException("graph: " + u.length + " first ends, " + v.length + " second ends and " + w.length
                    + " weights; they must be equal");
        }
        int[] count = new int[nodes + 1];
        for (int e = 0; e < u.length; e++) {
            if (u[e] < 0 || u[e] >= nodes || v[e] < 0 || v[e] >= nodes || u[e] == v[e] || !Double.isFinite(w[e])) {
                throw new AtlasException("graph: edge " + e + " is (" + u[e] + ", " + v[e] + ") with weight " + w[e]
                        + " (expected two different nodes in [0, " + nodes + ") and a finite weight)");
            }
            count[Math.min(u[e], v[e]) + 1]++;
        }
        for (int x = 0; x < nodes; x++) {
            count[x + 1] += count[x];
        }
        // bucket by the smaller end, then sort each bucket by (larger end, edge index)
        long[] keys = new long[u.length];
        int[] next = Arrays.copyOf(count, nodes);
        for (int e = 0; e < u.length; e++) {
            keys[next[Math.min(u[e], v[e])]++] = (long) Math.max(u[e], v[e]) << 32 | e;
        }
        int[] lo = new int[u.length];
        int[] hi = new int[u.length];
        double[] wt = new double[u.length];
        int m = 0;
        for (int x = 0; x < nodes; x++) {
            Arrays.sort(keys, count[x], count[x + 1]);
            for (int at = count[x]; at < count[x + 1]; at++) {
                int y = (int) (keys[at] >>> 32);
                int e = (int) keys[at];
                if (m > 0 && lo[m - 1] == x && hi[m - 1] == y) {
                    wt[m - 1] = Math.max(wt[m - 1], w[e]);
                    continue;
                }
                lo[m] = x;
                hi[m] = y;
                wt[m++] = w[e];
            }
        }
        return ofSortedEdges(nodes, lo, hi, wt, m);
    }

    /** Unit weights. */
    public static WeightedGraph unweighted(int nodes, int[] u, int[] v) {
        double[] w = new double[u.length];
        Arrays.fill(w, 1.0);
        return fromEdges(nodes, u, v, w);
    }

    /** From edges sorted by (lo, hi) with lo &lt; hi and no repeats; adjacency comes out sorted. */
    private static WeightedGraph ofSortedEdges(int nodes, int[] lo, int[] hi, double[] w, int m) {
        int[] offsets = new int[nodes + 1];
        for (int e = 0; e < m; e++) {
            offsets[lo[e] + 1]++;
            offsets[hi[e] + 1]++;
        }
        for (int x = 0; x < nodes; x++) {
            offsets[x + 1] += offsets[x];
        }
        int[] next = Arrays.copyOf(offsets, nodes);
        int[] targets = new int[2 * m];
        double[] weights = new double[2 * m];
        // edges sorted by (lo, hi): a node's smaller neighbours arrive before its larger ones, each increasing
        for (int e = 0; e < m; e++) {
            targets[next[lo[e]]] = hi[e];
            weights[next[lo[e]]++] = w[e];
            targets[next[hi[e]]] = lo[e];
            weights[next[hi[e]]++] = w[e];
        }
        return new WeightedGraph(nodes, offsets, targets, weights);
    }

    public long edgeCount() {
        return targets.length / 2;
    }

    public int degree(int v) {
        return offsets[v + 1] - offsets[v];
    }

    /** Sum of the weights of v's edges. */
    public double strength(int v) {
        double s = 0;
        for (int k = offsets[v]; k < offsets[v + 1]; k++) {
            s += weights[k];
        }
        return s;
    }

    /** Position of edge (u, v) in u's adjacency, or a negative number. Cost O(log d_u). */
    public int find(int u, int v) {
        return Arrays.binarySearch(targets, offsets[u], offsets[u + 1], v);
    }

    public boolean hasEdge(int u, int v) {
        return find(u, v) >= 0;
    }

    /** The edges once each, {@code u < v}, sorted by (u, v). */
    public Edges edges() {
        int m = (int) edgeCount();
        int[] u = new int[m];
        int[] v = new int[m];
        double[] w = new double[m];
        int e = 0;
        for (int x = 0; x < nodes; x++) {
            for (int k = offsets[x]; k < offsets[x + 1]; k++) {
                if (targets[k] > x) {
                    u[e] = x;
                    v[e] = targets[k];
                    w[e++] = weights[k];
                }
            }
        }
        return new Edges(u, v, w);
    }

    /**
     * The subgraph induced by {@code members} (distinct nodes), relabelled {@code 0 .. members.length-1} in the given
     * order. Cost O(sum of the members' degrees) plus O(n) for the relabelling map.
     */
    public WeightedGraph induced(int[] members) {
        int[] local = new int[nodes];
        Arrays.fill(local, -1);
        for (int i = 0; i < members.length; i++) {
            if (local[members[i]] >= 0) {
                throw new AtlasException("graph: node " + members[i] + " appears twice among the members");
            }
            local[members[i]] = i;
        }
        return induced(members, local);
    }

    /** As {@link #induced(int[])} with a caller-owned map node -&gt; local index (or -1), for many subgraphs. */
    WeightedGraph induced(int[] members, int[] local) {
        int m = 0;
        for (int x : members) {
            for (int k = offsets[x]; k < offsets[x + 1]; k++) {
                m += local[targets[k]] > local[x] ? 1 : 0;
            }
        }
        int[] u = new int[m];
        int[] v = new int[m];
        double[] w = new double[m];
        m = 0;
        for (int x : members) {
            for (int k = offsets[x]; k < offsets[x + 1]; k++) {
                int y = local[targets[k]];
                if (y > local[x]) {
                    u[m] = local[x];
                    v[m] = y;
                    w[m++] = weights[k];
                }
            }
        }
        return fromEdges(members.length, u, v, w);
    }

    /** Edge list arrays, {@code u[e] < v[e]}. */
    public record Edges(int[] u, int[] v, double[] w) {
        public int size() {
            return u.length;
        }
    }
}
