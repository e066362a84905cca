package org.saeatlas.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An SAE as stored, with its feature count. Statistics that were not computed (no residuals, no training sparsity)
 * are null. {@code histogramEdges}: the activation bin edges its features' histograms share (null without
 * activations). {@code featureCount} is null where a read did not count them.
 */
public record Sae(String id, String model, String release, Long layer, String hookPoint, Long width, Long seed,
                  String architecture, Long dIn, Double l0, Double fvu, Double errorNorm, Double errorLinearR2,
                  Double errorNormProbeR2, Double nonlinearFvu, Long featureCount, String trainingFiringRateSource,
                  ErrorStatistics errorStatistics, List<Double> histogramEdges) {

    /** How the error statistics were computed, and the error norm against token rank; null when they were not. */
    public record ErrorStatistics(Long tokens, Long trainTokens, Long heldOutTokens, Double heldOutShare,
                                  Double ridge, Double seed, Double heldOutFvu, String source,
                                  List<CurvePoint> curve) { }

    /** The error norm at one token rank (0 = the largest). */
    public record CurvePoint(Long rank, Double norm) { }

    /** From {@code s {.*, featureCount: ...}}. */
    static Sae of(Map<String, Object> s) {
        if (s == null) {
            return null;
        }
        return new Sae(Props.str(s, "id"), Props.str(s, "model"), Props.str(s, "release"), Props.lng(s, "layer"),
                Props.str(s, "hookPoint"), Props.lng(s, "width"), Props.lng(s, "seed"), Props.str(s, "architecture"),
                Props.lng(s, "dIn"), Props.dbl(s, "l0"), Props.dbl(s, "fvu"), Props.dbl(s, "errorNorm"),
                Props.dbl(s, "errorLinearR2"), Props.dbl(s, "errorNormProbeR2"), Props.dbl(s, "nonlinearFvu"),
                Props.lng(s, "featureCount"), Props.str(s, "trainingFiringRateSource"), errorStatistics(s),
                Props.doubles(s.get("histogramEdges")));
    }

    private static ErrorStatistics errorStatistics(Map<String, Object> s) {
        if (s.get("errorStatsTokens") == null) {
            return null;
        }
        List<CurvePoint> curve = new ArrayList<>();
        List<Double> norms = Props.doubles(s.get("errorNormCurve"));
        List<Long> ranks = Props.longs(s.get("errorNormCurveRanks"));
        if (norms != null && ranks != null) {
            for (int i = 0; i < Math.min(norms.size(), ranks.size()); i++) {
                curve.add(new CurvePoint(ranks.get(i), norms.get(i)));
            }
        }
        return new ErrorStatistics(Props.lng(s, "errorStatsTokens"), Props.lng(s, "errorStatsTrainTokens"),
                Props.lng(s, "errorStatsHeldOutTokens"), Props.dbl(s, "errorStatsHeldOutShare"),
                Props.dbl(s, "errorStatsRidge"), Props.dbl(s, "errorStatsSeed"), Props.dbl(s, "errorStatsHeldOutFvu"),
                Props.str(s, "errorStatsSource"), List.copyOf(curve));
    }
}
