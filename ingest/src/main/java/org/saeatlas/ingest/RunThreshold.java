package org.saeatlas.ingest;

import java.util.Map;
import org.saeatlas.compute.stability.StabilityResult;

/**
 * The stored Run's account of its threshold: {@code thresholdRule} (total or chance-only), the estimates at r*
 * ({@code estimatedChanceFdr} from the null trials, {@code estimatedIndirectShare} from the planted twin,
 * {@code estimatedTotalError}; absent when not estimated or when no r met alpha) and {@code thresholdReason}, one
 * sentence saying why r* is what it is. GraphQL serves them as Run fields of the same names.
 */
public final class RunThreshold {
    private RunThreshold() {
    }

    public static void put(Map<String, Object> properties, StabilityResult result) {
        properties.put("thresholdRule", result.parameters().threshold().label());
        result.rStarRow().ifPresent(row -> {
            putFinite(properties, "estimatedChanceFdr", row.fdrEst());
            if (row.hasIndirectEstimate()) {
                putFinite(properties, "estimatedIndirectShare", row.indirectShare());
            }
            putFinite(properties, "estimatedTotalError", row.totalError());
        });
        properties.put("thresholdReason", result.thresholdReason());
        if (result.explained() != null) {
            properties.put("explainedAway", result.explained().keys().length);
        }
    }

    private static void putFinite(Map<String, Object> properties, String key, double v) {
        if (Double.isFinite(v)) {
            properties.put(key, v);
        }
    }
}
