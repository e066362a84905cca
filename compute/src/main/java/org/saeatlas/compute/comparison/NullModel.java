package org.saeatlas.compute.comparison;

/** The random graphs a comparison is measured against ({@link RandomGraphs}). */
public enum NullModel {
    /** G(n, m) with the same nodes and edges, weights shuffled. */
    ERDOS_RENYI,
    /** Degree-preserving double-edge swaps, weights travel with their edge. */
    DEGREE_PRESERVING_REWIRING
}
