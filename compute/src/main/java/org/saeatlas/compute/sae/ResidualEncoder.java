package org.saeatlas.compute.sae;

import org.saeatlas.compute.Progress;

/** Encodes residual-stream activations through an SAE ({@link SaeEncoder} is the method). */
public interface ResidualEncoder {

    /**
     * Encodes every token of {@code batches}: each element a row-major {@code rows x d_in} float batch (any number
     * of rows). {@code batches} is iterated twice and must give the same rows both times.
     *
     * @param tokens total rows, for progress only (-1 when unknown)
     */
    EncodeResult encode(Iterable<float[]> batches, long tokens, Progress progress);

    /**
     * As {@link #encode(Iterable, long, Progress)}, handing every batch with its reconstruction to {@code sink}
     * (null: none) in token order.
     */
    EncodeResult encode(Iterable<float[]> batches, long tokens, Progress progress, ReconstructionSink sink);

    /** Where the dense products run, e.g. "java" or "djl-cpu". */
    String engine();
}
