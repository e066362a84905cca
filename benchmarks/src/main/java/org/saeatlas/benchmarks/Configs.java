package org.saeatlas.benchmarks;

import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.correlation.PreScreen;
import org.saeatlas.compute.correlation.ScreenParameters;
import org.saeatlas.compute.lasso.Criterion;
import org.saeatlas.compute.lasso.LassoParameters;
import org.saeatlas.compute.lasso.SampleSize;
import org.saeatlas.compute.resampling.NullMode;
import org.saeatlas.compute.resampling.ResamplingMode;
import org.saeatlas.compute.stability.MergeRule;
import org.saeatlas.compute.stability.NullScreen;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.compute.stability.ThresholdRule;

/** Named settings compared by the calibration and benchmark mains. */
final class Configs {
    private Configs() {
    }

    /**
     * A named setting; a suffix {@code +matched} or {@code +own-bh} sets the null trials' pre-screen cut
     * ({@link NullScreen}) of any of them.
     */
    static StabilityParameters named(String name) {
        if (name.endsWith("+matched")) {
            return named(name.substring(0, name.length() - 8)).withNullScreen(NullScreen.MATCHED_THRESHOLD);
        }
        if (name.endsWith("+own-bh")) {
            return named(name.substring(0, name.length() - 7)).withNullScreen(NullScreen.OWN_BH);
        }
        StabilityParameters d = StabilityParameters.defaults();
        StabilityParameters pub = StabilityParameters.published();
        return switch (name) {
            case "default" -> d;
            case "chance-only" -> d.withThreshold(ThresholdRule.CHANCE_ONLY);
            case "twin500" -> d.withTwinFeatures(500);
            case "no-explain-away" -> d.withExplainAway(false);
            case "twin2000" -> d.withTwinFeatures(2000);
            case "published" -> pub;
            case "published-global" -> pub.withResampling(ResamplingMode.SUBSAMPLE, NullMode.GLOBAL);
            case "published-disjoint" -> pub.withResampling(ResamplingMode.DISJOINT, NullMode.PER_TRIAL);
            case "default-disjoint" -> d.withResampling(ResamplingMode.DISJOINT, NullMode.PER_TRIAL);
            case "default-or" -> d.withMerge(MergeRule.OR);
            case "bic-tokens" -> d.withLasso(lasso(Criterion.BIC, 0, false, SampleSize.TOKENS));
            case "ebic1-tokens" -> d.withLasso(lasso(Criterion.EBIC, 1, true, SampleSize.TOKENS));
            case "bic-firing" -> d.withLasso(lasso(Criterion.BIC, 0, false, SampleSize.FIRING));
            case "bic-refit-firing" -> d.withLasso(lasso(Criterion.BIC, 0, true, SampleSize.FIRING));
            // the criterion of the previous default (EBIC gamma 1, refit, n = firing count)
            case "ebic1" -> d.withLasso(lasso(Criterion.EBIC, 1, true, SampleSize.FIRING));
            case "ebic1-chance-only" -> d.withLasso(lasso(Criterion.EBIC, 1, true, SampleSize.FIRING))
                    .withThreshold(ThresholdRule.CHANCE_ONLY).withExplainAway(false);
            case "ebic05-refit-firing" -> d.withLasso(lasso(Criterion.EBIC, 0.5, true, SampleSize.FIRING));
            case "ebic1-firing" -> d.withLasso(lasso(Criterion.EBIC, 1, false, SampleSize.FIRING));
            case "cv" -> d.withLasso(d.lasso().withCriterion(Criterion.CV, LassoParameters.DEFAULT_CV_FOLDS));
            case "cv10" -> d.withLasso(d.lasso().withCriterion(Criterion.CV, 10));
            case "fisher-default" -> d.withScreen(new ScreenParameters(PreScreen.FISHER_Z, 0.05, 32, 1));
            case "k8" -> d.withScreen(new ScreenParameters(PreScreen.HYPERGEOMETRIC, 0.05, 8, 2));
            case "k64" -> d.withScreen(new ScreenParameters(PreScreen.HYPERGEOMETRIC, 0.05, 64, 2));
            default -> throw new AtlasException("unknown config '" + name + "'");
        };
    }

    private static LassoParameters lasso(Criterion c, double gamma, boolean refit, SampleSize n) {
        return new LassoParameters(30, 1e-3, c, gamma, refit, n);
    }
}
