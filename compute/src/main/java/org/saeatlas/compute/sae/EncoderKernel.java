package org.saeatlas.compute.sae;

/**
 * The dense step of {@link SaeEncoder}: the pre-activations {@code z = xc W_enc} of one batch (before {@code b_enc}
 * is added), 2 d_in d_sae flops a token and nearly all of the encoder's cost. The rest (bias, activation, sparse
 * decoding, error statistics) stays in Java, so every kernel yields the same features up to the rounding of z.
 * A kernel may hold native memory (a copy of W_enc): close it.
 */
public interface EncoderKernel extends AutoCloseable {

    /**
     * @param xc   the batch, row-major {@code rows x d_in}, already centred by {@code b_dec} when the SAE says so
     * @param rows tokens in the batch
     * @param z    receives {@code z[t][j]} for {@code t < rows}, {@code j < d_sae} (rows may be longer than needed)
     */
    void preActivations(float[] xc, int rows, float[][] z);

    /** A short name for messages, e.g. "java" or "djl-cpu". */
    String name();

    @Override
    void close();
}
