package org.saeatlas.server.store;

/** A feature explained like another: its nearest explanation by embedding and their cosine similarity. */
public record SimilarFeature(Feature feature, Explanation explanation, double similarity) { }
