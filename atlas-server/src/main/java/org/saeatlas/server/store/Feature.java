package org.saeatlas.server.store;

import java.util.List;
import java.util.Map;

/**
 * A feature as stored: its SAE, index and best explanation; statistics that were not computed (no activations, no
 * training sparsity, no matches) are null, never 0. {@code histogram}: firing tokens per activation bin of its SAE
 * ({@link Sae#histogramEdges()}); the logit lists: the table the input carried, tokens and values side by side.
 */
public record Feature(String id, String sae, Long index, String explanation, Double firingRate,
                      Double meanActivation, Double maxActivation, Double trainingFiringRate, Long matchedIn,
                      List<Long> histogram, List<String> logitPositiveTokens, List<Double> logitPositiveValues,
                      List<String> logitNegativeTokens, List<Double> logitNegativeValues) {

    static Feature of(Map<String, Object> f) {
        if (f == null) {
            return null;
        }
        return new Feature(Props.str(f, "id"), Props.str(f, "sae"), Props.lng(f, "index"), Props.str(f, "explanation"),
                Props.dbl(f, "firingRate"), Props.dbl(f, "meanActivation"), Props.dbl(f, "maxActivation"),
                Props.dbl(f, "trainingFiringRate"), Props.lng(f, "matchedIn"), Props.longs(f.get("histogram")),
                Props.strings(f.get("logitPositiveTokens")), Props.doubles(f.get("logitPositiveValues")),
                Props.strings(f.get("logitNegativeTokens")), Props.doubles(f.get("logitNegativeValues")));
    }
}
