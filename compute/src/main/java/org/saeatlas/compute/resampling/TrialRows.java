package org.saeatlas.compute.resampling;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.saeatlas.errors.AtlasException;

/**
 * The token rows of each trial. {@link ResamplingMode#DISJOINT}: one seeded Fisher-Yates permutation of the n tokens
 * cut into R blocks of floor(n/R) (the remainder is unused). {@link ResamplingMode#SUBSAMPLE}: per trial, a partial
 * Fisher-Yates draw of floor(fraction * n) tokens without replacement from that trial's own seed. Rows are returned
 * sorted ascending. Cost O(n) per trial.
 */
public final class TrialRows {
    private TrialRows() {
    }

    public static int[][] draw(int n, int resamples, ResamplingMode mode, double fraction, long masterSeed) {
        int size = mode == ResamplingMode.DISJOINT ? n / resamples : (int) Math.floor(fraction * n);
        if (size < 2) {
            throw new AtlasException("resampling: each trial would get " + size + " tokens (n=" + n + ", R="
                    + resamples + ", mode " + mode.label() + "); expected at least 2: use more tokens or fewer trials");
        }
        int[][] rows = new int[resamples][];
        if (mode == ResamplingMode.DISJOINT) {
            int[] perm = identity(n);
            shufflePrefix(perm, n, new SplittableRandom(Seeds.derive(masterSeed, Seeds.TRIAL_ROWS, 0)));
            for (int t = 0; t < resamples; t++) {
                rows[t] = Arrays.copyOfRange(perm, t * size, (t + 1) * size);
                Arrays.sort(rows[t]);
            }
            return rows;
        }
        for (int t = 0; t < resamples; t++) {
            int[] perm = identity(n);
            shufflePrefix(perm, size, new SplittableRandom(Seeds.derive(masterSeed, Seeds.TRIAL_ROWS, t + 1)));
            rows[t] = Arrays.copyOf(perm, size);
            Arrays.sort(rows[t]);
        }
        return rows;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Makes a[0..k) a uniform random k-subset of a in random order. */
    private static void shufflePrefix(int[] a, int k, SplittableRandom rng) {
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(a.length - i);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
