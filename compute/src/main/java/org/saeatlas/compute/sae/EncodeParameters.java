package org.saeatlas.compute.sae;

import org.saeatlas.errors.AtlasException;

/**
 * How {@link SaeEncoder} works through residual activations.
 *
 * @param batchSize tokens per batch: bounds memory at {@code batchSize x d_sae} floats of pre-activations plus
 *                  {@code batchSize x d_in} of input (256 x 16,384 floats = 16 MiB)
 * @param blockSize rows of {@code W_enc} and columns of {@code d_sae} per block of the blocked product (e.g. 256:
 *                  a 256 x 256 float tile of {@code W_enc} = 256 KiB stays in L2 while every token of the batch uses it)
 * @param threads   workers; the result is identical at any count
 */
public record EncodeParameters(int batchSize, int blockSize, int threads) {

    public EncodeParameters {
        if (batchSize < 1 || blockSize < 1 || threads < 1) {
            throw new AtlasException("encode: batchSize, blockSize and threads must be >= 1, found batchSize="
                    + batchSize + ", blockSize=" + blockSize + ", threads=" + threads);
        }
    }

    /** 256-token batches, 256-wide blocks, one worker per core. */
    public static EncodeParameters defaults() {
        return new EncodeParameters(256, 256, Runtime.getRuntime().availableProcessors());
    }

    public EncodeParameters withThreads(int n) {
        return new EncodeParameters(batchSize, blockSize, n);
    }

    public EncodeParameters withBatchSize(int n) {
        return new EncodeParameters(n, blockSize, threads);
    }
}
