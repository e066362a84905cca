package org.saeatlas.ingest.formats;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** One text window where a feature fires: its tokens (as strings) and the feature's activation on each token. */
public record ActivatingExample(int feature, List<String> tokens, float[] values) {

    public ActivatingExample {
        tokens = List.copyOf(tokens);
        if (tokens.size() != values.length) {
            throw new IllegalArgumentException(tokens.size() + " tokens but " + values.length + " values");
        }
    }

    /** The largest activation in the window (0 for an empty window). */
    public float maxValue() {
        float m = 0;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ActivatingExample e && e.feature == feature && e.tokens.equals(tokens)
                && Arrays.equals(e.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(feature, tokens) * 31 + Arrays.hashCode(values);
    }
}
