package org.saeatlas.compute.resampling;

/** How the matched null trials break dependence between features. */
public enum NullMode {
    /** Each null trial permutes every feature column of that trial's tokens afresh (the published form). */
    PER_TRIAL,
    /**
     * One permuted copy of the whole data set (every column shuffled independently once), resampled with exactly the
     * rows of each observed trial, so chance co-firings are as fixed in the null as in the data.
     */
    GLOBAL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
