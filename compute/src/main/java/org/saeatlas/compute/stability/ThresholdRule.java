package org.saeatlas.compute.stability;

import java.util.Locale;

/** How r*, the replicate count that makes an edge "stable", is chosen from the per-r error estimates. */
public enum ThresholdRule {
    /**
     * The published rule: the smallest r whose null-estimated FDR (chance edges, from the matched null trials) is at
     * most alpha. Indirect edges (a path of length two joins the pair) are invisible to any permutation null, so with a
     * calibrated estimator this is usually r = 1.
     */
    CHANCE_ONLY,
    /**
     * The smallest r whose estimated total error, null-estimated chance FDR plus the share of indirect edges among the
     * edges seen in >= r trials of a planted twin (data generated like the input, with a known graph, run through the
     * same settings), is at most alpha.
     */
    TOTAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
