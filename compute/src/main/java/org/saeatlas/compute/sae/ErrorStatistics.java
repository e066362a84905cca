package org.saeatlas.compute.sae;

import org.saeatlas.errors.AtlasException;

/**
 * How well an SAE reconstructs its input, per token and summarised per SAE: the statistics users expect beside the
 * features, and the raw material of the SAE "dark matter" analyses (Engels et al., "Decomposing the dark matter of
 * sparse autoencoders", 2024: the error {@code e = x - x_hat} is largely linearly predictable from {@code x}).
 *
 * <p>Per token {@code t} with input {@code x_t}, reconstruction {@code x_hat_t} and the mean input {@code mu} over
 * all tokens:
 * <ul>
 *   <li>{@code l0[t]}: the number of active (non-zero) features;</li>
 *   <li>{@code errorNorm[t] = ||x_t - x_hat_t||_2};</li>
 *   <li>{@code fvu[t] = ||x_t - x_hat_t||^2 / ||x_t - mu||^2} (NaN when {@code x_t = mu}).</li>
 * </ul>
 * Summaries: {@link #meanL0()}, {@link #meanErrorNorm()}, and the fraction of variance unexplained over all tokens,
 * {@code fvu = sum_t ||x_t - x_hat_t||^2 / sum_t ||x_t - mu||^2} (a ratio of sums, so tokens near the mean do not
 * dominate; NaN when the input has no variance, e.g. a single token). {@code 1 - fvu} is the explained variance
 * that SAELens reports. Sums run in double precision in token order, so the figures do not depend on threads.
 */
public record ErrorStatistics(int tokens, double meanL0, double fvu, double meanErrorNorm, int[] l0,
        float[] fvuPerToken, float[] errorNorm) {

    public ErrorStatistics {
        if (l0.length != tokens || fvuPerToken.length != tokens || errorNorm.length != tokens) {
            throw new AtlasException("error statistics: expected " + tokens + " values per token, found "
                    + l0.length + " L0, " + fvuPerToken.length + " FVU and " + errorNorm.length + " error norms");
        }
    }

    /**
     * Summarises per-token sums of squares.
     *
     * @param l0        active features per token
     * @param errorSq   {@code ||x_t - x_hat_t||^2} per token
     * @param varianceSq {@code ||x_t - mu||^2} per token
     */
    public static ErrorStatistics of(int[] l0, double[] errorSq, double[] varianceSq) {
        int n = l0.length;
        if (errorSq.length != n || varianceSq.length != n) {
            throw new AtlasException("error statistics: " + n + " L0 values but " + errorSq.length
                    + " squared errors and " + varianceSq.length + " variances; they must be equal");
        }
        float[] fvu = new float[n];
        float[] norm = new float[n];
        double sumL0 = 0;
        double sumErr = 0;
        double sumVar = 0;
        double sumNorm = 0;
        for (int t = 0; t < n; t++) {
            double e = Math.sqrt(errorSq[t]);
            norm[t] = (float) e;
            fvu[t] = varianceSq[t] == 0 ? Float.NaN : (float) (errorSq[t] / varianceSq[t]);
            sumL0 += l0[t];
            sumErr += errorSq[t];
            sumVar += varianceSq[t];
            sumNorm += e;
        }
        double meanL0 = n == 0 ? Double.NaN : sumL0 / n;
        double meanNorm = n == 0 ? Double.NaN : sumNorm / n;
        return new ErrorStatistics(n, meanL0, sumVar == 0 ? Double.NaN : sumErr / sumVar, meanNorm, l0, fvu, norm);
    }

    /** {@code 1 - fvu}. */
    public double explainedVariance() {
        return 1 - fvu;
    }
}
