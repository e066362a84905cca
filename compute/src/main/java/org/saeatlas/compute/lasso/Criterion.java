package org.saeatlas.compute.lasso;

import java.util.Locale;

/** How one lambda is chosen on each nodewise LASSO path. */
public enum Criterion {
    /** Bayesian information criterion: {@code n log(RSS/n) + df log n} (Schwarz 1978). */
    BIC,
    /** Extended BIC: BIC plus {@code 2 gamma df log(candidates)} (Chen &amp; Chen, Biometrika 2008). */
    EBIC,
    /**
     * K-fold cross-validation: the lambda whose fits on K-1 folds predict the held-out fold best (summed squared
     * error of the standardised response), as in glmnet's cv.glmnet (Friedman, Hastie &amp; Tibshirani 2010), done in
     * Gram form from per-fold sparse sums ({@link FoldMoments}).
     */
    CV;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
