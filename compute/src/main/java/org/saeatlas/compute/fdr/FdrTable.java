package org.saeatlas.compute.fdr;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The replicate-count FDR table of the published method: for r = 1..R, {@code observed(r)} = edges seen in >= r of
 * the R observed trials, {@code expected_null(r)} = edges seen in >= r of the R matched null trials, and
 * {@code fdr_est(r) = expected_null(r) / observed(r)} (NaN when nothing is observed). The threshold r* is the
 * smallest r with observed(r) > 0 and fdr_est(r) <= alpha. Cost O(edges + R).
 *
 * @param rows  one row per r = 1..R
 * @param rStar the threshold, empty when no r reaches alpha
 */
public record FdrTable(List<Row> rows, OptionalInt rStar) {

    /** One threshold of the table. */
    public record Row(int r, long observed, long expectedNull, double fdrEst) { }

    /**
     * @param observedCounts replicate count of each distinct edge seen in the observed trials
     * @param nullCounts     replicate count of each distinct edge seen in the null trials
     */
    public static FdrTable of(int[] observedCounts, int[] nullCounts, int resamples, double alpha) {
        long[] obs = atLeast(observedCounts, resamples);
        long[] nul = atLeast(nullCounts, resamples);
        List<Row> rows = new ArrayList<>(resamples);
        OptionalInt rStar = OptionalInt.empty();
        for (int r = 1; r <= resamples; r++) {
            double fdr = obs[r] == 0 ? Double.NaN : nul[r] / (double) obs[r];
            rows.add(new Row(r, obs[r], nul[r], fdr));
            if (rStar.isEmpty() && obs[r] > 0 && fdr <= alpha) {
                rStar = OptionalInt.of(r);
            }
        }
        return new FdrTable(List.copyOf(rows), rStar);
    }

    /** out[r] = number of counts >= r, for r = 0..R. */
    private static long[] atLeast(int[] counts, int resamples) {
        long[] out = new long[resamples + 2];
        for (int c : counts) {
            out[Math.min(c, resamples)]++;
        }
        for (int r = resamples; r >= 0; r--) {
            out[r] += out[r + 1];
        }
        return out;
    }
}
