package org.saeatlas.compute.sae;

/**
 * Receives every encoded batch with its reconstruction, in token order, while {@link SaeEncoder} runs: what the
 * statistics of the SAE error beyond L0 and FVU (the "dark matter" analyses) stream over without holding the tokens.
 * Called from the encoding thread, one batch at a time; the arrays are reused afterwards, so copy what must be kept.
 */
@FunctionalInterface
public interface ReconstructionSink {

    /**
     * @param firstToken index of the batch's first token in the whole input
     * @param x          the input batch, row-major {@code rows x d_in}
     * @param xHat       its reconstruction {@code f W_dec + b_dec}, row-major {@code rows x d_in}
     * @param rows       tokens in the batch
     */
    void batch(long firstToken, float[] x, float[] xHat, int rows);
}
