package org.saeatlas.compute.lasso;

import org.saeatlas.errors.AtlasException;

/**
 * Settings of each nodewise LASSO.
 *
 * @param lambdaCount    values on the geometric path from lambda_max down to lambdaMinRatio * lambda_max (>= 20)
 * @param lambdaMinRatio last lambda over the first, in (0, 1)
 * @param criterion      BIC or EBIC
 * @param ebicGamma      EBIC's gamma in [0, 1] (ignored by BIC)
 * @param refit          score each support by its unpenalised least-squares refit (relaxed LASSO) and keep the
 *                       refit coefficients; otherwise score and keep the penalised fit
 * @param sampleSize     the n of the criterion: all tokens, or the response's firing count (BIC and EBIC)
 * @param cvFolds        K of K-fold cross-validation (criterion CV), in [2, 100]
 */
public record LassoParameters(int lambdaCount, double lambdaMinRatio, Criterion criterion, double ebicGamma,
                              boolean refit, SampleSize sampleSize, int cvFolds) {
    /** Default K of {@link Criterion#CV}. */
    public static final int DEFAULT_CV_FOLDS = 5;

    /** Settings with {@link #DEFAULT_CV_FOLDS} folds (used only by {@link Criterion#CV}). */
    public LassoParameters(int lambdaCount, double lambdaMinRatio, Criterion criterion, double ebicGamma,
                           boolean refit, SampleSize sampleSize) {
        this(lambdaCount, lambdaMinRatio, criterion, ebicGamma, refit, sampleSize, DEFAULT_CV_FOLDS);
    }

    public LassoParameters {
        if (lambdaCount < 20) {
            throw new AtlasException("lasso: the lambda path needs >= 20 values, found " + lambdaCount);
        }
        if (!(lambdaMinRatio > 0 && lambdaMinRatio < 1)) {
            throw new AtlasException("lasso: lambda min ratio must be in (0, 1), found " + lambdaMinRatio);
        }
        if (criterion == null) {
            throw new AtlasException("lasso: a selection criterion is required (bic, ebic or cv), found none");
        }
        if (!(ebicGamma >= 0 && ebicGamma <= 1)) {
            throw new AtlasException("lasso: EBIC gamma must be in [0, 1], found " + ebicGamma);
        }
        if (sampleSize == null) {
            throw new AtlasException("lasso: a criterion sample size is required (tokens or firing), found none");
        }
        if (cvFolds < 2 || cvFolds > 100) {
            throw new AtlasException("lasso: cross-validation folds must be in [2, 100], found " + cvFolds);
        }
    }

    /** The n of the criterion for a response firing on {@code firing} of {@code tokens} tokens (at least 2). */
    int criterionN(int tokens, int firing) {
        return sampleSize == SampleSize.TOKENS ? tokens : Math.max(2, firing);
    }

    /** The penalty one more selected variable pays in the criterion, with n tokens and c candidates. */
    double penaltyPerVariable(int n, int c) {
        double extended = criterion == Criterion.EBIC && c > 1 ? 2 * ebicGamma * Math.log(c) : 0;
        return Math.log(n) + extended;
    }

    public LassoParameters withCriterion(Criterion newCriterion, int folds) {
        return new LassoParameters(lambdaCount, lambdaMinRatio, newCriterion, ebicGamma, refit, sampleSize, folds);
    }
}
