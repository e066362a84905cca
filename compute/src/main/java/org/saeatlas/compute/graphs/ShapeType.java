package org.saeatlas.compute.graphs;

/**
 * The shape of a component or community, after the co-occurrence study (hub-and-spoke ~ compositional encoding,
 * near-clique ~ ambiguity). Decided by {@link GraphShapes} from the scores in {@link Shape}.
 */
public enum ShapeType {
    /** Fewer than 3 nodes: every shape at once, so none. */
    TOO_SMALL,
    /** Density at least the near-clique threshold. */
    NEAR_CLIQUE,
    /** Freeman degree centralisation at least the hub threshold: one node carries the edges. */
    HUB_AND_SPOKE,
    /** Long and thin: diameter / (size - 1) at least the chain threshold and low maximum degree. */
    CHAIN,
    /** None of the above. */
    MIXED
}
