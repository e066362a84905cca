package org.saeatlas.compute.matching;

import java.util.Arrays;
import java.util.List;

/**
 * The matches of one pairing between SAE A ({@code featuresA} wide) and SAE B, sorted by (a, b), with the score
 * threshold they passed.
 */
public record MatchResult(Similarity similarity, Pairing pairing, double minScore, int featuresA, int featuresB,
                          List<Match> matches) {

    public MatchResult {
        matches = List.copyOf(matches);
    }

    /** Share of A's features with at least one match. */
    public double shareMatchedA() {
        return featuresA == 0 ? 0 : matches.stream().mapToInt(Match::a).distinct().count() / (double) featuresA;
    }

    /** Share of B's features with at least one match. */
    public double shareMatchedB() {
        return featuresB == 0 ? 0 : matches.stream().mapToInt(Match::b).distinct().count() / (double) featuresB;
    }

    /** B partner of each A feature, -1 if none; for one-to-many the strongest (rank 1) partner. */
    public int[] partnerOfA() {
        int[] p = new int[featuresA];
        Arrays.fill(p, -1);
        for (Match m : matches) {
            if (p[m.a()] < 0 || m.rank() == 1) {
                p[m.a()] = m.b();
            }
        }
        return p;
    }
}
