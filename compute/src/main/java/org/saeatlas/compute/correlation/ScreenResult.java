package org.saeatlas.compute.correlation;

/**
 * What one trial's pre-screen kept.
 *
 * @param candidates  per feature, its candidate partners in increasing index order (empty when none)
 * @param firing      features that fire at least once in the trial (the others are skipped)
 * @param tests       pairs tested: firing * (firing - 1) / 2
 * @param discoveries pairs passing Benjamini-Hochberg (and the co-firing floor), before top-k
 */
public record ScreenResult(int[][] candidates, int firing, long tests, long discoveries) {
    /** Mean candidate-list length over firing features. */
    public double meanCandidates() {
        long total = 0;
        for (int[] c : candidates) {
            total += c.length;
        }
        return firing == 0 ? 0.0 : total / (double) firing;
    }
}
