package org.saeatlas.compute.correlation;

import org.saeatlas.errors.AtlasException;

/**
 * Settings of the per-trial pre-screen.
 *
 * @param method    the pair test
 * @param q         Benjamini-Hochberg level over all pairs of features that fire in the trial
 * @param topK      at most this many candidates per feature, by |Pearson r| among the discoveries
 * @param minCoFire pairs co-firing on fewer tokens are not candidates (1 = no floor)
 */
public record ScreenParameters(PreScreen method, double q, int topK, int minCoFire) {
    public ScreenParameters {
        if (method == null) {
            throw new AtlasException("pre-screen: a method is required (fisher-z or hypergeometric), found none");
        }
        if (!(q > 0 && q < 0.5)) {
            throw new AtlasException("pre-screen: BH level q must be in (0, 0.5), found " + q);
        }
        if (topK < 1) {
            throw new AtlasException("pre-screen: top-k must be >= 1, found " + topK);
        }
        if (minCoFire < 1) {
            throw new AtlasException("pre-screen: minimum co-firing count must be >= 1, found " + minCoFire);
        }
    }
}
