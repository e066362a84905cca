package org.saeatlas.compute.stability;

/**
 * What one trial did.
 *
 * @param trial           0-based index of the observed trial it belongs to
 * @param isNull          true for the matched null trial
 * @param seed            the seed of its null shuffle (per-trial null) or of the run (otherwise)
 * @param tokens          tokens in the trial
 * @param featuresSkipped features that never fire in the trial
 * @param testsRun        pairs tested by the pre-screen
 * @param bhDiscoveries   pairs passing Benjamini-Hochberg
 * @param meanCandidates  mean candidates per firing feature after top-k
 * @param directedEdges   sum over features of selected neighbours
 * @param andEdges        pairs selected in both directions
 * @param orEdges         pairs selected in at least one direction
 */
public record TrialDiagnostics(int trial, boolean isNull, long seed, int tokens, int featuresSkipped,
                               long testsRun, long bhDiscoveries, double meanCandidates, long directedEdges,
                               long andEdges, long orEdges) { }
