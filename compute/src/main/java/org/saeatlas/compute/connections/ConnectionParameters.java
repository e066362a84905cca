package org.saeatlas.compute.connections;

import java.util.LinkedHashMap;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.lasso.Criterion;
import org.saeatlas.compute.lasso.LassoParameters;
import org.saeatlas.compute.lasso.SampleSize;

/**
 * Every setting of a connection run between an upstream SAE A and a downstream SAE B over the same tokens.
 *
 * @param resamples         R observed trials (token subsamples), each with one null trial on the same rows of a copy
 *                          of A whose token rows are permuted once (A shuffled against B)
 * @param subsampleFraction share of the tokens drawn, without replacement, per trial
 * @param candidates        k: upstream candidates per downstream feature from the cross co-firing (top k by r > 0)
 * @param hops              how many of the strongest candidates lend their own co-firing upstream features as
 *                          second-hop candidates (inhibitors that rarely fire with the downstream feature)
 * @param hopCandidates     how many second-hop candidates are added, by |partial correlation| given the hub
 * @param minCoFiring       fewest tokens a pair must co-fire on to be a candidate
 * @param lasso             the LASSO path, criterion (EBIC, BIC) and refit, as in the dependence engine
 * @param alpha             FDR level that picks r*
 * @param linearThreshold   a downstream feature is linear when the nonlinear baseline's gain in variance explained
 *                          (loss difference normalised by the feature's variance) is below this (published 0.001)
 * @param linearityRows     at most this many tokens (where the feature or a candidate fires) per feature for the
 *                          linear-versus-nonlinear comparison; the silent tokens enter as one weighted row
 * @param hidden            hidden units of the nonlinear baseline (one-hidden-layer MLP with a linear skip)
 * @param epochs            training epochs of the baseline
 * @param seed              master seed; every trial, shuffle and baseline derives its own
 * @param threads           worker threads (the output does not depend on it)
 */
public record ConnectionParameters(int resamples, double subsampleFraction, int candidates, int hops,
                                   int hopCandidates, int minCoFiring, LassoParameters lasso, double alpha,
                                   double linearThreshold, int linearityRows, int hidden, int epochs, long seed,
                                   int threads) {

    public ConnectionParameters {
        if (resamples < 1 || resamples > 4096) {
            throw new AtlasException("connections: resamples R must be in [1, 4096], found " + resamples);
        }
        if (!(subsampleFraction > 0 && subsampleFraction <= 1)) {
            throw new AtlasException("connections: subsample fraction must be in (0, 1], found " + subsampleFraction);
        }
        if (candidates < 1 || candidates > 1024) {
            throw new AtlasException("connections: candidates k must be in [1, 1024], found " + candidates);
        }
        if (hops < 0 || hopCandidates < 0 || hopCandidates > 1024) {
            throw new AtlasException("connections: hops and hop candidates must be >= 0 (hop candidates <= 1024),"
                    + " found " + hops + " and " + hopCandidates);
        }
        if (minCoFiring < 1) {
            throw new AtlasException("connections: minimum co-firing must be >= 1, found " + minCoFiring);
        }
        if (lasso == null || lasso.criterion() == Criterion.CV) {
            throw new AtlasException("connections: the lasso criterion must be bic or ebic, found "
                    + (lasso == null ? "none" : lasso.criterion().label()));
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new AtlasException("connections: FDR level alpha must be in (0, 1), found " + alpha);
        }
        if (!(linearThreshold >= 0) || !Double.isFinite(linearThreshold)) {
            throw new AtlasException("connections: linear threshold must be a finite number >= 0, found "
                    + linearThreshold);
        }
        if (linearityRows < 16 || hidden < 1 || hidden > 1024 || epochs < 1 || epochs > 10_000) {
            throw new AtlasException("connections: linearity rows must be >= 16, hidden units in [1, 1024] and"
                    + " epochs in [1, 10000], found " + linearityRows + ", " + hidden + ", " + epochs);
        }
        if (threads < 1) {
            throw new AtlasException("connections: threads must be >= 1, found " + threads);
        }
    }

    /**
     * Defaults: 10 half-subsamples, k = 12 plus 4 second-hop candidates, EBIC(1) on firing tokens with refit on a path
     * down to lambda_max / 100; the baseline on at most 512 tokens per feature, 16 hidden units, 20 epochs.
     */
    public static ConnectionParameters defaults() {
        return new ConnectionParameters(10, 0.5, 12, 2, 4, 2,
                new LassoParameters(30, 1e-2, Criterion.EBIC, 1.0, true, SampleSize.FIRING),
                0.1, 0.001, 512, 16, 20, 42L, Runtime.getRuntime().availableProcessors());
    }

    public ConnectionParameters withResamples(int r) {
        return new ConnectionParameters(r, subsampleFraction, candidates, hops, hopCandidates, minCoFiring, lasso,
                alpha, linearThreshold, linearityRows, hidden, epochs, seed, threads);
    }

    public ConnectionParameters withSeed(long newSeed) {
        return new ConnectionParameters(resamples, subsampleFraction, candidates, hops, hopCandidates, minCoFiring,
                lasso, alpha, linearThreshold, linearityRows, hidden, epochs, newSeed, threads);
    }

    public ConnectionParameters withThreads(int t) {
        return new ConnectionParameters(resamples, subsampleFraction, candidates, hops, hopCandidates, minCoFiring,
                lasso, alpha, linearThreshold, linearityRows, hidden, epochs, seed, t);
    }

    public ConnectionParameters withLinearThreshold(double threshold) {
        return new ConnectionParameters(resamples, subsampleFraction, candidates, hops, hopCandidates, minCoFiring,
                lasso, alpha, threshold, linearityRows, hidden, epochs, seed, threads);
    }

    /** The settings as a flat map (stored with the run; the thread count is left out: it changes nothing). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resamples", resamples);
        m.put("subsample_fraction", subsampleFraction);
        m.put("candidates", candidates);
        m.put("hops", hops);
        m.put("hop_candidates", hopCandidates);
        m.put("min_co_firing", minCoFiring);
        m.put("lambda_count", lasso.lambdaCount());
        m.put("lambda_min_ratio", lasso.lambdaMinRatio());
        m.put("criterion", lasso.criterion().label());
        m.put("ebic_gamma", lasso.ebicGamma());
        m.put("refit", lasso.refit());
        m.put("criterion_n", lasso.sampleSize().label());
        m.put("alpha", alpha);
        m.put("linear_threshold", linearThreshold);
        m.put("linearity_rows", linearityRows);
        m.put("hidden", hidden);
        m.put("epochs", epochs);
        m.put("seed", seed);
        return m;
    }
}
