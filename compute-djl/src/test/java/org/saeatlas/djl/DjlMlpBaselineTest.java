package org.saeatlas.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.saeatlas.compute.connections.MlpBaseline;
import org.saeatlas.compute.connections.NonlinearBaseline;

class DjlMlpBaselineTest {

    /** y = x0 * x1 on sparse non-negative inputs: a product no linear map fits; the network does, like in Java. */
    @Test
    void learnsAProductLikeTheJavaBaselineAndIsDeterministic() {
        int m = 3;
        int rows = 600;
        SplittableRandom rng = new SplittableRandom(5);
        float[] x = new float[rows * m];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < m; j++) {
                x[r * m + j] = rng.nextDouble() < 0.6 ? (float) (0.5 + 1.5 * rng.nextDouble()) : 0f;
            }
            y[r] = x[r * m] * x[r * m + 1];
        }
        int train = 450;
        float[] trainX = java.util.Arrays.copyOf(x, train * m);
        float[] trainY = java.util.Arrays.copyOf(y, train);
        double[] w = new double[train];
        java.util.Arrays.fill(w, 1);
        float[] testX = java.util.Arrays.copyOfRange(x, train * m, rows * m);
        float[] testY = java.util.Arrays.copyOfRange(y, train, rows);
        NonlinearBaseline djl = TestEngines.cpu().mlp(16, 60);
        double[] p1 = djl.fitPredict(m, trainX, trainY, w, testX, 11);
        double[] p2 = djl.fitPredict(m, trainX, trainY, w, testX, 11);
        assertArrayEquals(p1, p2, "same seed, same model");
        double r2Djl = r2(p1, testY);
        double r2Java = r2(new MlpBaseline(16, 60).fitPredict(m, trainX, trainY, w, testX, 11), testY);
        assertTrue(r2Djl > 0.9, "DJL R2 " + r2Djl);
        assertTrue(Math.abs(r2Djl - r2Java) < 0.05, "DJL " + r2Djl + " vs Java " + r2Java);
    }

    /** The engine a build selects trains the connection runs' baseline: PyTorch on DJL, Java on the Java engine. */
    @Test
    void theSelectedEngineTrainsTheBaseline() {
        org.saeatlas.compute.engine.ComputeEngine djl = Engines.select(EngineChoice.CPU, TestEngines.CACHE, 1, msg -> {
            throw new AssertionError("the DJL engine must load in tests: " + msg);
        });
        org.junit.jupiter.api.Assertions.assertEquals("djl-pytorch-mlp", djl.mlp(8, 5).name());
        org.junit.jupiter.api.Assertions.assertEquals("java-mlp",
                Engines.select(EngineChoice.JAVA, TestEngines.CACHE, 1, msg -> { }).mlp(8, 5).name());
    }

    private static double r2(double[] pred, float[] y) {
        double mean = 0;
        for (float v : y) {
            mean += v;
        }
        mean /= y.length;
        double ss = 0;
        double res = 0;
        for (int r = 0; r < y.length; r++) {
            ss += (y[r] - mean) * (y[r] - mean);
            res += (y[r] - pred[r]) * (y[r] - pred[r]);
        }
        return 1 - res / ss;
    }
}
