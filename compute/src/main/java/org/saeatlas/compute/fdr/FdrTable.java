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
 * <p>{@link #withIndirect} adds, per r, an estimated share of indirect edges (a pair joined by a path of length two,
 * which no permutation null can see) and picks r* by the estimated total error {@code fdr_est + indirect_share}
 * instead.
 *
 * @param rows  one row per r = 1..R
 * @param rStar the threshold, empty when no r reaches alpha
 */
public record FdrTable(List<Row> rows, OptionalInt rStar) {

    /**
     * One threshold of the table.
     *
     * @param indirectShare estimated share of indirect edges among those seen in >= r trials (NaN: not estimated)
     * @param totalError    the error r* is chosen by: fdrEst alone, or fdrEst + indirectShare when that is estimated
     */
    public record Row(int r, long observed, long expectedNull, double fdrEst, double indirectShare,
                      double totalError) {
        /** A row without an indirect-share estimate: the total error is the chance FDR. */
        public Row(int r, long observed, long expectedNull, double fdrEst) {
            this(r, observed, expectedNull, fdrEst, Double.NaN, fdrEst);
        }

        public boolean hasIndirectEstimate() {
            return !Double.isNaN(indirectShare);
        }
    }

    /**
     * This table with an indirect share per r ({@code indirectShare[r - 1]}, NaN where unknown) and r* re-chosen as the
     * smallest r with observed(r) > 0 and fdr_est(r) + indirect_share(r) <= alpha (a NaN total never qualifies).
     */
    public FdrTable withIndirect(double[] indirectShare, double alpha) {
        if (indirectShare.length != rows.size()) {
            throw new IllegalArgumentException("indirect share needs one value per r = 1.." + rows.size()
                    + ", found " + indirectShare.length);
        }
        List<Row> out = new ArrayList<>(rows.size());
        OptionalInt star = OptionalInt.empty();
        for (Row row : rows) {
            double share = indirectShare[row.r() - 1];
            double total = row.fdrEst() + share;
            out.add(new Row(row.r(), row.observed(), row.expectedNull(), row.fdrEst(), share, total));
            if (star.isEmpty() && row.observed() > 0 && total <= alpha) {
                star = OptionalInt.of(row.r());
            }
        }
        return new FdrTable(List.copyOf(out), star);
    }

    /** The row of r, if 1 <= r <= R. */
    public java.util.Optional<Row> row(int r) {
        return r >= 1 && r <= rows.size() ? java.util.Optional.of(rows.get(r - 1)) : java.util.Optional.empty();
    }

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
