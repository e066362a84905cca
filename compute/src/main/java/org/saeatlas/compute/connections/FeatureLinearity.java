package org.saeatlas.compute.connections;

/**
 * How well one downstream feature is computed linearly from its upstream candidates, on held-out tokens.
 *
 * @param feature        downstream feature index
 * @param inputs         upstream features given to the nonlinear baseline (candidates and stable connections)
 * @param terms          upstream features of the sparse linear fit (its stable connections)
 * @param linearR2       variance explained by the sparse linear fit (least squares on the terms, intercept)
 * @param nonlinearR2    variance explained by the nonlinear baseline on the inputs
 * @param lossDifference linear minus nonlinear mean squared error, divided by the feature's variance
 *                       ({@code nonlinearR2 - linearR2})
 * @param linear         {@code lossDifference < threshold}
 */
public record FeatureLinearity(int feature, int inputs, int terms, double linearR2, double nonlinearR2,
                               double lossDifference, boolean linear) {
}
