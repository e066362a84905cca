package org.saeatlas.compute.darkmatter;

import org.saeatlas.errors.AtlasException;

/**
 * How the SAE error statistics are fitted and scored ({@link DarkMatter}).
 *
 * @param heldOutShare share of tokens held out for scoring (0 < share < 1); the rest trains the linear maps
 * @param ridge        ridge penalty relative to the mean input variance: the fit solves
 *                     {@code (C_xx + ridge * tr(C_xx)/d_in * I) W = C_xe}; tiny by default, only so that a
 *                     rank-deficient input (fewer tokens than d_in, dead dimensions) still has a unique answer
 * @param seed         seeds the train/held-out split (a token's side depends only on its index and the seed)
 * @param threads      workers for the dense products; the result is identical at any count
 */
public record DarkMatterParameters(double heldOutShare, double ridge, long seed, int threads) {

    public DarkMatterParameters {
        if (!(heldOutShare > 0 && heldOutShare < 1)) {
            throw new AtlasException("error statistics: the held-out share must be in (0, 1), found " + heldOutShare);
        }
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new AtlasException("error statistics: the ridge penalty must be a finite number >= 0, found "
                    + ridge);
        }
        if (threads < 1) {
            throw new AtlasException("error statistics: threads must be >= 1, found " + threads);
        }
    }

    /** 20% held out, ridge 1e-4 of the mean input variance, seed 0, one worker per core. */
    public static DarkMatterParameters defaults() {
        return new DarkMatterParameters(0.2, 1e-4, 0, Runtime.getRuntime().availableProcessors());
    }

    public DarkMatterParameters withThreads(int n) {
        return new DarkMatterParameters(heldOutShare, ridge, seed, n);
    }

    public DarkMatterParameters withRidge(double r) {
        return new DarkMatterParameters(heldOutShare, r, seed, threads);
    }

    /** Whether token {@code t} is held out: a SplitMix64 hash of (seed, t) below the share. */
    public boolean heldOut(long t) {
        long z = seed + 0x9E3779B97F4A7C15L * (t + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53 < heldOutShare;
    }
}
