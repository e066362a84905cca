package org.saeatlas.compute.lasso;

import java.util.Locale;

/** The n used by the selection criterion of one nodewise regression. */
public enum SampleSize {
    /** All tokens of the trial (published; Gaussian BIC then over-selects on zero-inflated data). */
    TOKENS,
    /**
     * The tokens on which the response feature fires. Residuals of a zero-inflated response live almost only where
     * it (or its parents) fire, so the Gaussian likelihood over all n tokens overstates the evidence for a spurious
     * predictor by about n / firings; scaling the criterion by the firing count removes that inflation.
     */
    FIRING;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
