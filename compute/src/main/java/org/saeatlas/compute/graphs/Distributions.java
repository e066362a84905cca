package org.saeatlas.compute.graphs;

import org.saeatlas.errors.AtlasException;

/**
 * Degree and strength distributions of a graph over all its nodes (isolated nodes included, as degree 0 and
 * strength 0), as histograms of counts. Degrees are binned by value; strengths, being real, by {@link #strengthBins}
 * shared between the graphs to be compared. O(n + m).
 */
public final class Distributions {

    private Distributions() {
    }

    /** {@code counts[d]} nodes of degree d, for d = 0 .. max degree. */
    public static long[] degreeCounts(WeightedGraph g) {
        int max = 0;
        for (int v = 0; v < g.nodes(); v++) {
            max = Math.max(max, g.degree(v));
        }
        long[] counts = new long[max + 1];
        for (int v = 0; v < g.nodes(); v++) {
            counts[g.degree(v)]++;
        }
        return counts;
    }

    public static double[] strengths(WeightedGraph g) {
        double[] s = new double[g.nodes()];
        for (int v = 0; v < g.nodes(); v++) {
            s[v] = g.strength(v);
        }
        return s;
    }

    /**
     * Bins for strengths: bin 0 holds strength &lt;= 0 (isolated nodes; negative weights should be made absolute
     * first), bins 1..bins split (0, max] into equal widths; larger values (in other graphs) fall into the last bin.
     */
    public record StrengthBins(double max, int bins) {
        public StrengthBins {
            if (bins < 1 || !(max > 0) || Double.isInfinite(max)) {
                throw new AtlasException("strength bins: need bins >= 1 and a finite max > 0, found " + bins
                        + " bins up to " + max);
            }
        }

        public int bin(double strength) {
            if (strength <= 0) {
                return 0;
            }
            return 1 + Math.min(bins - 1, (int) (strength / max * bins));
        }
    }

    /** Equal-width bins up to the largest strength of any of the graphs (at least 1e-12). */
    public static StrengthBins strengthBins(int bins, WeightedGraph... graphs) {
        double max = 1e-12;
        for (WeightedGraph g : graphs) {
            for (int v = 0; v < g.nodes(); v++) {
                max = Math.max(max, g.strength(v));
            }
        }
        return new StrengthBins(max, bins);
    }

    /** Histogram of strengths, {@code bins.bins() + 1} counts. */
    public static long[] strengthCounts(WeightedGraph g, StrengthBins bins) {
        long[] counts = new long[bins.bins() + 1];
        for (int v = 0; v < g.nodes(); v++) {
            counts[bins.bin(g.strength(v))]++;
        }
        return counts;
    }
}
