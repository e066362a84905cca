package org.saeatlas.compute.sae;

import org.saeatlas.compute.Progress;

/**
 * Top-k decoder-cosine neighbours (see {@link DecoderCosine} for the method and the tie rule: higher cosine first,
 * then the smaller index). Decoders are row-major {@code p x d} float arrays, row f being feature f's direction;
 * a zero row has cosine 0 with everything. Implementations differ only in where the products run (Java loops,
 * a native engine), so their results agree up to float rounding of the cosines and the ties that rounding makes or
 * breaks.
 */
public interface CosineTopK {

    /** A short name for messages and provenance, e.g. "java" or "djl-cpu". */
    String name();

    /** Top-k neighbours of every feature among the other features of the same decoder (itself excluded). */
    CosineNeighbours within(float[] wDec, int p, int d, int k, Progress progress);

    /** Top-k neighbours in decoder B of every feature of decoder A. */
    CosineNeighbours across(float[] wDecA, int pA, float[] wDecB, int pB, int d, int k, Progress progress);

    /**
     * Both directions at once: each feature of A among B and each feature of B among A, from one pass over the
     * products (the cosine matrix is the same, read by rows and by columns). Equal to two {@link #across} calls.
     */
    CrossNeighbours both(float[] wDecA, int pA, float[] wDecB, int pB, int d, int k, Progress progress);

    /** Each feature of A among B ({@code aInB}) and each feature of B among A ({@code bInA}). */
    record CrossNeighbours(CosineNeighbours aInB, CosineNeighbours bInA) {
    }
}
