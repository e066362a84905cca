package org.saeatlas.ingest.analytics;

import java.util.LinkedHashMap;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.graphs.ShapeParameters;

/**
 * How a run's graph is analysed.
 *
 * @param algorithm  community detection [LEIDEN]
 * @param seed       Leiden's random seed (GDS runs single-threaded so the same seed gives the same communities) [42]
 * @param gamma      Leiden's modularity resolution: higher gives more, smaller communities [1.0]
 * @param theta      Leiden's randomness of the refinement step [0.01]
 * @param tolerance  minimum modularity gain to go on [1e-4]
 * @param maxLevels  levels of aggregation [10]
 * @param shapes     thresholds of the shape types
 * @param nearDuplicateEdgeCosine  flag a group whose edges' mean decoder cosine is at least this [0.9]. Higher than
 *                   the shapes' all-pairs threshold: edges join the most similar members (a parent and its children
 *                   sit near 0.75 in the demo, near-duplicate pairs near 0.96)
 */
public record AnalysisParameters(CommunityAlgorithm algorithm, long seed, double gamma, double theta,
                                 double tolerance, int maxLevels, ShapeParameters shapes,
                                 double nearDuplicateEdgeCosine) {

    public AnalysisParameters {
        if (algorithm == null || shapes == null) {
            throw new AtlasException("analysis: an algorithm and shape parameters are required");
        }
        if (!(gamma > 0) || !(theta > 0) || !(tolerance > 0) || maxLevels < 1) {
            throw new AtlasException("analysis: need gamma > 0, theta > 0, tolerance > 0 and maxLevels >= 1, found "
                    + gamma + ", " + theta + ", " + tolerance + ", " + maxLevels);
        }
        if (!(nearDuplicateEdgeCosine > 0 && nearDuplicateEdgeCosine <= 1)) {
            throw new AtlasException("analysis: nearDuplicateEdgeCosine must be in (0, 1], found "
                    + nearDuplicateEdgeCosine);
        }
    }

    public static AnalysisParameters defaults() {
        return new AnalysisParameters(CommunityAlgorithm.LEIDEN, 42L, 1.0, 0.01, 1e-4, 10, ShapeParameters.defaults(), 0.9);
    }

    public AnalysisParameters withAlgorithm(CommunityAlgorithm a) {
        return new AnalysisParameters(a, seed, gamma, theta, tolerance, maxLevels, shapes, nearDuplicateEdgeCosine);
    }

    public AnalysisParameters withSeed(long s) {
        return new AnalysisParameters(algorithm, s, gamma, theta, tolerance, maxLevels, shapes, nearDuplicateEdgeCosine);
    }

    public AnalysisParameters withGamma(double g) {
        return new AnalysisParameters(algorithm, seed, g, theta, tolerance, maxLevels, shapes, nearDuplicateEdgeCosine);
    }

    /** Everything the result depends on, in a fixed order (stored as JSON; part of the analysis id). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("algorithm", algorithm.gdsName());
        if (algorithm == CommunityAlgorithm.LEIDEN) {
            m.put("seed", seed);
            m.put("theta", theta);
            m.put("gamma", gamma);
        }
        m.put("tolerance", tolerance);
        m.put("maxLevels", maxLevels);
        m.put("concurrency", 1);
        m.put("weights", "|weight|");
        m.put("nearCliqueDensity", shapes.nearCliqueDensity());
        m.put("hubCentralisation", shapes.hubCentralisation());
        m.put("chainScore", shapes.chainScore());
        m.put("chainMaxDegree", shapes.chainMaxDegree());
        m.put("nearDuplicateEdgeCosine", nearDuplicateEdgeCosine);
        m.put("exactDiameterLimit", shapes.exactDiameterLimit());
        return m;
    }
}
