package org.saeatlas.compute.connections;

import java.util.SplittableRandom;

/**
 * The pure-Java nonlinear baseline: a one-hidden-layer ReLU network with a linear skip,
 * {@code y = b0 + w'x + v' relu(W x + c)}, on inputs and target standardised by the training rows' weighted moments.
 * He-initialised W from the seed, v small, skip and biases zero; trained by Adam (Kingma &amp; Ba, ICLR 2015; lr 0.01)
 * on minibatches of 128 rows in a seeded order, minimising the weighted squared error; rows weighing more than 2 (the
 * silent tokens' all-zero row) join every minibatch with the minibatch's share of their weight. The skip makes the
 * network contain the linear model, so its gain over a linear fit is the nonlinear part.
 * Cost O(epochs * rows * m * hidden).
 */
public final class MlpBaseline implements NonlinearBaseline {
    private static final int BATCH = MlpTraining.BATCH;
    private static final double LR = 0.01;
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;

    private final int hidden;
    private final int epochs;

    public MlpBaseline(int hidden, int epochs) {
        this.hidden = hidden;
        this.epochs = epochs;
    }

    @Override
    public String name() {
        return "java-mlp";
    }

    @Override
    public double[] fitPredict(int m, float[] trainX, float[] trainY, double[] trainW, float[] testX, long seed) {
        MlpTraining t = MlpTraining.of(m, trainX, trainY, trainW);
        if (t.constantTarget()) {
            return t.constantPrediction(testX.length / Math.max(1, m));
        }
        double[] mu = t.mu();
        double[] sd = t.sd();
        double yMu = t.yMu();
        double ySd = t.ySd();
        int h = hidden;
        // parameters: W (h*m), c (h), v (h), w (m), b0 (1)
        int nW = h * m;
        int size = nW + h + h + m + 1;
        double[] theta = new double[size];
        SplittableRandom rng = new SplittableRandom(seed);
        double scale = Math.sqrt(2.0 / Math.max(1, m));
        for (int k = 0; k < nW; k++) {
            theta[k] = MlpTraining.gaussian(rng) * scale;
        }
        for (int k = 0; k < h; k++) {
            theta[nW + h + k] = MlpTraining.gaussian(rng) * 0.1 / Math.sqrt(h);
        }
        double[] mom = new double[size];
        double[] vel = new double[size];
        double[] grad = new double[size];
        double[] x = new double[m];
        double[] z = new double[h];
        int[] order = t.order();
        int[] heavy = t.heavy();
        int regular = order.length;
        double meanW = t.meanW();
        long step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            t.shuffle(rng);
            for (int start = 0; start < Math.max(1, regular); start += BATCH) {
                int end = Math.min(regular, start + BATCH);
                java.util.Arrays.fill(grad, 0);
                double bw = 0;
                double share = regular == 0 ? 1 : (end - start) / (double) regular;
                for (int q = start; q < end + heavy.length; q++) {
                    int r = q < end ? order[q] : heavy[q - end];
                    double w = (q < end ? trainW[r] : trainW[r] * share) / meanW;
                    bw += w;
                    for (int j = 0; j < m; j++) {
                        x[j] = (trainX[r * m + j] - mu[j]) / sd[j];
                    }
                    double y = (trainY[r] - yMu) / ySd;
                    double out = forward(theta, x, z, m, h);
                    double g = 2 * w * (out - y);
                    backward(theta, x, z, m, h, g, grad);
                }
                if (!(bw > 0)) {
                    continue;
                }
                step++;
                double c1 = 1 - Math.pow(B1, step);
                double c2 = 1 - Math.pow(B2, step);
                for (int k = 0; k < size; k++) {
                    double gk = grad[k] / bw;
                    mom[k] = B1 * mom[k] + (1 - B1) * gk;
                    vel[k] = B2 * vel[k] + (1 - B2) * gk * gk;
                    theta[k] -= LR * (mom[k] / c1) / (Math.sqrt(vel[k] / c2) + 1e-8);
                }
            }
        }
        int testRows = testX.length / m;
        double[] pred = new double[testRows];
        for (int r = 0; r < testRows; r++) {
            for (int j = 0; j < m; j++) {
                x[j] = (testX[r * m + j] - mu[j]) / sd[j];
            }
            pred[r] = yMu + ySd * forward(theta, x, z, m, h);
        }
        return pred;
    }

    private static double forward(double[] theta, double[] x, double[] z, int m, int h) {
        int nW = h * m;
        double out = theta[nW + h + h + m];
        for (int j = 0; j < m; j++) {
            out += theta[nW + 2 * h + j] * x[j];
        }
        for (int k = 0; k < h; k++) {
            double a = theta[nW + k];
            int row = k * m;
            for (int j = 0; j < m; j++) {
                a += theta[row + j] * x[j];
            }
            z[k] = a;
            if (a > 0) {
                out += theta[nW + h + k] * a;
            }
        }
        return out;
    }

    private static void backward(double[] theta, double[] x, double[] z, int m, int h, double g, double[] grad) {
        int nW = h * m;
        grad[nW + 2 * h + m] += g;
        for (int j = 0; j < m; j++) {
            grad[nW + 2 * h + j] += g * x[j];
        }
        for (int k = 0; k < h; k++) {
            if (z[k] > 0) {
                grad[nW + h + k] += g * z[k];
                double gz = g * theta[nW + h + k];
                grad[nW + k] += gz;
                int row = k * m;
                for (int j = 0; j < m; j++) {
                    grad[row + j] += gz * x[j];
                }
            }
        }
    }
}
