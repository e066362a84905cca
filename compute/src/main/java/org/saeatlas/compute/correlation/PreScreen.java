package org.saeatlas.compute.correlation;

import java.util.Locale;

/** The per-trial test that decides which feature pairs become LASSO candidates. */
public enum PreScreen {
    /** Published: Pearson r -> Fisher z -> two-sided normal p-value. Miscalibrated for rare, zero-inflated features. */
    FISHER_Z,
    /** Calibrated: exact upper-tail hypergeometric test of the co-firing count on firing indicators. */
    HYPERGEOMETRIC;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
