package org.saeatlas.compute.stability;

import java.util.LinkedHashMap;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.correlation.PreScreen;
import org.saeatlas.compute.correlation.ScreenParameters;
import org.saeatlas.compute.lasso.Criterion;
import org.saeatlas.compute.lasso.LassoParameters;
import org.saeatlas.compute.lasso.SampleSize;
import org.saeatlas.compute.resampling.NullMode;
import org.saeatlas.compute.resampling.ResamplingMode;

/**
 * Every setting of a stability-graph run. {@link #defaults()} is the calibrated combination measured on planted data;
 * {@link #published()} reproduces the published method on one fixed data set.
 *
 * @param resamples         R observed trials, each with one matched null trial
 * @param resampling        disjoint blocks or overlapping subsamples
 * @param subsampleFraction share of tokens per trial in subsample mode
 * @param nullMode          per-trial shuffles or one global shuffled copy
 * @param nullScreen        the p-value cut of a null trial's pre-screen: its own BH threshold, or the realised BH
 *                          threshold of its matched observed trial
 * @param screen            the pre-screen (test, BH q, top-k, co-firing floor)
 * @param lasso             the nodewise LASSO (path, criterion, refit)
 * @param merge             AND or OR
 * @param alpha             FDR level that picks r*
 * @param seed              master seed; every trial's seed derives from it
 * @param threads           worker threads (the output does not depend on it)
 * @param threshold         how r* is chosen: chance FDR alone, or chance FDR plus the planted twin's indirect share
 * @param twinFeatures      features of the planted twin (at most the input's), rule TOTAL only
 * @param explainAway       an edge that closes a nested two-path i - k - j is kept only when i and j are
 *                          conditionally dependent given k within k's support ({@link ExplainAway}); the others are
 *                          listed but never stable and not counted in the FDR table
 */
public record StabilityParameters(int resamples, ResamplingMode resampling, double subsampleFraction,
                                  NullMode nullMode, NullScreen nullScreen, ScreenParameters screen,
                                  LassoParameters lasso, MergeRule merge, double alpha, long seed, int threads,
                                  ThresholdRule threshold, int twinFeatures, boolean explainAway) {

    /** The settings without explaining away (edges are counted as the trials found them). */
    public StabilityParameters(int resamples, ResamplingMode resampling, double subsampleFraction, NullMode nullMode,
                               NullScreen nullScreen, ScreenParameters screen, LassoParameters lasso, MergeRule merge,
                               double alpha, long seed, int threads, ThresholdRule threshold, int twinFeatures) {
        this(resamples, resampling, subsampleFraction, nullMode, nullScreen, screen, lasso, merge, alpha, seed, threads,
                threshold, twinFeatures, false);
    }

    /** Default size of the planted twin that estimates the indirect share. */
    public static final int DEFAULT_TWIN_FEATURES = 1000;

    /** The settings with the published threshold rule (chance FDR alone), as before the option existed. */
    public StabilityParameters(int resamples, ResamplingMode resampling, double subsampleFraction, NullMode nullMode,
                               NullScreen nullScreen, ScreenParameters screen, LassoParameters lasso, MergeRule merge,
                               double alpha, long seed, int threads) {
        this(resamples, resampling, subsampleFraction, nullMode, nullScreen, screen, lasso, merge, alpha, seed, threads,
                ThresholdRule.CHANCE_ONLY, DEFAULT_TWIN_FEATURES);
    }

    public StabilityParameters {
        if (resamples < 1 || resamples > 4096) {
            throw new AtlasException("stability: resamples R must be in [1, 4096], found " + resamples);
        }
        if (resampling == null || nullMode == null || nullScreen == null || screen == null || lasso == null
                || merge == null) {
            throw new AtlasException("stability: resampling, null mode, null screen, screen, lasso and merge are all"
                    + " required");
        }
        if (!(subsampleFraction > 0 && subsampleFraction <= 1)) {
            throw new AtlasException("stability: subsample fraction must be in (0, 1], found " + subsampleFraction);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new AtlasException("stability: FDR level alpha must be in (0, 1), found " + alpha);
        }
        if (threads < 1) {
            throw new AtlasException("stability: threads must be >= 1, found " + threads);
        }
        if (threshold == null) {
            throw new AtlasException("stability: a threshold rule is required (total or chance-only), found none");
        }
        if (twinFeatures < 20) {
            throw new AtlasException("stability: the planted twin needs >= 20 features, found " + twinFeatures);
        }
    }

    /** The settings without a null-screen choice: null trials run their own BH (the form before the option existed). */
    public StabilityParameters(int resamples, ResamplingMode resampling, double subsampleFraction, NullMode nullMode,
                               ScreenParameters screen, LassoParameters lasso, MergeRule merge, double alpha,
                               long seed, int threads) {
        this(resamples, resampling, subsampleFraction, nullMode, NullScreen.OWN_BH, screen, lasso, merge, alpha, seed,
                threads);
    }

    /**
     * The calibrated defaults (see the calibration table in the README): a global null copy screened with the matched
     * observed trial's BH threshold, so the null reproduces the chance pairs the observed screen lets through.
     */
    public static StabilityParameters defaults() {
        return new StabilityParameters(30, ResamplingMode.SUBSAMPLE, 0.5, NullMode.GLOBAL, NullScreen.MATCHED_THRESHOLD,
                new ScreenParameters(PreScreen.HYPERGEOMETRIC, 0.05, 32, 2),
                new LassoParameters(30, 1e-3, Criterion.BIC, 1.0, true, SampleSize.FIRING),
                MergeRule.AND, 0.1, 42L, Runtime.getRuntime().availableProcessors(), ThresholdRule.TOTAL,
                DEFAULT_TWIN_FEATURES, true);
    }

    /** The published method on one data set: half-subsamples, per-trial null, Fisher z, BIC, AND. */
    public static StabilityParameters published() {
        return new StabilityParameters(30, ResamplingMode.SUBSAMPLE, 0.5, NullMode.PER_TRIAL, NullScreen.OWN_BH,
                new ScreenParameters(PreScreen.FISHER_Z, 0.05, 32, 1),
                new LassoParameters(30, 1e-3, Criterion.BIC, 0.0, false, SampleSize.TOKENS),
                MergeRule.AND, 0.1, 42L, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Whether the combination estimated chance edges well on planted data: fresh tokens per trial (disjoint) or a null
     * resampled like the data (global). Per-trial nulls on overlapping subsamples underestimate the FDR many-fold.
     */
    public boolean calibrated() {
        return resampling == ResamplingMode.DISJOINT || nullMode == NullMode.GLOBAL;
    }

    public StabilityParameters withSeed(long newSeed) {
        return new StabilityParameters(resamples, resampling, subsampleFraction, nullMode, nullScreen, screen, lasso,
                merge, alpha, newSeed, threads, threshold, twinFeatures, explainAway);
    }

    public StabilityParameters withThreads(int newThreads) {
        return new StabilityParameters(resamples, resampling, subsampleFraction, nullMode, nullScreen, screen, lasso,
                merge, alpha, seed, newThreads, threshold, twinFeatures, explainAway);
    }

    public StabilityParameters withResamples(int newResamples) {
        return new StabilityParameters(newResamples, resampling, subsampleFraction, nullMode, nullScreen, screen, lasso,
                merge, alpha, seed, threads, threshold, twinFeatures, explainAway);
    }

    public StabilityParameters withResampling(ResamplingMode mode, NullMode nulls) {
        return new StabilityParameters(resamples, mode, subsampleFraction, nulls, nullScreen, screen, lasso, merge, alpha,
                seed, threads, threshold, twinFeatures, explainAway);
    }

    public StabilityParameters withNullScreen(NullScreen newNullScreen) {
        return new StabilityParameters(resamples, resampling, subsampleFraction, nullMode, newNullScreen, screen, lasso,
                merge, alpha, seed, threads, threshold, twinFeatures, explainAway);
    }

    public StabilityParameters withScreen(ScreenParameters newScreen) {
        return new StabilityParameters(resamples, resampling, subsampleFraction, nullMode, nullScreen, newScreen, lasso,
                merge, alpha, seed, threads, threshold, twinFeatures, explainAway);
    }

    public StabilityParameters withLasso(LassoParameters newLasso) {
        return new StabilityParameters(resamples, resampling, subsampleFraction, nullMode, nullScreen, screen, newLasso,
                merge, alpha, seed, threads, threshold, twinFeatures, explainAway);
    }

    public StabilityParameters withMerge(MergeRule newMerge) {
        return new StabilityParameters(resamples, resampling, subsampleFraction, nullMode, nullScreen, screen, lasso,
                newMerge, alpha, seed, threads, threshold, twinFeatures, explainAway);
    }

    public StabilityParameters withThreshold(ThresholdRule rule) {
        return new StabilityParameters(resamples, resampling, subsampleFraction, nullMode, nullScreen, screen, lasso,
                merge, alpha, seed, threads, rule, twinFeatures, explainAway);
    }

    public StabilityParameters withTwinFeatures(int features) {
        return new StabilityParameters(resamples, resampling, subsampleFraction, nullMode, nullScreen, screen, lasso,
                merge, alpha, seed, threads, threshold, features, explainAway);
    }

    public StabilityParameters withExplainAway(boolean on) {
        return new StabilityParameters(resamples, resampling, subsampleFraction, nullMode, nullScreen, screen, lasso,
                merge, alpha, seed, threads, threshold, twinFeatures, on);
    }

    /** Every setting under the names run.json uses, in a fixed order. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resamples", resamples);
        m.put("resampling", resampling.label());
        m.put("subsample_fraction", subsampleFraction);
        m.put("null_mode", nullMode.label());
        m.put("null_screen", nullScreen.label());
        m.put("prescreen", screen.method().label());
        m.put("bh_q", screen.q());
        m.put("top_k", screen.topK());
        m.put("min_cofire", screen.minCoFire());
        m.put("lambda_count", lasso.lambdaCount());
        m.put("lambda_min_ratio", lasso.lambdaMinRatio());
        m.put("criterion", lasso.criterion().label());
        m.put("ebic_gamma", lasso.ebicGamma());
        if (lasso.criterion() == Criterion.CV) {
            m.put("cv_folds", lasso.cvFolds());
        }
        m.put("refit", lasso.refit());
        m.put("merge", merge.label());
        m.put("alpha", alpha);
        m.put("explain_away", explainAway);
        m.put("threshold", threshold.label());
        if (threshold == ThresholdRule.TOTAL) {
            m.put("twin_features", twinFeatures);
        }
        m.put("seed", seed);
        m.put("threads", threads);
        m.put("calibrated", calibrated());
        return m;
    }
}
