package org.saeatlas.compute.matching;

import org.saeatlas.errors.AtlasException;

/**
 * How features of two SAEs are matched.
 *
 * @param k              candidates per feature, each way (top-k of A in B and of B in A) [10]
 * @param minScore       a one-to-one match needs at least this cosine or correlation [0.7]
 * @param splitMinScore  a one-to-many (split) partner needs at least this [0.5]
 * @param minCoFiring    activation correlation: a pair must co-fire on at least this many tokens [3]
 * @param threads        worker threads
 */
public record MatchParameters(int k, double minScore, double splitMinScore, int minCoFiring, int threads) {

    public MatchParameters {
        if (k < 1 || minCoFiring < 1 || threads < 1) {
            throw new AtlasException("matching: k, minCoFiring and threads must be >= 1, found k=" + k
                    + ", minCoFiring=" + minCoFiring + ", threads=" + threads);
        }
        if (!(minScore > 0 && minScore <= 1) || !(splitMinScore > 0 && splitMinScore <= 1)) {
            throw new AtlasException("matching: minScore and splitMinScore must be in (0, 1], found " + minScore
                    + " and " + splitMinScore);
        }
    }

    public static MatchParameters defaults() {
        return new MatchParameters(10, 0.7, 0.5, 3, Runtime.getRuntime().availableProcessors());
    }
}
