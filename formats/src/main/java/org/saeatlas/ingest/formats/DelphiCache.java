package org.saeatlas.ingest.formats;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.saeatlas.compute.SparseActivations;

/**
 * One hookpoint of a delphi latent cache. Token row {@code t = sequence * contextLength + position} of
 * {@code activations}; {@code tokens[t]} is that token's id, or {@code tokens} is null when the cache was saved
 * without them. {@code config} is the cache's {@code config.json} (empty when absent) and {@code modelName} its
 * {@code model_name}.
 */
public record DelphiCache(String hookpoint, SparseActivations activations, int sequences, int contextLength,
        int[] tokens, Map<String, Object> config, String modelName) {

    public DelphiCache {
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }
}
