package org.saeatlas.compute.graphs;

import java.util.Arrays;

/**
 * The diameter of an unweighted graph: the largest finite shortest-path distance (hops) between two nodes, so a
 * disconnected graph reports the largest diameter of its parts.
 *
 * <p>Exact for parts of at most {@code exactLimit} nodes: a breadth-first search from every node, O(n m). Larger
 * parts get bounds from iterated double sweeps (Magnien, Latapy &amp; Habib 2009, "Fast computation of empirically
 * tight bounds for the diameter of massive graphs", ACM JEA 13): BFS from the highest-degree node, then from the
 * farthest node found, {@code sweeps} times; the largest eccentricity seen is a lower bound and twice the smallest
 * eccentricity seen is an upper bound (capped at the part's size - 1), at O(sweeps m). {@link Estimate#exact()} says
 * which.
 */
public final class Diameter {

    /** Lower and upper bound; equal (and {@code exact}) when computed exactly or when the bounds meet. */
    public record Estimate(int lower, int upper, boolean exact) { }

    private Diameter() {
    }

    public static Estimate of(WeightedGraph g, int exactLimit, int sweeps) {
        int[][] parts = ConnectedComponents.of(g).allMembers();
        int[] dist = new int[g.nodes()];
        Arrays.fill(dist, -1);
        int[] queue = new int[g.nodes()];
        int lower = 0;
        int upper = 0;
        for (int[] part : parts) {
            if (part.length == 1) {
                continue;
            }
            if (part.length <= exactLimit) {
                int d = 0;
                for (int s : part) {
                    d = Math.max(d, bfs(g, s, dist, queue)[1]);
                }
                lower = Math.max(lower, d);
                upper = Math.max(upper, d);
                continue;
            }
            int start = part[0];
            for (int v : part) {
                start = g.degree(v) > g.degree(start) ? v : start;
            }
            int lo = 0;
            int hi = part.length - 1;
            for (int s = 0; s < Math.max(1, sweeps); s++) {
                int[] far = bfs(g, start, dist, queue);
                lo = Math.max(lo, far[1]);
                hi = Math.min(hi, 2 * far[1]);
                start = far[0];
            }
            lower = Math.max(lower, lo);
            upper = Math.max(upper, hi);
        }
        return new Estimate(lower, upper, lower == upper);
    }

    /** BFS from s; returns {farthest node, its distance}. Leaves {@code dist} all -1 again. */
    private static int[] bfs(WeightedGraph g, int s, int[] dist, int[] queue) {
        int head = 0;
        int tail = 0;
        queue[tail++] = s;
        dist[s] = 0;
        while (head < tail) {
            int x = queue[head++];
            for (int k = g.offsets()[x]; k < g.offsets()[x + 1]; k++) {
                int y = g.targets()[k];
                if (dist[y] < 0) {
                    dist[y] = dist[x] + 1;
                    queue[tail++] = y;
                }
            }
        }
        int far = queue[tail - 1];
        int[] out = {far, dist[far]};
        for (int q = 0; q < tail; q++) {
            dist[queue[q]] = -1;
        }
        return out;
    }
}
