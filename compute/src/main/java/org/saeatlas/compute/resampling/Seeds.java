package org.saeatlas.compute.resampling;

/**
 * Derives independent, reproducible seeds from one master seed with the SplitMix64 finaliser (Steele, Lea &amp;
 * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): {@code mix(master + golden * (purpose
 * * 2^32 + index + 1))}. Every trial, null trial and feature column gets its own stream, so results do not depend on
 * the order in which threads consume random numbers.
 */
public final class Seeds {
    /** Purpose codes: which part of the method a derived seed feeds. */
    public static final int TRIAL_ROWS = 1;
    public static final int NULL_TRIAL = 2;
    public static final int NULL_COPY = 3;
    public static final int COLUMN = 4;
    public static final int CV_FOLDS = 5;
    public static final int PLANTED_TWIN = 6;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    public static long derive(long master, int purpose, long index) {
        return mix(master + GOLDEN * (((long) purpose << 32) + index + 1));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
