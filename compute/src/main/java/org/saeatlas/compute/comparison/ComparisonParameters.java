package org.saeatlas.compute.comparison;

import org.saeatlas.errors.AtlasException;

/**
 * How two graphs are compared.
 *
 * @param baselineSeeds  random graphs per baseline, averaged [10]
 * @param seed           first seed; baseline s uses seed + s
 * @param swapsPerEdge   double-edge swap attempts per edge for the rewired baseline [10]
 * @param strengthBins   equal-width bins for strengths, shared by all graphs compared (plus one for 0) [30]
 */
public record ComparisonParameters(int baselineSeeds, long seed, double swapsPerEdge, int strengthBins) {

    public ComparisonParameters {
        if (baselineSeeds < 1 || strengthBins < 1 || !(swapsPerEdge >= 0) || Double.isInfinite(swapsPerEdge)) {
            throw new AtlasException("comparison: need baselineSeeds >= 1, strengthBins >= 1 and a finite"
                    + " swapsPerEdge >= 0, found " + baselineSeeds + ", " + strengthBins + ", " + swapsPerEdge);
        }
    }

    public static ComparisonParameters defaults() {
        return new ComparisonParameters(10, 1L, 10, 30);
    }
}
