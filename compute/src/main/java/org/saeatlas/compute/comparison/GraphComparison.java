package org.saeatlas.compute.comparison;

import java.util.Arrays;
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

    /**
     * The distributions a baseline's JSDs were computed from: the mean number of nodes per degree and per strength bin
     * (the comparison's bins, {@link Observed}) of the random versions of A and of B, over the seeds.
     */
    public record MeanCounts(double[] degreeA, double[] degreeB, double[] strengthA, double[] strengthB) {
        @Override
        public boolean equals(Object o) {
            return o instanceof MeanCounts m && Arrays.equals(degreeA, m.degreeA) && Arrays.equals(degreeB, m.degreeB)
                    && Arrays.equals(strengthA, m.strengthA) && Arrays.equals(strengthB, m.strengthB);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(new Object[] {degreeA, degreeB, strengthA, strengthB});
        }

        @Override
        public String toString() {
            return "MeanCounts[degreeA=" + Arrays.toString(degreeA) + ", degreeB=" + Arrays.toString(degreeB)
                    + ", strengthA=" + Arrays.toString(strengthA) + ", strengthB=" + Arrays.toString(strengthB) + "]";
        }
    }

    /**
     * One baseline: JSDs and (with a matching) the edge-overlap Jaccard, averaged over seeds, and the mean
     * distributions of its random graphs.
     */
    public record Baseline(NullModel model, int seeds, Stat degreeJsd, Stat strengthJsd, Stat edgeJaccard,
                           MeanCounts counts) { }

    /**
     * The two graphs' distributions as compared: nodes per degree, and per strength bin of width
     * {@code strengthBinWidth} (bin 0: strength 0; bin k: ((k-1) w, k w]; the last bin also holds anything larger).
     */
    public record Observed(long[] degreeA, long[] degreeB, long[] strengthA, long[] strengthB,
                           double strengthBinWidth) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Observed x && Arrays.equals(degreeA, x.degreeA) && Arrays.equals(degreeB, x.degreeB)
                    && Arrays.equals(strengthA, x.strengthA) && Arrays.equals(strengthB, x.strengthB)
                    && Double.compare(strengthBinWidth, x.strengthBinWidth) == 0;
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(new Object[] {degreeA, degreeB, strengthA, strengthB, strengthBinWidth});
        }

        @Override
        public String toString() {
            return "Observed[degreeA=" + Arrays.toString(degreeA) + ", degreeB=" + Arrays.toString(degreeB)
                    + ", strengthA=" + Arrays.toString(strengthA) + ", strengthB=" + Arrays.toString(strengthB)
                    + ", strengthBinWidth=" + strengthBinWidth + "]";
        }
    }

    /**
     * @param degreeJsd    JSD of the two degree distributions, base 2, in [0, 1]
     * @param strengthJsd  JSD of the two binned strength distributions
     * @param overlap      edge overlap under the matching, or null without one
     * @param observed     the distributions compared
     */
    public record Result(double degreeJsd, double strengthJsd, EdgeOverlap overlap, Baseline erdosRenyi,
                         Baseline rewired, ComparisonParameters parameters, Observed observed) { }

    private GraphComparison() {
    }

    /** {@code bOfA} may be null (no edge overlap then). */
    public static Result compare(WeightedGraph a, WeightedGraph b, int[] bOfA, ComparisonParameters params,
            Progress progress) {
        Distributions.StrengthBins bins = Distributions.strengthBins(params.strengthBins(), a, b);
        Observed observed = new Observed(Distributions.degreeCounts(a), Distributions.degreeCounts(b),
                Distributions.strengthCounts(a, bins), Distributions.strengthCounts(b, bins), bins.max() / bins.bins());
        double degree = JensenShannon.divergence(observed.degreeA(), observed.degreeB());
        double strength = JensenShannon.divergence(observed.strengthA(), observed.strengthB());
        EdgeOverlap overlap = bOfA == null ? null : EdgeOverlap.of(a, b, bOfA);
        Baseline er = baseline(NullModel.ERDOS_RENYI, a, b, bOfA, bins, params, progress);
        Baseline rw = baseline(NullModel.DEGREE_PRESERVING_REWIRING, a, b, bOfA, bins, params, progress);
        return new Result(degree, strength, overlap, er, rw, params, observed);
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
        double[][] sums = new double[4][0]; // degrees of R(A), R(B); strengths of R(A), R(B)
        for (int s = 0; s < seeds; s++) {
            long seed = p.seed() + s;
            WeightedGraph ra = random(model, a, seed * 2, p);
            WeightedGraph rb = random(model, b, seed * 2 + 1, p);
            long[] degRa = Distributions.degreeCounts(ra);
            long[] degRb = Distributions.degreeCounts(rb);
            long[] strRa = Distributions.strengthCounts(ra, bins);
            long[] strRb = Distributions.strengthCounts(rb, bins);
            deg[s] = (JensenShannon.divergence(degA, degRb) + JensenShannon.divergence(degRa, degB)) / 2;
            str[s] = (JensenShannon.divergence(strA, strRb) + JensenShannon.divergence(strRa, strB)) / 2;
            jac[s] = bOfA == null ? Double.NaN : EdgeOverlap.of(a, rb, bOfA).jaccard();
            sums[0] = add(sums[0], degRa);
            sums[1] = add(sums[1], degRb);
            sums[2] = add(sums[2], strRa);
            sums[3] = add(sums[3], strRb);
            progress.update("baseline " + model.name().toLowerCase(java.util.Locale.ROOT), s + 1, seeds);
        }
        for (double[] sum : sums) {
            for (int k = 0; k < sum.length; k++) {
                sum[k] /= seeds;
            }
        }
        return new Baseline(model, seeds, stat(deg), stat(str), bOfA == null ? null : stat(jac),
                new MeanCounts(sums[0], sums[1], sums[2], sums[3]));
    }

    /** {@code sum + counts}, as long as the longer of the two. */
    private static double[] add(double[] sum, long[] counts) {
        double[] out = Arrays.copyOf(sum, Math.max(sum.length, counts.length));
        for (int k = 0; k < counts.length; k++) {
            out[k] += counts[k];
        }
        return out;
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
