package org.saeatlas.server.store;

import java.util.List;
import java.util.Map;

/**
 * A token sampled by its SAE error norm: its row of the residuals, rank, norm and sample kind (worst, uniform), the
 * token texts around it (null without a vocabulary) and the SAE's most active features there ({@code features} are
 * indices, {@code values} their activations, strongest first).
 */
public record ErrorToken(Long token, Long rank, Double norm, String kind, List<String> context, Long position,
                         List<Long> features, List<Double> values) {

    static ErrorToken of(Map<String, Object> t) {
        List<Long> features = Props.longs(t.get("features"));
        List<Double> values = Props.doubles(t.get("values"));
        return new ErrorToken(Props.lng(t, "token"), Props.lng(t, "rank"), Props.dbl(t, "norm"), Props.str(t, "kind"),
                Props.strings(t.get("context")), Props.lng(t, "position"), features == null ? List.of() : features,
                values == null ? List.of() : values);
    }
}
