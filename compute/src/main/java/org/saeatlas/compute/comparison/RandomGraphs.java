package org.saeatlas.compute.comparison;

import java.util.SplittableRandom;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.graphs.WeightedGraph;

/**
 * Null-model graphs of the same size as a given graph, deterministic from a seed.
 * <ul>
 *   <li>{@link #erdosRenyi}: the Erdos-Renyi G(n, m) graph, m distinct edges drawn uniformly among all n(n-1)/2
 *       pairs (rejection of repeats; expected O(m) draws while m is at most half of all pairs). The original edge
 *       weights are shuffled onto the new edges, so the weight distribution is kept and only the structure is
 *       random.</li>
 *   <li>{@link #rewired}: the degree-preserving randomisation by double-edge swaps (Maslov &amp; Sneppen 2002,
 *       "Specificity and stability in topology of protein networks", Science 296): pick two edges (a,b) and (c,d) at
 *       random and rewire them to (a,d),(c,b) or (a,c),(b,d) with probability 1/2 each, rejecting a swap that would
 *       make a self-loop or a parallel edge; {@code swapsPerEdge * m} attempts. Every degree is kept exactly (so the
 *       degree distribution equals the original's), weights travel with their edge, so strengths change. O(swaps)
 *       expected with a hash set of edges.</li>
 * </ul>
 */
public final class RandomGraphs {

    private RandomGraphs() {
    }

    public static WeightedGraph erdosRenyi(WeightedGraph like, long seed) {
        int n = like.nodes();
        long m = like.edgeCount();
        long pairs = (long) n * (n - 1) / 2;
        if (m > pairs / 2) {
            throw new AtlasException("Erdos-Renyi: " + m + " edges on " + n + " nodes is denser than half of all "
                    + pairs + " pairs; a random graph that dense is not a useful baseline");
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] u = new int[(int) m];
        int[] v = new int[(int) m];
        LongSet seen = new LongSet((int) m);
        int e = 0;
        while (e < m) {
            int a = rng.nextInt(n);
            int b = rng.nextInt(n);
            if (a == b || !seen.add(key(a, b))) {
                continue;
            }
            u[e] = a;
            v[e++] = b;
        }
        double[] w = like.edges().w().clone();
        shuffle(w, rng);
        return WeightedGraph.fromEdges(n, u, v, w);
    }

    public static WeightedGraph rewired(WeightedGraph g, double swapsPerEdge, long seed) {
        WeightedGraph.Edges edges = g.edges();
        int m = edges.size();
        int[] u = edges.u().clone();
        int[] v = edges.v().clone();
        if (m < 2) {
            return g;
        }
        LongSet present = new LongSet(m);
        for (int e = 0; e < m; e++) {
            present.add(key(u[e], v[e]));
        }
        SplittableRandom rng = new SplittableRandom(seed);
        long attempts = (long) Math.ceil(swapsPerEdge * m);
        for (long t = 0; t < attempts; t++) {
            int e1 = rng.nextInt(m);
            int e2 = rng.nextInt(m);
            if (e1 == e2) {
                continue;
            }
            int a = u[e1];
            int b = v[e1];
            int c = u[e2];
            int d = v[e2];
            if (rng.nextBoolean()) {
                int x = c;
                c = d;
                d = x;
            }
            // proposed (a, d) and (c, b)
            if (a == d || c == b || present.contains(key(a, d)) || present.contains(key(c, b))) {
                continue;
            }
            present.remove(key(a, b));
            present.remove(key(u[e2], v[e2]));
            present.add(key(a, d));
            present.add(key(c, b));
            u[e1] = a;
            v[e1] = d;
            u[e2] = c;
            v[e2] = b;
        }
        return WeightedGraph.fromEdges(g.nodes(), u, v, edges.w());
    }

    static long key(int a, int b) {
        return (long) Math.min(a, b) << 32 | Math.max(a, b);
    }

    private static void shuffle(double[] w, SplittableRandom rng) {
        for (int i = w.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double x = w[i];
            w[i] = w[j];
            w[j] = x;
        }
    }
}
