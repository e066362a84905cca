package org.saeatlas.compute.stability;

/**
 * One edge seen in at least one observed trial.
 *
 * @param i               smaller feature index
 * @param j               larger feature index
 * @param replicates      observed trials containing the edge
 * @param nullReplicates  null trials containing it
 * @param weight          mean over those observed trials of the trial weight (mean of the selected standardised
 *                        coefficients of the two directions)
 * @param medianWeight    median of the same
 * @param signConsistency share of those trials whose weight has the majority sign
 * @param stable          replicates >= r*
 */
public record StableEdge(int i, int j, int replicates, int nullReplicates, double weight, double medianWeight,
                         double signConsistency, boolean stable) { }
