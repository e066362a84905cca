package org.saeatlas.compute.matching;

/**
 * Everything one matching run produced: the scored candidates, the one-to-one assignment, the mutual nearest
 * neighbours and the one-to-many (split) matches, all with the same {@link Similarity}.
 */
public record FeatureMatches(Similarity similarity, CandidateSet candidates, MatchResult assignment,
                             MatchResult mutualNearest, MatchResult oneToMany) { }
