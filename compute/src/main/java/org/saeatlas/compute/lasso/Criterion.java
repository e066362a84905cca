package org.saeatlas.compute.lasso;

import java.util.Locale;

/** How one lambda is chosen on each nodewise LASSO path. */
public enum Criterion {
    /** Bayesian information criterion: {@code n log(RSS/n) + df log n} (Schwarz 1978). */
    BIC,
    /** Extended BIC: BIC plus {@code 2 gamma df log(candidates)} (Chen &amp; Chen, Biometrika 2008). */
    EBIC;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
