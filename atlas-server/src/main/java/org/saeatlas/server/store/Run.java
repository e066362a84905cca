package org.saeatlas.server.store;

import java.util.List;
import java.util.Map;

/**
 * A run as stored: what it is ({@code kind}, {@code method}, its SAE or SAEs), its status, its parameters as JSON,
 * and the figures its kind computes; a figure the run did not compute is null. {@code edgeCount} is null when the
 * run stores no count; {@code fdrTable} is the stored JSON text; {@code directed}: an imported directed graph;
 * {@code completedAt} and {@code edgesRevision} say which state of the run a projection must match.
 */
public record Run(String id, String kind, String method, String status, String sae, List<String> saes,
                  String parameters, Long rStar, String thresholdRule, Double estimatedChanceFdr,
                  Double estimatedIndirectShare, Double estimatedTotalError, String thresholdReason,
                  Long explainedAway, Long edgeCount, String software, String createdAt, String fdrTable,
                  Double cosineStrengthCorrelation, Double shareMatchedA, Double shareMatchedB,
                  List<String> graphRuns, Long stableConnections, Double linearThreshold, String baseline,
                  Long linearEvaluated, Long linearFeatures, Double linearShare, List<Long> degreeCounts,
                  List<Long> strengthCounts, Double strengthBinWidth, Long nodesWithEdges, boolean directed,
                  Object completedAt, long edgesRevision) {

    static Run of(Map<String, Object> r) {
        if (r == null) {
            return null;
        }
        return new Run(Props.str(r, "id"), Props.str(r, "kind"), Props.str(r, "method"), Props.str(r, "status"),
                Props.str(r, "sae"), Props.strings(r.get("saes")), Props.str(r, "parameters"), Props.lng(r, "rStar"),
                Props.str(r, "thresholdRule"), Props.dbl(r, "estimatedChanceFdr"),
                Props.dbl(r, "estimatedIndirectShare"), Props.dbl(r, "estimatedTotalError"),
                Props.str(r, "thresholdReason"), Props.lng(r, "explainedAway"), Props.lng(r, "edgeCount"),
                Props.str(r, "software"), Props.str(r, "createdAt"), Props.str(r, "fdrTable"),
                Props.dbl(r, "cosineStrengthCorrelation"), Props.dbl(r, "shareMatchedA"),
                Props.dbl(r, "shareMatchedB"), Props.strings(r.get("graphRuns")), Props.lng(r, "stableConnections"),
                Props.dbl(r, "linearThreshold"), Props.str(r, "baseline"), Props.lng(r, "linearEvaluated"),
                Props.lng(r, "linearFeatures"), Props.dbl(r, "linearShare"), Props.longs(r.get("degreeCounts")),
                Props.longs(r.get("strengthCounts")), Props.dbl(r, "strengthBinWidth"),
                Props.lng(r, "nodesWithEdges"), Boolean.TRUE.equals(r.get("directed")), r.get("completedAt"),
                r.get(org.saeatlas.schema.Vocabulary.EDGES_REVISION) instanceof Number n ? n.longValue() : 0L);
    }

    /** The SAEs the run is on: {@code saes} when it joins several, else its one SAE. */
    public List<String> saeIds() {
        return saes != null ? saes : List.of(sae);
    }
}
