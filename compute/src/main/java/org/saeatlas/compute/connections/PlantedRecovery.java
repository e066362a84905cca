package org.saeatlas.compute.connections;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a connection run recovered planted layers: the stable connections against the planted ones, per downstream
 * kind and overall (precision, recall, F1), the share of recovered connections with the planted sign, and the share
 * of features of each kind flagged linear.
 */
public record PlantedRecovery(List<Row> rows, Row total) {

    /**
     * One kind's figures.
     *
     * @param features      downstream features of the kind
     * @param planted       planted connections
     * @param truePositives stable connections that are planted
     * @param found         stable connections into those features
     * @param signsRight    of the true positives, those whose mean weight has the planted sign
     * @param evaluated     features with a linearity verdict
     * @param linear        of those, flagged linear
     */
    public record Row(String kind, int features, int planted, int truePositives, int found, int signsRight,
                      int evaluated, int linear) {
        public double precision() {
            return found == 0 ? Double.NaN : truePositives / (double) found;
        }

        public double recall() {
            return planted == 0 ? Double.NaN : truePositives / (double) planted;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return Double.isNaN(p) || Double.isNaN(r) || p + r == 0 ? Double.NaN : 2 * p * r / (p + r);
        }

        public double linearShare() {
            return evaluated == 0 ? Double.NaN : linear / (double) evaluated;
        }
    }

    public static PlantedRecovery of(PlantedLayers planted, ConnectionResult result) {
        int pB = planted.kinds().length;
        Map<Long, Integer> sign = new HashMap<>();
        for (int b = 0; b < pB; b++) {
            for (int x = 0; x < planted.truth()[b].length; x++) {
                sign.put((long) planted.truth()[b][x] * pB + b, planted.truthSigns()[b][x]);
            }
        }
        Map<PlantedLayers.Kind, int[]> acc = new EnumMap<>(PlantedLayers.Kind.class);
        for (PlantedLayers.Kind k : PlantedLayers.Kind.values()) {
            acc.put(k, new int[7]);
        }
        for (int b = 0; b < pB; b++) {
            int[] a = acc.get(planted.kinds()[b]);
            a[0]++;
            a[1] += planted.truth()[b].length;
        }
        for (Connection c : result.connections()) {
            if (!c.stable()) {
                continue;
            }
            int[] a = acc.get(planted.kinds()[c.downstream()]);
            a[3]++;
            Integer s = sign.get((long) c.upstream() * pB + c.downstream());
            if (s != null) {
                a[2]++;
                a[4] += Math.signum(c.weight()) == s ? 1 : 0;
            }
        }
        for (FeatureLinearity fl : result.linearity()) {
            int[] a = acc.get(planted.kinds()[fl.feature()]);
            a[5]++;
            a[6] += fl.linear() ? 1 : 0;
        }
        List<Row> rows = new ArrayList<>();
        int[] tot = new int[7];
        for (PlantedLayers.Kind k : PlantedLayers.Kind.values()) {
            int[] a = acc.get(k);
            if (a[0] == 0) {
                continue;
            }
            rows.add(new Row(k.label(), a[0], a[1], a[2], a[3], a[4], a[5], a[6]));
            for (int i = 0; i < 7; i++) {
                tot[i] += a[i];
            }
        }
        return new PlantedRecovery(List.copyOf(rows), new Row("all", tot[0], tot[1], tot[2], tot[3], tot[4], tot[5],
                tot[6]));
    }

    /** The table as fixed-width text. */
    public String table() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%-9s %8s %8s %6s %6s %9s %6s %6s %6s %8s%n", "kind", "features", "planted", "found", "true",
                "precision", "recall", "F1", "signs", "linear"));
        for (Row r : rows) {
            sb.append(line(r));
        }
        sb.append(line(total));
        return sb.toString();
    }

    private static String line(Row r) {
        return String.format(Locale.ROOT, "%-9s %8d %8d %6d %6d %9s %6s %6s %6s %8s%n", r.kind(), r.features(),
                r.planted(), r.found(), r.truePositives(), fmt(r.precision()), fmt(r.recall()), fmt(r.f1()),
                r.truePositives() == 0 ? "-" : r.signsRight() + "/" + r.truePositives(),
                r.evaluated() == 0 ? "-" : r.linear() + "/" + r.evaluated());
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }
}
