package org.saeatlas.compute.demo;

import org.saeatlas.errors.AtlasException;

/**
 * Size and structure of the generated demo atlas.
 *
 * @param seed          master seed: same seed, same atlas, byte for byte
 * @param features      features per SAE (the "world" has this many concepts)
 * @param tokens        tokens in the shared token stream
 * @param dIn           width of the residual stream the decoder writes into
 * @param modules       co-firing modules of 3-6 features
 * @param hierarchies   parent features with 2-3 children that fire only with the parent
 * @param duplicates    near-duplicate feature pairs
 * @param sharedFraction share of SAE A's features that SAE B (another seed) learns too
 * @param rateScale     factor on every firing rate (1 for the demo); a wider SAE at {@code 16384 / features} keeps
 *                      the active features per token of a 16,384-feature one, as real wider SAEs are sparser per
 *                      feature at a similar L0
 */
public record DemoParameters(long seed, int features, int tokens, int dIn, int modules, int hierarchies,
                             int duplicates, double sharedFraction, double rateScale) {

    /** With every firing rate as generated (rate scale 1). */
    public DemoParameters(long seed, int features, int tokens, int dIn, int modules, int hierarchies,
                          int duplicates, double sharedFraction) {
        this(seed, features, tokens, dIn, modules, hierarchies, duplicates, sharedFraction, 1.0);
    }

    public DemoParameters {
        if (features < 64) {
            throw new AtlasException("demo: features must be >= 64, found " + features);
        }
        if (tokens < 100) {
            throw new AtlasException("demo: tokens must be >= 100, found " + tokens);
        }
        if (dIn < 8) {
            throw new AtlasException("demo: dIn must be >= 8, found " + dIn);
        }
        int structured = modules * 6 + hierarchies * 4 + duplicates * 2;
        if (modules < 0 || hierarchies < 0 || duplicates < 0 || structured > features / 2) {
            throw new AtlasException("demo: modules*6 + hierarchies*4 + duplicates*2 must be non-negative and at most"
                    + " features/2=" + features / 2 + ", found " + structured);
        }
        if (!(sharedFraction > 0 && sharedFraction <= 1)) {
            throw new AtlasException("demo: sharedFraction must be in (0, 1], found " + sharedFraction);
        }
        if (!(rateScale > 0 && rateScale <= 1)) {
            throw new AtlasException("demo: rateScale must be in (0, 1], found " + rateScale);
        }
    }

    /** As a record's, without the rate scale when it is 1 (so the demo's file keys stay as they were). */
    @Override
    public String toString() {
        return "DemoParameters[seed=" + seed + ", features=" + features + ", tokens=" + tokens + ", dIn=" + dIn
                + ", modules=" + modules + ", hierarchies=" + hierarchies + ", duplicates=" + duplicates
                + ", sharedFraction=" + sharedFraction + (rateScale == 1.0 ? "" : ", rateScale=" + rateScale) + "]";
    }

    /** The same parameters for another seed (the layers of a generated model). */
    public DemoParameters withSeed(long newSeed) {
        return new DemoParameters(newSeed, features, tokens, dIn, modules, hierarchies, duplicates, sharedFraction,
                rateScale);
    }

    /** The bundled demo: two seeds of one 4,096-feature SAE over 40,000 tokens. */
    public static DemoParameters defaults() {
        return new DemoParameters(20261122L, 4096, 40_000, 64, 48, 40, 32, 0.8);
    }

    /**
     * The defaults' structure (modules, hierarchies, duplicates) scaled to {@code features} features, over
     * {@code tokens} tokens, with seed {@code seed} and every firing rate times {@code rateScale}: the demo at
     * another width ({@code ./atlas demo --features}, the release and scale benchmarks).
     */
    public static DemoParameters scaled(long seed, int features, int tokens, double rateScale) {
        DemoParameters d = defaults();
        double scale = features / (double) d.features();
        return new DemoParameters(seed, features, tokens, d.dIn(), (int) Math.round(d.modules() * scale),
                (int) Math.round(d.hierarchies() * scale), (int) Math.round(d.duplicates() * scale),
                d.sharedFraction(), rateScale);
    }

    /** A small atlas for fast tests. */
    public static DemoParameters small(long seed) {
        return new DemoParameters(seed, 512, 12_000, 32, 8, 6, 6, 0.8);
    }
}
