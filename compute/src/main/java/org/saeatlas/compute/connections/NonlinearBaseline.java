package org.saeatlas.compute.connections;

/**
 * The small nonlinear model a downstream feature's sparse linear fit is compared with. Implementations must be
 * deterministic for a seed. Rows are dense and row-major with {@code m} inputs; each training row has a weight (the
 * silent tokens enter as one heavily weighted all-zero row).
 */
public interface NonlinearBaseline {

    /** Trains on the weighted training rows and returns the predictions for {@code testX}. */
    double[] fitPredict(int m, float[] trainX, float[] trainY, double[] trainW, float[] testX, long seed);

    /** A short name stored with the run ("java-mlp", "djl-pytorch-mlp", ...). */
    String name();
}
