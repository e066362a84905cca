package org.saeatlas.compute.sae;

/**
 * The top-k cosine neighbours of each of {@code features} query features: neighbours of feature f are
 * {@code indices[f*k .. f*k+k-1]} with cosines {@code cosines[...]}, most similar first, ties broken by the smaller
 * index. {@code k} is the requested k capped at the number of candidates.
 */
public record CosineNeighbours(int features, int k, int[] indices, float[] cosines) {

    public CosineNeighbours {
        if (indices.length != (long) features * k || cosines.length != indices.length) {
            throw new IllegalArgumentException("neighbours: expected " + features + " x " + k + " entries, found "
                    + indices.length + " indices and " + cosines.length + " cosines");
        }
    }

    public int neighbour(int feature, int rank) {
        return indices[feature * k + rank];
    }

    public float cosine(int feature, int rank) {
        return cosines[feature * k + rank];
    }
}
