package org.saeatlas.compute.comparison;

import org.saeatlas.compute.Progress;
import org.saeatlas.compute.graphs.Distributions;
import org.saeatlas.compute.graphs.WeightedGraph;

/**
 * Compares two graphs over features of two SAEs (the seed-comparison study): Jensen-Shannon divergence (base 2, the
 * divergence, not its square root; see {@link JensenShannon}) of their degree distributions and of their binned
 * strength distributions, against two baselines averaged over {@code baselineSeeds} random graphs:
 * <ul>
 *   <li>{@link NullModel#ERDOS_RENYI}: each graph against an Erdos-Renyi G(n, m) graph with the other's nodes and edges
 *       ({@link RandomGraphs#erdosRenyi}), the study's "random graph with the same numbers of nodes and edges";</li>
 *   <li>{@link NullModel#DEGREE_PRESERVING_REWIRING}: each graph against a degree-preserving rewiring of the other
 *       ({@link RandomGraphs#rewired}).
 *       Rewiring keeps every degree, so its degree JSD equals the observed one by construction: it is the null
 *       model for what degrees do not explain, here the strength distribution and the edge overlap.</li>
 * </ul>
 * Each baseline value is {@code (JSD(A, R(B)) + JSD(R(A), B)) / 2}. With a node matching, the edge overlap
 * ({@link EdgeOverlap}) is reported with the same baselines (A against the random version of B). Strength bins are
 * shared by all graphs of one comparison (up to the larger observed maximum). Cost O(seeds (n + m + swaps)).
 */
public final class GraphComparison {

    /** Mean and standard deviation over the baseline seeds. */
    public record Stat(double mean, double sd) { }

    /** One baseline: JSDs and (with a matching) the edge-overlap Jaccard, averaged over seeds. */
    public record Baseline(NullModel model, int seeds, Stat degreeJsd, Stat strengthJsd, Stat edgeJaccard) { }

    /**
     * @param degreeJsd    JSD of the two degree distributions, base 2, in [0, 1]
     * @param strengthJsd  JSD of the two binned strength distributions
     * @param overlap      edge overlap under the matching, or null without one
     */
    public record Result(double degreeJsd, double strengthJsd, EdgeOverlap overlap, Baseline erdosRenyi,
                         Baseline rewired, ComparisonParameters parameters) { }

    private GraphComparison() {
    }

    /** {@code bOfA} may be null (no edge overlap then). */
    public static Result compare(WeightedGraph a, WeightedGraph b, int[] bOfA, ComparisonParameters params,
            Progress progress) {
        Distributions.StrengthBins bins = Distributions.strengthBins(params.strengthBins(), a, b);
        double degree = JensenShannon.divergence(Distributions.degreeCounts(a), Distributions.degreeCounts(b));
        double strength = JensenShannon.divergence(Distributions.strengthCounts(a, bins),
                Distributions.strengthCounts(b, bins));
        EdgeOverlap overlap = bOfA == null ? null : EdgeOverlap.of(a, b, bOfA);
        Baseline er = baseline(NullModel.ERDOS_RENYI, a, b, bOfA, bins, params, progress);
        Baseline rw = baseline(NullModel.DEGREE_PRESERVING_REWIRING, a, b, bOfA, bins, params, progress);
        return new Result(degree, strength, overlap, er, rw, params);
    }

    private static Baseline baseline(NullModel model, WeightedGraph a, WeightedGraph b, int[] bOfA,
            Distributions.StrengthBins bins, ComparisonParameters p, Progress progress) {
        int seeds = p.baselineSeeds();
        double[] deg = new double[seeds];
        double[] str = new double[seeds];
        double[] jac = new double[seeds];
        long[] degA = Distributions.degreeCounts(a);
        long[] degB = Distributions.degreeCounts(b);
        long[] strA = Distributions.strengthCounts(a, bins);
        long[] strB = Distributions.strengthCounts(b, bins);
        for (int s = 0; s < seeds; s++) {
            long seed = p.seed() + s;
            WeightedGraph ra = random(model, a, seed * 2, p);
            WeightedGraph rb = random(model, b, seed * 2 + 1, p);
            deg[s] = (JensenShannon.divergence(degA, Distributions.degreeCounts(rb))
                    + JensenShannon.divergence(Distributions.degreeCounts(ra), degB)) / 2;
            str[s] = (JensenShannon.divergence(strA, Distributions.strengthCounts(rb, bins))
                    + JensenShannon.divergence(Distributions.strengthCounts(ra, bins), strB)) / 2;
            jac[s] = bOfA == null ? Double.NaN : EdgeOverlap.of(a, rb, bOfA).jaccard();
            progress.update("baseline " + model.name().toLowerCase(java.util.Locale.ROOT), s + 1, seeds);
        }
        return new Baseline(model, seeds, stat(deg), stat(str), bOfA == null ? null : stat(jac));
    }

    private static WeightedGraph random(NullModel model, WeightedGraph g, long seed, ComparisonParameters p) {
        return model == NullModel.ERDOS_RENYI ? RandomGraphs.erdosRenyi(g, seed)
                : RandomGraphs.rewired(g, p.swapsPerEdge(), seed);
    }

    private static Stat stat(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return new Stat(mean, x.length < 2 ? 0 : Math.sqrt(ss / (x.length - 1)));
    }
}
