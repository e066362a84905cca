package org.saeatlas.compute.connections;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What every implementation of the one-hidden-layer baseline shares, so that they train the same model on the same
 * rows in the same order: the training rows' weighted moments (inputs and target are standardised by them), the
 * minibatch plan (rows weighing at most {@link #HEAVY} are shuffled per epoch into minibatches of {@link #BATCH};
 * heavier rows, the silent tokens' all-zero row, join every minibatch with the minibatch's share of their weight) and
 * the seeded Gaussian of the initialisation.
 */
public final class MlpTraining {
    /** Rows per minibatch. */
    public static final int BATCH = 128;
    /** Rows weighing more than this are put in every minibatch with their share of the weight. */
    public static final double HEAVY = 2;

    private final double[] mu;
    private final double[] sd;
    private final double yMu;
    private final double ySd;
    private final double meanW;
    private final int[] order;
    private final int[] heavy;

    private MlpTraining(double[] mu, double[] sd, double yMu, double ySd, double meanW, int[] order, int[] heavy) {
        this.mu = mu;
        this.sd = sd;
        this.yMu = yMu;
        this.ySd = ySd;
        this.meanW = meanW;
        this.order = order;
        this.heavy = heavy;
    }

    /** The moments and minibatch plan of {@code rows = trainY.length} rows of {@code m} inputs with weights {@code trainW}. */
    public static MlpTraining of(int m, float[] trainX, float[] trainY, double[] trainW) {
        int rows = trainY.length;
        double wSum = 0;
        double yMu = 0;
        double[] mu = new double[m];
        for (int r = 0; r < rows; r++) {
            wSum += trainW[r];
            yMu += trainW[r] * trainY[r];
            for (int j = 0; j < m; j++) {
                mu[j] += trainW[r] * trainX[r * m + j];
            }
        }
        yMu /= wSum;
        for (int j = 0; j < m; j++) {
            mu[j] /= wSum;
        }
        double[] sd = new double[m];
        double ySd = 0;
        for (int r = 0; r < rows; r++) {
            double dy = trainY[r] - yMu;
            ySd += trainW[r] * dy * dy;
            for (int j = 0; j < m; j++) {
                double d = trainX[r * m + j] - mu[j];
                sd[j] += trainW[r] * d * d;
            }
        }
        ySd = Math.sqrt(ySd / wSum);
        for (int j = 0; j < m; j++) {
            sd[j] = Math.sqrt(sd[j] / wSum);
            sd[j] = sd[j] > 0 ? sd[j] : 1;
        }
        int regular = 0;
        for (int r = 0; r < rows; r++) {
            regular += trainW[r] > HEAVY ? 0 : 1;
        }
        int[] order = new int[regular];
        int[] heavy = new int[rows - regular];
        for (int r = 0, a = 0, b = 0; r < rows; r++) {
            if (trainW[r] > HEAVY) {
                heavy[b++] = r;
            } else {
                order[a++] = r;
            }
        }
        return new MlpTraining(mu, sd, yMu, ySd, wSum / rows, order, heavy);
    }

    /** True when the target does not vary on the training rows: the model is its mean. */
    public boolean constantTarget() {
        return !(ySd > 0);
    }

    /** The target's mean for each of {@code testRows} rows. */
    public double[] constantPrediction(int testRows) {
        double[] out = new double[testRows];
        Arrays.fill(out, yMu);
        return out;
    }

    /** Shuffles the regular rows for the next epoch (Fisher-Yates from {@code rng}). */
    public void shuffle(SplittableRandom rng) {
        for (int r = order.length - 1; r > 0; r--) {
            int s = rng.nextInt(r + 1);
            int tmp = order[r];
            order[r] = order[s];
            order[s] = tmp;
        }
    }

    /** A standard normal draw (Box-Muller) from {@code rng}. */
    public static double gaussian(SplittableRandom rng) {
        double u1 = 1 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Weighted mean of each input. */
    public double[] mu() {
        return mu;
    }

    /** Weighted standard deviation of each input (1 where it is constant). */
    public double[] sd() {
        return sd;
    }

    public double yMu() {
        return yMu;
    }

    public double ySd() {
        return ySd;
    }

    /** The mean row weight: minibatch weights are divided by it. */
    public double meanW() {
        return meanW;
    }

    /** The regular rows in this epoch's order (shuffled in place by {@link #shuffle}). */
    public int[] order() {
        return order;
    }

    /** The heavy rows, in every minibatch. */
    public int[] heavy() {
        return heavy;
    }
}
