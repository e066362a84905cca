package org.saeatlas.compute.correlation;

/**
 * What one trial's pre-screen kept.
 *
 * @param candidates  per feature, its candidate partners in increasing index order (empty when none)
 * @param firing      features that fire at least once in the trial (the others are skipped)
 * @param tests       pairs tested: firing * (firing - 1) / 2
 * @param discoveries pairs passing the p-value cut (and the co-firing floor), before top-k
 * @param cut         the realised p-value cut: the Benjamini-Hochberg threshold p* of this trial, or the cut it was
 *                    given (a matched null trial uses its observed trial's p*); -1 when nothing passed BH
 */
public record ScreenResult(int[][] candidates, int firing, long tests, long discoveries, double cut) {
    /** Mean candidate-list length over firing features. */
    public double meanCandidates() {
        long total = 0;
        for (int[] c : candidates) {
            total += c.length;
        }
        return firing == 0 ? 0.0 : total / (double) firing;
    }
}
