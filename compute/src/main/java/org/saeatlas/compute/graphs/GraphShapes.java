package org.saeatlas.compute.graphs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.saeatlas.compute.Progress;

/**
 * Shape statistics of the components or communities of a graph ({@link Shape}), each over the subgraph its members
 * induce, with a type: TOO_SMALL below 3 nodes; else NEAR_CLIQUE when density &gt;= {@code nearCliqueDensity}; else
 * HUB_AND_SPOKE when Freeman degree centralisation (Freeman 1978, "Centrality in social networks", Social Networks 1)
 * &gt;= {@code hubCentralisation}; else CHAIN when diameter/(size-1) &gt;= {@code chainScore} and max degree &lt;=
 * {@code chainMaxDegree}; else MIXED. The order matters: a triangle is a clique and a 3-path is a star.
 * Types follow the co-occurrence study's reading (hub-and-spoke ~ compositional, near-clique ~ ambiguity).
 *
 * <p>Cost per group of k nodes and e edges: O(sum of member degrees) to induce, O(sum deg^2) for clustering
 * (triangle counting by marking), O(k e) for an exact diameter (bounded by {@code exactDiameterLimit}; O(e) per sweep
 * above it), O(min(k^2, maxCosinePairs)) score calls for the mean decoder cosine. The flag {@code nearDuplicate}
 * marks groups whose members' mean pairwise cosine is high: the nodewise-LASSO study's tiny components of
 * near-duplicate features.
 */
public final class GraphShapes {

    private GraphShapes() {
    }

    /** The shape of one group of distinct nodes; {@code cosine} may be null. */
    public static Shape of(WeightedGraph g, int[] members, PairScore cosine, ShapeParameters params) {
        return shape(g.induced(members), members, cosine, params);
    }

    /**
     * Shapes of every group of a partition ({@code labels[v]} in {@code 0 .. groups-1}, or -1 for none), indexed by
     * group; {@code cosine} may be null.
     */
    public static List<Shape> ofPartition(WeightedGraph g, int[] labels, PairScore cosine, ShapeParameters params,
            Progress progress) {
        int groups = Partitions.groups(labels);
        int[][] members = Partitions.members(labels, groups);
        int[] local = new int[g.nodes()];
        Arrays.fill(local, -1);
        for (int[] m : members) {
            for (int i = 0; i < m.length; i++) {
                local[m[i]] = i;
            }
        }
        List<Shape> out = new ArrayList<>(groups);
        for (int c = 0; c < groups; c++) {
            // the shared map sends other groups' nodes to their own local indices; mask them while inducing
            int[] m = members[c];
            out.add(shape(inducedWithin(g, m, labels, c, local), m, cosine, params));
            if ((c & 255) == 255 || c == groups - 1) {
                progress.update("shapes", c + 1, groups);
            }
        }
        return out;
    }

    private static WeightedGraph inducedWithin(WeightedGraph g, int[] members, int[] labels, int c, int[] local) {
        int m = 0;
        for (int x : members) {
            for (int k = g.offsets()[x]; k < g.offsets()[x + 1]; k++) {
                int y = g.targets()[k];
                m += labels[y] == c && y > x ? 1 : 0;
            }
        }
        int[] u = new int[m];
        int[] v = new int[m];
        double[] w = new double[m];
        m = 0;
        for (int x : members) {
            for (int k = g.offsets()[x]; k < g.offsets()[x + 1]; k++) {
                int y = g.targets()[k];
                if (labels[y] == c && y > x) {
                    u[m] = local[x];
                    v[m] = local[y];
                    w[m++] = g.weights()[k];
                }
            }
        }
        return WeightedGraph.fromEdges(members.length, u, v, w);
    }

    private static Shape shape(WeightedGraph h, int[] members, PairScore cosine, ShapeParameters p) {
        int k = h.nodes();
        long e = h.edgeCount();
        double density = k < 2 ? 0 : 2.0 * e / ((double) k * (k - 1));
        int maxDegree = 0;
        for (int v = 0; v < k; v++) {
            maxDegree = Math.max(maxDegree, h.degree(v));
        }
        double meanDegree = k == 0 ? 0 : 2.0 * e / k;
        double centralisation = centralisation(h, maxDegree);
        double clustering = clustering(h);
        Diameter.Estimate d = Diameter.of(h, p.exactDiameterLimit(), p.diameterSweeps());
        double chain = k < 2 ? 0 : d.lower() / (double) (k - 1);
        ShapeType type;
        String reason;
        if (k < 3) {
            type = ShapeType.TOO_SMALL;
            reason = "size " + k + " < 3";
        } else if (density >= p.nearCliqueDensity()) {
            type = ShapeType.NEAR_CLIQUE;
            reason = fmt("density %.3f >= %s", density, p.nearCliqueDensity());
        } else if (centralisation >= p.hubCentralisation()) {
            type = ShapeType.HUB_AND_SPOKE;
            reason = fmt("density %.3f < %s and centralisation %.3f >= %s", density, p.nearCliqueDensity(),
                    centralisation, p.hubCentralisation());
        } else if (chain >= p.chainScore() && maxDegree <= p.chainMaxDegree()) {
            type = ShapeType.CHAIN;
            reason = fmt("centralisation %.3f < %s, diameter/(size-1) %.3f >= %s and max degree %d <= %d",
                    centralisation, p.hubCentralisation(), chain, p.chainScore(), maxDegree, p.chainMaxDegree());
        } else {
            type = ShapeType.MIXED;
            reason = fmt("density %.3f, centralisation %.3f, diameter/(size-1) %.3f with max degree %d: no"
                    + " threshold met", density, centralisation, chain, maxDegree);
        }
        double[] cos = meanCosine(members, cosine, p);
        boolean nearDuplicate = !Double.isNaN(cos[0]) && cos[0] >= p.nearDuplicateCosine();
        return new Shape(k, e, density, maxDegree, meanDegree, centralisation, clustering, d.lower(), d.upper(),
                d.exact(), chain, type, reason, cos[0], (long) cos[1], nearDuplicate);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Freeman: sum (dmax - d_v) over the maximum possible, (k-1)(k-2) (a star). */
    static double centralisation(WeightedGraph h, int maxDegree) {
        int k = h.nodes();
        if (k < 3) {
            return 0;
        }
        long sum = 0;
        for (int v = 0; v < k; v++) {
            sum += maxDegree - h.degree(v);
        }
        return sum / ((double) (k - 1) * (k - 2));
    }

    /** Mean over nodes of triangles(v) / (deg(v)(deg(v)-1)/2); degree &lt; 2 counts 0. */
    static double clustering(WeightedGraph h) {
        int k = h.nodes();
        if (k == 0) {
            return 0;
        }
        int[] mark = new int[k];
        Arrays.fill(mark, -1);
        double sum = 0;
        for (int v = 0; v < k; v++) {
            int dv = h.degree(v);
            if (dv < 2) {
                continue;
            }
            for (int a = h.offsets()[v]; a < h.offsets()[v + 1]; a++) {
                mark[h.targets()[a]] = v;
            }
            long links = 0;
            for (int a = h.offsets()[v]; a < h.offsets()[v + 1]; a++) {
                int u = h.targets()[a];
                for (int b = h.offsets()[u]; b < h.offsets()[u + 1]; b++) {
                    links += mark[h.targets()[b]] == v ? 1 : 0;
                }
            }
            // each link between two neighbours was seen from both ends
            sum += (links / 2.0) / (dv * (dv - 1) / 2.0);
        }
        return sum / k;
    }

    /** {mean cosine, pairs used}: all pairs up to maxCosinePairs, else that many random pairs. */
    private static double[] meanCosine(int[] members, PairScore cosine, ShapeParameters p) {
        int k = members.length;
        if (cosine == null || k < 2) {
            return new double[] {Double.NaN, 0};
        }
        long all = (long) k * (k - 1) / 2;
        double sum = 0;
        if (all <= p.maxCosinePairs()) {
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) {
                    sum += cosine.score(members[i], members[j]);
                }
            }
            return new double[] {sum / all, all};
        }
        SplittableRandom rng = new SplittableRandom(p.seed() ^ members[0]);
        for (int s = 0; s < p.maxCosinePairs(); s++) {
            int i = rng.nextInt(k);
            int j = rng.nextInt(k - 1);
            j = j >= i ? j + 1 : j;
            sum += cosine.score(members[i], members[j]);
        }
        return new double[] {sum / p.maxCosinePairs(), p.maxCosinePairs()};
    }
}
