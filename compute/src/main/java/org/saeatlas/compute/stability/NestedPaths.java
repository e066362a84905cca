package org.saeatlas.compute.stability;

import java.util.Arrays;
import java.util.List;
import org.saeatlas.compute.SparseActivations;

/**
 * Which edges close a <em>nested</em> two-path: edge (i, j) has a common neighbour k such that i and k are nested
 * (one fires almost only where the other fires: co-firings >= {@value #NESTED} x the smaller firing count), and so
 * are j and k. That is the shape of the pairs a hierarchy makes indirect: two children inside their parent's support
 * (siblings), or a grandchild inside its parent inside the grandparent. Members of a co-firing module are not nested
 * unless they fire with nearly every firing of each other. The planted twin's indirect share is measured separately
 * on edges that close a nested two-path and on the rest, and applied to the input's own counts of each class, so the
 * estimate follows how much hierarchy-like structure the input shows.
 *
 * <p>Cost: co-firing counts of the observed edges by merging sorted token lists, O(sum over edges of the two firing
 * counts), then O(sum over edges of the two degrees) to intersect neighbour lists.
 */
public final class NestedPaths {
    /** Share of the smaller support that must lie inside the larger for two features to count as nested. */
    public static final double NESTED = 0.95;

    private NestedPaths() {
    }

    /**
     * Per edge of {@code edges} (in order), the largest r at which it closes a nested two-path in the graph of edges
     * seen in >= r trials: the maximum over nested common neighbours k of min(replicates of ij, ik, jk); 0 if none.
     */
    public static int[] closedUpTo(SparseActivations x, List<StableEdge> edges) {
        int p = x.featureCount();
        SparseActivations.Columns cols = x.columns();
        int m = edges.size();
        // adjacency (both directions) with the edge's replicates and whether its ends are nested
        int[] degree = new int[p];
        for (StableEdge e : edges) {
            degree[e.i()]++;
            degree[e.j()]++;
        }
        int[] start = new int[p + 1];
        for (int v = 0; v < p; v++) {
            start[v + 1] = start[v] + degree[v];
        }
        long[] adj = new long[2 * m];
        int[] fill = Arrays.copyOf(start, p);
        for (StableEdge e : edges) {
            boolean nested = nested(cols, e.i(), e.j());
            long payload = (long) e.replicates() << 1 | (nested ? 1 : 0);
            adj[fill[e.i()]++] = (long) e.j() << 32 | payload;
            adj[fill[e.j()]++] = (long) e.i() << 32 | payload;
        }
        for (int v = 0; v < p; v++) {
            Arrays.sort(adj, start[v], start[v + 1]);
        }
        int[] out = new int[m];
        for (int k = 0; k < m; k++) {
            StableEdge e = edges.get(k);
            int a = start[e.i()];
            int b = start[e.j()];
            int best = 0;
            while (a < start[e.i() + 1] && b < start[e.j() + 1]) {
                long u = adj[a] >>> 32;
                long v = adj[b] >>> 32;
                if (u < v) {
                    a++;
                } else if (u > v) {
                    b++;
                } else {
                    if ((adj[a] & 1) == 1 && (adj[b] & 1) == 1) {
                        int reps = (int) Math.min(Math.min((adj[a] & 0xffffffffL) >>> 1, (adj[b] & 0xffffffffL) >>> 1),
                                e.replicates());
                        best = Math.max(best, reps);
                    }
                    a++;
                    b++;
                }
            }
            out[k] = best;
        }
        return out;
    }

    /**
     * Per edge of {@code edges} (in order), the largest r at which one of its ends is nested with one of its neighbours
     * (the other end included) in the graph of edges seen in >= r trials: the maximum over such neighbours of
     * min(replicates of the edge, of the nested edge); 0 if none. Hierarchies are made of nested pairs; co-firing
     * modules and near-independent features rarely are.
     */
    public static int[] nearNestedUpTo(SparseActivations x, List<StableEdge> edges) {
        int p = x.featureCount();
        SparseActivations.Columns cols = x.columns();
        int[] bestAt = new int[p];
        int[] nestedReps = new int[edges.size()];
        for (int k = 0; k < edges.size(); k++) {
            StableEdge e = edges.get(k);
            if (nested(cols, e.i(), e.j())) {
                nestedReps[k] = e.replicates();
                bestAt[e.i()] = Math.max(bestAt[e.i()], e.replicates());
                bestAt[e.j()] = Math.max(bestAt[e.j()], e.replicates());
            }
        }
        int[] out = new int[edges.size()];
        for (int k = 0; k < edges.size(); k++) {
            StableEdge e = edges.get(k);
            out[k] = Math.min(e.replicates(), Math.max(bestAt[e.i()], bestAt[e.j()]));
        }
        return out;
    }

    /** Per r = 1..R (index r - 1): edges seen in >= r trials that close a nested two-path at r. */
    public static long[] countByR(List<StableEdge> edges, int[] closedUpTo, int resamples) {
        long[] at = new long[resamples + 2];
        for (int k = 0; k < closedUpTo.length; k++) {
            at[Math.min(Math.min(closedUpTo[k], edges.get(k).replicates()), resamples)]++;
        }
        for (int r = resamples; r >= 1; r--) {
            at[r] += at[r + 1];
        }
        return Arrays.copyOfRange(at, 1, resamples + 1);
    }

    /** Whether the rarer of i and j fires on at least {@link #NESTED} of its tokens together with the other. */
    public static boolean nested(SparseActivations.Columns cols, int i, int j) {
        int smaller = Math.min(cols.colPtr()[i + 1] - cols.colPtr()[i], cols.colPtr()[j + 1] - cols.colPtr()[j]);
        return smaller > 0 && cofirings(cols, i, j) >= NESTED * smaller;
    }

    /** Tokens on which both i and j fire (merge of the two sorted token lists). */
    static long cofirings(SparseActivations.Columns cols, int i, int j) {
        int a = cols.colPtr()[i];
        int aEnd = cols.colPtr()[i + 1];
        int b = cols.colPtr()[j];
        int bEnd = cols.colPtr()[j + 1];
        int[] t = cols.tokens();
        long both = 0;
        while (a < aEnd && b < bEnd) {
            if (t[a] < t[b]) {
                a++;
            } else if (t[a] > t[b]) {
                b++;
            } else {
                both++;
                a++;
                b++;
            }
        }
        return both;
    }
}
