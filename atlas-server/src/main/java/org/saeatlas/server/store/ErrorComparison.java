package org.saeatlas.server.store;

import java.util.Map;

/** How well one SAE's per-token error norms predict another's over the same tokens. */
public record ErrorComparison(String predictor, String predicted, Long tokens, Double r2, Double slope,
                              Double intercept, Double originR2, Double originSlope) {

    static ErrorComparison of(Map<String, Object> c) {
        return new ErrorComparison(Props.str(c, "predictor"), Props.str(c, "predicted"), Props.lng(c, "tokens"),
                Props.dbl(c, "r2"), Props.dbl(c, "slope"), Props.dbl(c, "intercept"), Props.dbl(c, "originR2"),
                Props.dbl(c, "originSlope"));
    }
}
