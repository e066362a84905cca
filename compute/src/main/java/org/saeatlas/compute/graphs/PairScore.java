package org.saeatlas.compute.graphs;

/** A symmetric score of two nodes (features), e.g. the cosine of their decoder rows. */
@FunctionalInterface
public interface PairScore {
    double score(int a, int b);
}
