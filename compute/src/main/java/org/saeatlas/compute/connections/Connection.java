package org.saeatlas.compute.connections;

/**
 * One connection from upstream feature {@code upstream} (SAE A) to downstream feature {@code downstream} (SAE B),
 * seen in at least one observed trial.
 *
 * @param replicates      observed trials whose LASSO selected it
 * @param nullReplicates  null trials (A's tokens permuted against B's) whose LASSO selected the same pair
 * @param weight          mean refit coefficient over the trials that selected it, in activation units: the change
 *                        of the downstream activation per unit of the upstream one ({@code b ~ sum w_a a})
 * @param standardised    mean standardised coefficient (per standard deviation of both features)
 * @param signConsistency share of those trials whose coefficient has the majority sign
 * @param stable          replicates &gt;= r* of the run's FDR table
 */
public record Connection(int upstream, int downstream, int replicates, int nullReplicates, double weight,
                         double standardised, double signConsistency, boolean stable) {
}
