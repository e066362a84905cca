package org.saeatlas.compute.stability;

import java.util.List;
import java.util.OptionalInt;
import org.saeatlas.compute.fdr.FdrTable;

/**
 * The outcome of a run.
 *
 * @param parameters  the settings used
 * @param tokens      tokens of the input
 * @param features    features of the input
 * @param edges       every edge seen in an observed trial, sorted by (i, j)
 * @param fdrTable    the replicate-count FDR table and r*
 * @param trials      diagnostics of the observed trials then the null trials, each in trial order
 * @param twin        what the planted twin measured (threshold rule TOTAL), or null
 * @param nestedEdges per r = 1..R (index r - 1), the observed edges seen in >= r trials that close a nested two-path
 *                    ({@link NestedPaths}; threshold rule TOTAL), or null
 * @param explained   the edges explained away by a nested common neighbour or container ({@link ExplainAway}), or null when off
 */
public record StabilityResult(StabilityParameters parameters, int tokens, int features, List<StableEdge> edges,
                              FdrTable fdrTable, List<TrialDiagnostics> trials, TwinEstimate twin,
                              long[] nestedEdges, ExplainAway.Result explained) {

    /** A result without a planted twin (chance-only threshold) and without explaining away. */
    public StabilityResult(StabilityParameters parameters, int tokens, int features, List<StableEdge> edges,
                           FdrTable fdrTable, List<TrialDiagnostics> trials) {
        this(parameters, tokens, features, edges, fdrTable, trials, null, null, null);
    }

    private String explainedNote() {
        return explained == null ? "" : String.format(java.util.Locale.ROOT, "; %d of %d edges closing a nested"
                + " two-path or inside a common container explained away by it", explained.keys().length, explained.tested());
    }

    /** The edges the FDR table counts: every observed edge except those explained away. */
    public List<StableEdge> countedEdges() {
        return explained == null ? edges : edges.stream()
                .filter(e -> !explained.contains((long) e.i() * features + e.j())).toList();
    }

    public OptionalInt rStar() {
        return fdrTable.rStar();
    }

    /** The FDR table's row at r*, if a threshold met alpha. */
    public java.util.Optional<FdrTable.Row> rStarRow() {
        return rStar().isPresent() ? fdrTable.row(rStar().getAsInt()) : java.util.Optional.empty();
    }

    /** One sentence saying why r* is what it is, with the estimates it was chosen by. */
    public String thresholdReason() {
        double alpha = parameters.alpha();
        boolean total = parameters.threshold() == ThresholdRule.TOTAL;
        String parts = total ? "estimated chance FDR (null trials) + estimated indirect share (planted twin)"
                : "estimated chance FDR (null trials; indirect edges not estimated, rule chance-only)";
        if (rStar().isEmpty()) {
            FdrTable.Row best = fdrTable.rows().stream().filter(r -> r.observed() > 0 && !Double.isNaN(r.totalError()))
                    .min(java.util.Comparator.comparingDouble(FdrTable.Row::totalError)).orElse(null);
            return String.format(java.util.Locale.ROOT, "no r met alpha %s: %s stayed above it%s%s", alpha, parts,
                    best == null ? "" : String.format(java.util.Locale.ROOT, " (lowest %.3f at r = %d)",
                            best.totalError(), best.r()), explainedNote());
        }
        FdrTable.Row at = rStarRow().orElseThrow();
        String here = total ? String.format(java.util.Locale.ROOT, "%.3f + %.3f = %.3f", at.fdrEst(),
                at.indirectShare(), at.totalError()) : String.format(java.util.Locale.ROOT, "%.3f", at.fdrEst());
        String before = "";
        if (at.r() > 1) {
            FdrTable.Row prev = fdrTable.rows().get(at.r() - 2);
            before = total ? String.format(java.util.Locale.ROOT, "; at r = %d it was %.3f + %.3f = %.3f", prev.r(),
                    prev.fdrEst(), prev.indirectShare(), prev.totalError())
                    : String.format(java.util.Locale.ROOT, "; at r = %d it was %.3f", prev.r(), prev.fdrEst());
        }
        return String.format(java.util.Locale.ROOT, "r* = %d: the smallest r whose %s is <= alpha %s (%s%s)%s", at.r(),
                parts, alpha, here, before, explainedNote());
    }

    public List<StableEdge> stableEdges() {
        return edges.stream().filter(StableEdge::stable).toList();
    }

    /** Edges seen in every one of the R observed trials. */
    public List<StableEdge> edgesInAllTrials() {
        return edges.stream().filter(e -> e.replicates() == parameters.resamples()).toList();
    }
}
