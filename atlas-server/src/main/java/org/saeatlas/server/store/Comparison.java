package org.saeatlas.server.store;

import java.util.Map;

/**
 * Two runs' graphs compared under the matching of their SAEs: divergences and overlaps against their baselines, and
 * the counts behind them; what a comparison did not compute is null.
 */
public record Comparison(String id, String runA, String runB, String matchRun, Long matchedFeatures, Double degreeJsd,
                         Double strengthJsd, Double erDegreeJsd, Double erStrengthJsd, Double rewiredDegreeJsd,
                         Double rewiredStrengthJsd, Double edgeJaccard, Double erEdgeJaccard,
                         Double rewiredEdgeJaccard, Double ari, Double nmi, String parameters, Double erDegreeJsdSd,
                         Double erStrengthJsdSd, Double rewiredStrengthJsdSd, Long baselineSeeds, Long sharedEdges,
                         Long matchedEdgesA, Long matchedEdgesB, Long analysedEdgesA, Long seedStableEdgesA,
                         Long analysedEdgesB, Long seedStableEdgesB, Long agreementFeatures, String createdAt) {

    static Comparison of(Map<String, Object> c) {
        return new Comparison(Props.str(c, "id"), Props.str(c, "runA"), Props.str(c, "runB"),
                Props.str(c, "matchRun"), Props.lng(c, "matchedFeatures"), Props.dbl(c, "degreeJsd"),
                Props.dbl(c, "strengthJsd"), Props.dbl(c, "erDegreeJsd"), Props.dbl(c, "erStrengthJsd"),
                Props.dbl(c, "rewiredDegreeJsd"), Props.dbl(c, "rewiredStrengthJsd"), Props.dbl(c, "edgeJaccard"),
                Props.dbl(c, "erEdgeJaccard"), Props.dbl(c, "rewiredEdgeJaccard"), Props.dbl(c, "ari"),
                Props.dbl(c, "nmi"), Props.str(c, "parameters"), Props.dbl(c, "erDegreeJsdSd"),
                Props.dbl(c, "erStrengthJsdSd"), Props.dbl(c, "rewiredStrengthJsdSd"), Props.lng(c, "baselineSeeds"),
                Props.lng(c, "sharedEdges"), Props.lng(c, "matchedEdgesA"), Props.lng(c, "matchedEdgesB"),
                Props.lng(c, "analysedEdgesA"), Props.lng(c, "seedStableEdgesA"), Props.lng(c, "analysedEdgesB"),
                Props.lng(c, "seedStableEdgesB"), Props.lng(c, "agreementFeatures"), Props.str(c, "createdAt"));
    }
}
