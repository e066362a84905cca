package org.saeatlas.compute.matching;

/** What a match score measures. */
public enum Similarity {
    /** Cosine of the two features' decoder directions (same d_in: same model and layer). */
    DECODER_COSINE,
    /** Pearson correlation of the two features' activations over the same tokens (zeros included). */
    ACTIVATION_CORRELATION,
    /**
     * Closeness of the two features' neighbourhood statistics in their own graphs ({@link StructuralMatcher}):
     * {@code 1 / (1 + d)} for the Euclidean distance d between standardised statistic vectors.
     */
    STRUCTURAL
}
