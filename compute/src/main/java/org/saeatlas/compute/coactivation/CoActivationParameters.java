package org.saeatlas.compute.coactivation;

import org.saeatlas.errors.AtlasException;

/**
 * Which co-firing pairs become co-activation edges.
 *
 * @param minCount          a pair needs at least this many tokens on which both fire [3]
 * @param minAbsCorrelation and |Pearson r| at least this [0.05]
 * @param topK              then each feature keeps its strongest topK partners by |r| (an edge survives when either
 *                          end keeps it) [20]
 * @param threads           worker threads
 */
public record CoActivationParameters(int minCount, double minAbsCorrelation, int topK, int threads) {

    public CoActivationParameters {
        if (minCount < 1) {
            throw new AtlasException("co-activation: minCount must be >= 1, found " + minCount);
        }
        if (!(minAbsCorrelation >= 0 && minAbsCorrelation <= 1)) {
            throw new AtlasException("co-activation: minAbsCorrelation must be in [0, 1], found " + minAbsCorrelation);
        }
        if (topK < 1) {
            throw new AtlasException("co-activation: topK must be >= 1, found " + topK);
        }
        if (threads < 1) {
            throw new AtlasException("co-activation: threads must be >= 1, found " + threads);
        }
    }

    public static CoActivationParameters defaults() {
        return new CoActivationParameters(3, 0.05, 20, Runtime.getRuntime().availableProcessors());
    }
}
