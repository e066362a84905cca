package org.saeatlas.compute.sae;

import org.saeatlas.compute.SparseActivations;

/**
 * What {@link SaeEncoder} produces: the sparse feature activations (tokens x d_sae, in input order) and the
 * reconstruction statistics per token and per SAE.
 */
public record EncodeResult(SparseActivations activations, ErrorStatistics statistics) {
}
