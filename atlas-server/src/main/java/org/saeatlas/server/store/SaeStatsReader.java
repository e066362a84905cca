package org.saeatlas.server.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;

/**
 * Distributions of a per-feature statistic over one SAE's features (firing rate, mean and max activation), for the
 * SAE page: a histogram and its summary, read from the stored feature properties. Features without the statistic
 * (no activations loaded) are counted as missing, never as 0.
 */
public final class SaeStatsReader {

    /** The statistics that have a distribution, by their GraphQL name, and the feature property each reads. */
    public enum Statistic {
        FIRING_RATE("firingRate"), MEAN_ACTIVATION("meanActivation"), MAX_ACTIVATION("maxActivation"),
        TRAINING_FIRING_RATE("trainingFiringRate");

        final String property;

        Statistic(String property) {
            this.property = property;
        }

        public static Statistic parse(String name) {
            for (Statistic s : values()) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
            throw new AtlasException("statistic: expected one of " + Arrays.toString(values()) + ", found " + name);
        }
    }

    /**
     * One statistic over an SAE's features. {@code scale} is {@code log} (bins evenly spaced in log10 between the
     * smallest and largest positive value; zeros are counted in {@code zeros}, outside the bins) when the values are
     * non-negative and span more than two decades, else {@code linear} (zeros inside the bins, and in {@code zeros}).
     * Min, max, mean and median are over the features with the statistic, zeros included; null when none has it.
     */
    public record Distribution(String statistic, int features, int missing, int zeros, Double min, Double max,
                               Double mean, Double median, String scale, List<Double> binEdges, List<Integer> counts) { }

    static final int MAX_BINS = 200;

    private final ReadStatements db;

    public SaeStatsReader(ReadStatements db) {
        this.db = db;
    }

    /** The distribution of {@code statistic} over the features of {@code sae} in {@code bins} bins. */
    public Distribution distribution(String sae, Statistic statistic, int bins) {
        if (bins < 1 || bins > MAX_BINS) {
            throw new AtlasException("distribution(bins): expected 1.." + MAX_BINS + ", found " + bins);
        }
        Map<String, Object> row = db.query("""
                MATCH (f:Feature {sae: $sae})
                RETURN count(f) AS features, collect(f[$property]) AS values""",
                Map.of("sae", sae, "property", statistic.property)).get(0);
        List<?> raw = (List<?>) row.get("values");
        double[] values = new double[raw.size()];
        int n = 0;
        for (Object v : raw) {
            if (v instanceof Number x && Double.isFinite(x.doubleValue())) {
                values[n++] = x.doubleValue();
            }
        }
        return of(statistic.name(), ((Number) row.get("features")).intValue(), Arrays.copyOf(values, n), bins);
    }

    /** The histogram and summary of {@code values} (finite) among {@code features} features. */
    static Distribution of(String statistic, int features, double[] values, int bins) {
        int missing = features - values.length;
        if (values.length == 0) {
            return new Distribution(statistic, features, missing, 0, null, null, null, null, "linear", List.of(),
                    List.of());
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int zeros = 0;
        double sum = 0;
        double minPositive = Double.POSITIVE_INFINITY;
        for (double v : sorted) {
            zeros += v == 0 ? 1 : 0;
            sum += v;
            if (v > 0 && v < minPositive) {
                minPositive = v;
            }
        }
        double min = sorted[0];
        double max = sorted[sorted.length - 1];
        int m = sorted.length;
        double median = m % 2 == 1 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
        boolean log = min >= 0 && minPositive < Double.POSITIVE_INFINITY && max / minPositive > 100;
        List<Double> edges = new ArrayList<>(bins + 1);
        int[] counts = new int[bins];
        if (log) {
            double lo = Math.log10(minPositive);
            double hi = Math.log10(max);
            for (int k = 0; k <= bins; k++) {
                edges.add(k == 0 ? minPositive : k == bins ? max : Math.pow(10, lo + (hi - lo) * k / bins));
            }
            for (double v : sorted) {
                if (v > 0) {
                    counts[bin((Math.log10(v) - lo) / (hi - lo), bins)]++;
                }
            }
        } else {
            for (int k = 0; k <= bins; k++) {
                edges.add(k == 0 ? min : k == bins ? max : min + (max - min) * k / bins);
            }
            for (double v : sorted) {
                counts[max == min ? 0 : bin((v - min) / (max - min), bins)]++;
            }
        }
        return new Distribution(statistic, features, missing, zeros, min, max, sum / m, median,
                log ? "log" : "linear", List.copyOf(edges), Arrays.stream(counts).boxed().toList());
    }

    /** The bin of a position in [0, 1]: the last bin is closed. */
    private static int bin(double position, int bins) {
        return Math.min(bins - 1, Math.max(0, (int) Math.floor(position * bins)));
    }
}
