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
 */
public record StabilityResult(StabilityParameters parameters, int tokens, int features, List<StableEdge> edges,
                              FdrTable fdrTable, List<TrialDiagnostics> trials) {

    public OptionalInt rStar() {
        return fdrTable.rStar();
    }

    public List<StableEdge> stableEdges() {
        return edges.stream().filter(StableEdge::stable).toList();
    }

    /** Edges seen in every one of the R observed trials. */
    public List<StableEdge> edgesInAllTrials() {
        return edges.stream().filter(e -> e.replicates() == parameters.resamples()).toList();
    }
}
