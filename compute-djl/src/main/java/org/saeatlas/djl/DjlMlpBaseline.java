package org.saeatlas.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.saeatlas.compute.connections.MlpTraining;
import org.saeatlas.compute.connections.NonlinearBaseline;

/**
 * The nonlinear baseline of the connection runs trained with DJL's PyTorch engine: the same model and training as
 * the pure-Java {@code MlpBaseline} (one hidden ReLU layer with a linear skip, inputs and target standardised by the
 * training rows' weighted moments, He-initialised from the seed, Adam with lr 0.01 on minibatches of 128 rows in a
 * seeded order, heavy rows in every minibatch with their share of the weight); the forward pass and the gradients
 * (autograd) run in PyTorch, the parameters and the Adam update stay in Java, so a seed gives the same model. The
 * engine allows one gradient collector at a time, so features trained on several threads take turns for each step.
 */
public final class DjlMlpBaseline implements NonlinearBaseline {
    private static final int BATCH = MlpTraining.BATCH;
    private static final double LR = 0.01;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;

    private final Engine engine;
    private final Device device;
    private final int hidden;
    private final int epochs;

    DjlMlpBaseline(Engine engine, Device device, int hidden, int epochs) {
        this.engine = engine;
        this.device = device;
        this.hidden = hidden;
        this.epochs = epochs;
    }

    @Override
    public String name() {
        return "djl-pytorch-mlp";
    }

    @Override
    public double[] fitPredict(int m, float[] trainX, float[] trainY, double[] trainW, float[] testX, long seed) {
        MlpTraining t = MlpTraining.of(m, trainX, trainY, trainW);
        int testRows = testX.length / Math.max(1, m);
        if (t.constantTarget()) {
            return t.constantPrediction(testRows);
        }
        double[] mu = t.mu();
        double[] sd = t.sd();
        double yMu = t.yMu();
        double ySd = t.ySd();
        int h = hidden;
        SplittableRandom rng = new SplittableRandom(seed);
        float[] w1 = new float[m * h];
        float[] c = new float[h];
        float[] v = new float[h];
        float[] wl = new float[m];
        float[] b0 = new float[1];
        double scale = Math.sqrt(2.0 / Math.max(1, m));
        for (int k = 0; k < w1.length; k++) {
            w1[k] = (float) (MlpTraining.gaussian(rng) * scale);
        }
        for (int k = 0; k < h; k++) {
            v[k] = (float) (MlpTraining.gaussian(rng) * 0.1 / Math.sqrt(h));
        }
        float[][] params = {w1, c, v, wl, b0};
        double[][] mom = new double[5][];
        double[][] vel = new double[5][];
        for (int p = 0; p < 5; p++) {
            mom[p] = new double[params[p].length];
            vel[p] = new double[params[p].length];
        }
        int[] order = t.order();
        int[] heavy = t.heavy();
        int regular = order.length;
        double meanW = t.meanW();
        long step = 0;
        try (NDManager manager = engine.newBaseManager(device)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                t.shuffle(rng);
                for (int start = 0; start < Math.max(1, regular); start += BATCH) {
                    int end = Math.min(regular, start + BATCH);
                    int n = end - start + heavy.length;
                    double share = regular == 0 ? 1 : (end - start) / (double) regular;
                    float[] bx = new float[n * m];
                    float[] by = new float[n];
                    float[] bw = new float[n];
                    double bwSum = 0;
                    for (int q = 0; q < n; q++) {
                        int r = q < end - start ? order[start + q] : heavy[q - (end - start)];
                        double w = (q < end - start ? trainW[r] : trainW[r] * share) / meanW;
                        bw[q] = (float) w;
                        bwSum += w;
                        by[q] = (float) ((trainY[r] - yMu) / ySd);
                        for (int j = 0; j < m; j++) {
                            bx[q * m + j] = (float) ((trainX[r * m + j] - mu[j]) / sd[j]);
                        }
                    }
                    if (!(bwSum > 0)) {
                        continue;
                    }
                    float[][] grads = gradients(manager, bx, by, bw, bwSum, n, m, h, params);
                    step++;
                    double c1 = 1 - Math.pow(B1, step);
                    double c2 = 1 - Math.pow(B2, step);
                    for (int p = 0; p < 5; p++) {
                        for (int k = 0; k < params[p].length; k++) {
                            double g = grads[p][k];
                            mom[p][k] = B1 * mom[p][k] + (1 - B1) * g;
                            vel[p][k] = B2 * vel[p][k] + (1 - B2) * g * g;
                            params[p][k] -= (float) (LR * (mom[p][k] / c1) / (Math.sqrt(vel[p][k] / c2) + 1e-8));
                        }
                    }
                }
            }
            float[] tx = new float[testRows * m];
            for (int r = 0; r < testRows; r++) {
                for (int j = 0; j < m; j++) {
                    tx[r * m + j] = (float) ((testX[r * m + j] - mu[j]) / sd[j]);
                }
            }
            try (NDManager scope = manager.newSubManager()) {
                float[] out = forward(scope, scope.create(tx, new Shape(testRows, m)), params, m, h).toFloatArray();
                double[] pred = new double[testRows];
                for (int r = 0; r < testRows; r++) {
                    pred[r] = yMu + ySd * out[r];
                }
                return pred;
            }
        }
    }

    /** The weighted mean squared error's gradient for each parameter, by PyTorch autograd. */
    private float[][] gradients(NDManager manager, float[] bx, float[] by, float[] bw, double bwSum, int n, int m,
                                int h, float[][] params) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray[] p = new NDArray[5];
            Shape[] shapes = {new Shape(m, h), new Shape(h), new Shape(h, 1), new Shape(m, 1), new Shape(1)};
            for (int k = 0; k < 5; k++) {
                p[k] = scope.create(params[k], shapes[k]);
                p[k].setRequiresGradient(true);
            }
            NDArray x = scope.create(bx, new Shape(n, m));
            NDArray y = scope.create(by, new Shape(n, 1));
            NDArray w = scope.create(bw, new Shape(n, 1));
            // PyTorch's engine allows one gradient collector at a time: concurrent features take turns here
            synchronized (DjlMlpBaseline.class) {
                try (GradientCollector gc = engine.newGradientCollector()) {
                    NDArray out = forwardWith(x, p);
                    NDArray loss = out.sub(y).square().mul(w).sum().mul(1.0 / bwSum);
                    gc.backward(loss);
                }
            }
            float[][] g = new float[5][];
            for (int k = 0; k < 5; k++) {
                g[k] = p[k].getGradient().toFloatArray();
            }
            return g;
        }
    }

    private static NDArray forward(NDManager scope, NDArray x, float[][] params, int m, int h) {
        NDArray[] p = {scope.create(params[0], new Shape(m, h)), scope.create(params[1], new Shape(h)),
            scope.create(params[2], new Shape(h, 1)), scope.create(params[3], new Shape(m, 1)),
            scope.create(params[4], new Shape(1))};
        return forwardWith(x, p);
    }

    /** {@code b0 + x wl + relu(x W1 + c) v}, shape [n, 1]. */
    private static NDArray forwardWith(NDArray x, NDArray[] p) {
        NDArray hiddenOut = x.matMul(p[0]).add(p[1]).maximum(0f);
        return hiddenOut.matMul(p[2]).add(x.matMul(p[3])).add(p[4]);
    }
}
