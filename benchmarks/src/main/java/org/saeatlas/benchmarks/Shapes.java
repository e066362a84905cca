package org.saeatlas.benchmarks;

import java.util.List;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.planted.PlantedSpec;

/**
 * Named shapes of planted data for the calibration mains: sizes, firing rates and kinds of structure that the unit
 * tests do not use (they use {@link PlantedSpec#standard} at 150-600 features).
 */
final class Shapes {
    private Shapes() {
    }

    static final List<String> ALL = List.of("standard", "dense60", "big-modules", "rare-long", "duplicates");

    static PlantedSpec named(String name, long seed) {
        return switch (name) {
            // the calibration table's case: 2,000 x 20,000, ~18 active per token, modules of 3-5
            case "standard" -> PlantedSpec.standard(2000, 20_000, seed);
            // the speed case: 2,000 x 20,000, ~60 active per token, modules of 3-6, 5% near-duplicate pairs
            case "dense60" -> PlantedSpec.withActivePerToken(2000, 20_000, 60, seed).withShape(3, 6, 0.05);
            // larger modules (4-8 members) on a quarter of the features, 3,000 x 15,000
            case "big-modules" -> PlantedSpec.standard(3000, 15_000, seed).withShares(0.15, 0.25).withShape(4, 8, 0.0);
            // rare features over many tokens: 1,500 x 60,000, rates 0.0005-0.01
            case "rare-long" -> new PlantedSpec(1500, 60_000, 0.25, 0.15, 0.0005, 0.01, 0.8, seed, 3, 6, 0.03);
            // many near-duplicate pairs and small modules, 1,000 x 30,000
            case "duplicates" -> PlantedSpec.standard(1000, 30_000, seed).withShares(0.2, 0.15).withShape(3, 4, 0.15);
            default -> throw new AtlasException("unknown shape '" + name + "'; known: " + ALL);
        };
    }
}
