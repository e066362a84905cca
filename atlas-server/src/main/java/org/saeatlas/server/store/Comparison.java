package org.saeatlas.server.store;

import java.util.List;
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
                         Long analysedEdgesB, Long seedStableEdgesB, Long agreementFeatures, String createdAt,
                         Distributions distributions) {

    /**
     * The distributions the JSDs compare (features per degree and per strength bin of each graph, in the comparison's
     * bins) and the baselines' mean distributions over their seeds; null for comparisons stored before they were kept.
     */
    public record Distributions(List<Long> degreeCountsA, List<Long> degreeCountsB, List<Long> strengthCountsA,
                                List<Long> strengthCountsB, Double strengthBinWidth, List<Double> erDegreeCountsA,
                                List<Double> erDegreeCountsB, List<Double> erStrengthCountsA,
                                List<Double> erStrengthCountsB, List<Double> rewiredStrengthCountsA,
                                List<Double> rewiredStrengthCountsB) {

        static Distributions of(Map<String, Object> c) {
            return c.get("degreeCountsA") == null ? null : new Distributions(Props.longs(c.get("degreeCountsA")),
                    Props.longs(c.get("degreeCountsB")), Props.longs(c.get("strengthCountsA")),
                    Props.longs(c.get("strengthCountsB")), Props.dbl(c, "strengthBinWidth"),
                    Props.doubles(c.get("erDegreeCountsA")), Props.doubles(c.get("erDegreeCountsB")),
                    Props.doubles(c.get("erStrengthCountsA")), Props.doubles(c.get("erStrengthCountsB")),
                    Props.doubles(c.get("rewiredStrengthCountsA")), Props.doubles(c.get("rewiredStrengthCountsB")));
        }
    }

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
                Props.lng(c, "seedStableEdgesB"), Props.lng(c, "agreementFeatures"), Props.str(c, "createdAt"),
                Distributions.of(c));
    }
}
