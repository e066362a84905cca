package org.saeatlas.compute.stability;

/**
 * What the planted twin of a run measured: data generated like the input (same tokens, up to
 * {@link StabilityParameters#twinFeatures()} features, the input's range of firing rates and spread of magnitudes,
 * the standard share of planted structure), run through the same settings; per r, the edges it found in >= r trials
 * and how many of them are indirect (a planted path of length >= 2 joins the pair) or chance (no planted path).
 *
 * @param features       features of the twin
 * @param tokens         tokens of the twin
 * @param plantedEdges   edges planted in the twin
 * @param activePerToken mean active features per token of the twin
 * @param seed           the twin's generator seed (derived from the run's seed)
 * @param found          per r = 1..R (index r - 1), edges seen in >= r observed trials of the twin
 * @param trueEdges      per r, how many of them are planted edges
 * @param indirect       per r, how many of them are indirect
 * @param chance         per r, how many of them are chance edges
 * @param nestedFound    per r, how many of the found edges close a nested two-path ({@link NestedPaths})
 * @param nestedIndirect per r, how many of those are indirect
 */
public record TwinEstimate(int features, int tokens, int plantedEdges, double activePerToken, long seed,
                           long[] found, long[] trueEdges, long[] indirect, long[] chance, long[] nestedFound,
                           long[] nestedIndirect) {

    /**
     * Per r, the estimated share of indirect edges among the input's {@code inputFound[r - 1]} edges seen in >= r
     * trials, of which {@code inputNested[r - 1]} close a nested two-path: the twin's indirect share within each class
     * (nested / not), weighted by the input's own class counts. A class the twin has no edge of at that r takes the
     * twin's pooled share; NaN where the input found nothing or the twin nothing at all.
     */
    public double[] indirectShare(long[] inputFound, long[] inputNested) {
        double[] pooled = indirectShare();
        double[] out = new double[found.length];
        for (int r = 0; r < out.length; r++) {
            long n = inputFound[r];
            if (n == 0 || Double.isNaN(pooled[r])) {
                out[r] = Double.NaN;
                continue;
            }
            long otherFound = found[r] - nestedFound[r];
            double qNested = nestedFound[r] == 0 ? pooled[r] : nestedIndirect[r] / (double) nestedFound[r];
            double qOther = otherFound == 0 ? pooled[r] : (indirect[r] - nestedIndirect[r]) / (double) otherFound;
            out[r] = (inputNested[r] * qNested + (n - inputNested[r]) * qOther) / n;
        }
        return out;
    }

    /** Per r, the twin's own indirect / found, pooled over classes (NaN where the twin found nothing at that r). */
    public double[] indirectShare() {
        double[] out = new double[found.length];
        for (int r = 0; r < out.length; r++) {
            out[r] = found[r] == 0 ? Double.NaN : indirect[r] / (double) found[r];
        }
        return out;
    }
}
