package org.saeatlas.compute.darkmatter;

import java.util.Arrays;
import java.util.Random;
import org.saeatlas.errors.AtlasException;

/**
 * A bounded sample of an SAE's tokens by error norm, for showing "the contexts this SAE fails on": the
 * {@code worst} tokens with the largest error norms, and {@code uniform} more drawn uniformly (seeded) from the
 * rest, each with its rank (0 = largest norm, ties to the smaller token index); plus the error norm at evenly
 * spaced ranks ({@code curve}), enough to draw norm against rank for any number of tokens.
 *
 * @param tokens     sampled token indices, worst first, then the uniform ones by rank
 * @param ranks      rank of each sampled token among all tokens
 * @param norms      its error norm
 * @param worst      how many of the sample are the worst tokens (the first {@code worst} entries)
 * @param curveRanks ranks of the curve points (0 .. T-1, evenly spaced)
 * @param curve      error norm at each curve rank
 * @param total      tokens ranked
 */
public record ErrorTokenSample(int[] tokens, long[] ranks, float[] norms, int worst, long[] curveRanks, float[] curve,
        long total) {

    /** Samples from the per-token error norms {@code errorNorm} (finite, >= 0). O(T log T). */
    public static ErrorTokenSample of(float[] errorNorm, int worst, int uniform, int curvePoints, long seed) {
        if (worst < 0 || uniform < 0 || curvePoints < 2) {
            throw new AtlasException("error token sample: worst and uniform must be >= 0 and curve points >= 2, found "
                    + worst + ", " + uniform + ", " + curvePoints);
        }
        int n = errorNorm.length;
        long[] keys = new long[n];
        for (int t = 0; t < n; t++) {
            float v = errorNorm[t];
            if (!(v >= 0) || Float.isInfinite(v)) {
                throw new AtlasException("error token sample: token " + t + " has error norm " + v
                        + " (expected a finite number >= 0)");
            }
            // non-negative float bits order like the values; invert so the largest sorts first
            keys[t] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(v)) << 32) | t;
        }
        Arrays.sort(keys);
        int w = Math.min(worst, n);
        int u = Math.min(uniform, n - w);
        int[] picked = new int[w + u];
        long[] ranks = new long[w + u];
        for (int r = 0; r < w; r++) {
            ranks[r] = r;
        }
        // Floyd's algorithm: u distinct ranks from [w, n), then in rank order
        long[] chosen = new long[u];
        java.util.HashSet<Long> seen = new java.util.HashSet<>();
        Random rnd = new Random(seed);
        int at = 0;
        for (long j = n - u; j < n; j++) {
            long r = w + (long) rnd.nextInt((int) (j - w + 1));
            Long add = seen.contains(r) ? j : r;
            seen.add(add);
            chosen[at++] = add;
        }
        Arrays.sort(chosen);
        System.arraycopy(chosen, 0, ranks, w, u);
        float[] norms = new float[w + u];
        for (int i = 0; i < w + u; i++) {
            picked[i] = (int) (keys[(int) ranks[i]] & 0xffffffffL);
            norms[i] = errorNorm[picked[i]];
        }
        int points = n == 0 ? 0 : (int) Math.min(curvePoints, n);
        long[] curveRanks = new long[points];
        float[] curve = new float[points];
        for (int k = 0; k < points; k++) {
            long r = points == 1 ? 0 : Math.round((double) k * (n - 1) / (points - 1));
            curveRanks[k] = r;
            curve[k] = errorNorm[(int) (keys[(int) r] & 0xffffffffL)];
        }
        return new ErrorTokenSample(picked, ranks, norms, w, curveRanks, curve, n);
    }
}
