package org.saeatlas.compute.resampling;

/** How the tokens of each trial are drawn from the data set. */
public enum ResamplingMode {
    /** R disjoint blocks of n/R tokens: every trial sees fresh tokens, as the published method sampled fresh text. */
    DISJOINT,
    /** A fraction of the n tokens, drawn without replacement independently per trial (trials overlap). */
    SUBSAMPLE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
