package org.saeatlas.ingest.formats;

import java.util.Arrays;
import java.util.Objects;

/**
 * A natural-language explanation of one SAE feature. {@code source} says who wrote it (an explainer model name, a
 * Neuronpedia explanation type, "delphi", or the source column of a user's file); {@code score} (may be null) is a
 * quality score when the file carries one; {@code embedding} (may be null) is a text embedding when the file carries
 * one (Neuronpedia exports do).
 */
public record Explanation(int feature, String text, String source, Double score, float[] embedding) {

    public Explanation {
        Objects.requireNonNull(text, "text");
        if (feature < 0) {
            throw new IllegalArgumentException("feature index must be >= 0, found " + feature);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Explanation e && e.feature == feature && e.text.equals(text)
                && Objects.equals(e.source, source) && Objects.equals(e.score, score)
                && Arrays.equals(e.embedding, embedding);
    }

    @Override
    public int hashCode() {
        return Objects.hash(feature, text, source, score) * 31 + Arrays.hashCode(embedding);
    }

    @Override
    public String toString() {
        return "Explanation[" + feature + ", " + text + ", " + source + ", " + score
                + (embedding == null ? "" : ", embedding[" + embedding.length + "]") + "]";
    }
}
