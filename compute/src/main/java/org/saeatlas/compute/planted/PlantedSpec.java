package org.saeatlas.compute.planted;

import org.saeatlas.errors.AtlasException;

/**
 * How planted data is generated.
 *
 * @param features       p
 * @param tokens         n
 * @param hierarchyShare share of features placed in hierarchies (trees of 3-7 nodes, depth <= 2)
 * @param moduleShare    share of features placed in co-firing modules (3-5 members sharing a hidden cause)
 * @param rateMin        smallest firing rate of a source (root, module cause, independent feature)
 * @param rateMax        largest firing rate of a source; rates are log-uniform in between
 * @param magnitudeSigma log-normal sigma of source magnitudes (heavy tail)
 * @param seed           generator seed
 * @param moduleMin      smallest module (>= 2)
 * @param moduleMax      largest module (>= moduleMin)
 * @param duplicateShare share of features placed in near-duplicate pairs (one cause, both fire on 85-100% of its
 *                       tokens at nearly the same value), after the hierarchies and modules
 */
public record PlantedSpec(int features, int tokens, double hierarchyShare, double moduleShare, double rateMin,
                          double rateMax, double magnitudeSigma, long seed, int moduleMin, int moduleMax,
                          double duplicateShare) {

    /** The standard shape: modules of 3-5 members, no near-duplicate pairs. */
    public PlantedSpec(int features, int tokens, double hierarchyShare, double moduleShare, double rateMin,
                       double rateMax, double magnitudeSigma, long seed) {
        this(features, tokens, hierarchyShare, moduleShare, rateMin, rateMax, magnitudeSigma, seed, 3, 5, 0.0);
    }

    public PlantedSpec {
        if (moduleMin < 2 || moduleMax < moduleMin) {
            throw new AtlasException("planted: need 2 <= moduleMin <= moduleMax, found " + moduleMin + ", " + moduleMax);
        }
        if (duplicateShare < 0 || hierarchyShare + moduleShare + duplicateShare > 1) {
            throw new AtlasException("planted: the duplicate share must be >= 0 and all shares sum to <= 1, found "
                    + duplicateShare);
        }
        if (features < 2 || tokens < 2) {
            throw new AtlasException("planted: need >= 2 features and tokens, found " + features + " x " + tokens);
        }
        if (hierarchyShare < 0 || moduleShare < 0 || hierarchyShare + moduleShare > 1) {
            throw new AtlasException("planted: hierarchy and module shares must be >= 0 and sum to <= 1, found "
                    + hierarchyShare + " + " + moduleShare);
        }
        if (!(rateMin > 0 && rateMin <= rateMax && rateMax < 1)) {
            throw new AtlasException("planted: need 0 < rateMin <= rateMax < 1, found " + rateMin + ", " + rateMax);
        }
        if (!(magnitudeSigma >= 0)) {
            throw new AtlasException("planted: magnitude sigma must be >= 0, found " + magnitudeSigma);
        }
    }

    /** Structure on 40% of features (25% hierarchies, 15% modules), source rates in [0.002, 0.03]. */
    public static PlantedSpec standard(int features, int tokens, long seed) {
        return new PlantedSpec(features, tokens, 0.25, 0.15, 0.002, 0.03, 0.8, seed);
    }

    /** This spec with another shape of structure: module sizes and the share of near-duplicate pairs. */
    public PlantedSpec withShape(int newModuleMin, int newModuleMax, double newDuplicateShare) {
        return new PlantedSpec(features, tokens, hierarchyShare, moduleShare, rateMin, rateMax, magnitudeSigma, seed,
                newModuleMin, newModuleMax, newDuplicateShare);
    }

    /** This spec with other shares of hierarchies and modules. */
    public PlantedSpec withShares(double newHierarchyShare, double newModuleShare) {
        return new PlantedSpec(features, tokens, newHierarchyShare, newModuleShare, rateMin, rateMax, magnitudeSigma,
                seed, moduleMin, moduleMax, duplicateShare);
    }

    /** This spec with another generator seed. */
    public PlantedSpec withSeed(long newSeed) {
        return new PlantedSpec(features, tokens, hierarchyShare, moduleShare, rateMin, rateMax, magnitudeSigma,
                newSeed, moduleMin, moduleMax, duplicateShare);
    }

    /** The standard structure with source rates scaled so that about {@code active} features fire per token. */
    public static PlantedSpec withActivePerToken(int features, int tokens, double active, long seed) {
        PlantedSpec s = standard(features, tokens, seed);
        double meanRate = (s.rateMax - s.rateMin) / Math.log(s.rateMax / s.rateMin);
        double scale = active / (features * meanRate * 0.85);
        return new PlantedSpec(features, tokens, s.hierarchyShare, s.moduleShare, s.rateMin * scale,
                Math.min(0.5, s.rateMax * scale), s.magnitudeSigma, seed);
    }

    /**
     * Planted data like a user's SAE: the same tokens, up to {@code maxFeatures} features, source firing rates spanning
     * the 5th-95th percentile of the SAE's per-feature firing rates, and the spread (sigma of log) of its non-zero
     * activations, with the standard share of planted structure.
     */
    public static PlantedSpec like(org.saeatlas.compute.SparseActivations x, int maxFeatures, long seed) {
        int p = x.featureCount();
        int[] count = new int[p];
        double sumLog = 0;
        double sumLog2 = 0;
        for (int k = 0; k < x.nnz(); k++) {
            count[x.features()[k]]++;
            double l = Math.log(Math.abs(x.values()[k]));
            sumLog += l;
            sumLog2 += l * l;
        }
        double[] rates = java.util.Arrays.stream(count).filter(c -> c > 0).mapToDouble(c -> c / (double) x.tokens())
                .sorted().toArray();
        if (rates.length < 2) {
            throw new AtlasException("calibrate --like: the activations need at least 2 features that fire, found "
                    + rates.length);
        }
        double lo = rates[(int) (0.05 * (rates.length - 1))];
        double hi = Math.min(0.5, rates[(int) (0.95 * (rates.length - 1))]);
        double mean = sumLog / x.nnz();
        double sigma = Math.sqrt(Math.max(0, sumLog2 / x.nnz() - mean * mean));
        PlantedSpec s = standard(Math.min(p, maxFeatures), x.tokens(), seed);
        return new PlantedSpec(s.features, s.tokens, s.hierarchyShare, s.moduleShare, Math.min(lo, hi), hi, sigma, seed);
    }
}
