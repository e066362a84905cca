package org.saeatlas.server.store;

/** A search hit: the explanation, the feature it explains, and the ranking score (BM25, or fused). */
public record SearchHit(Explanation explanation, Feature feature, double score) { }
