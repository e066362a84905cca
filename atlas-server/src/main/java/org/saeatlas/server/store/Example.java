package org.saeatlas.server.store;

import java.util.List;
import java.util.Map;

/** A top-activating example of a feature: the tokens, the feature's activation on each, and the largest. */
public record Example(List<String> tokens, List<Double> values, Double maxValue) {

    static Example of(Map<String, Object> x) {
        return new Example(Props.strings(x.get("tokens")), Props.doubles(x.get("values")), Props.dbl(x, "maxValue"));
    }
}
