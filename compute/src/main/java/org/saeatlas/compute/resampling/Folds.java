package org.saeatlas.compute.resampling;

import java.util.SplittableRandom;
import org.saeatlas.errors.AtlasException;

/**
 * Assignment of a trial's tokens to K cross-validation folds: a seeded Fisher-Yates permutation of the tokens, token
 * at permuted position r going to fold {@code r mod K}, so fold sizes differ by at most one. Cost O(n).
 */
public final class Folds {
    private Folds() {
    }

    /** The fold (0..k-1) of each of {@code tokens} tokens. */
    public static int[] assign(int tokens, int k, long seed) {
        if (k < 2 || k > tokens) {
            throw new AtlasException("cross-validation: " + k + " folds for " + tokens
                    + " tokens; expected 2 <= folds <= tokens");
        }
        int[] perm = new int[tokens];
        for (int t = 0; t < tokens; t++) {
            perm[t] = t;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int t = tokens - 1; t > 0; t--) {
            int s = rng.nextInt(t + 1);
            int tmp = perm[t];
            perm[t] = perm[s];
            perm[s] = tmp;
        }
        int[] fold = new int[tokens];
        for (int r = 0; r < tokens; r++) {
            fold[perm[r]] = r % k;
        }
        return fold;
    }
}
