package org.saeatlas.compute.matching;

import java.util.Locale;

/**
 * One matched pair, feature {@code a} of SAE A with feature {@code b} of SAE B.
 *
 * @param similarity what {@code score} measures
 * @param pairing    how the pair was chosen
 * @param score      the pair's cosine or correlation
 * @param rank       for one-to-one pairings: b's rank among a's candidates (1 = a's best); for one-to-many: the
 *                   pair's rank among the narrow feature's partners (1 = strongest)
 */
public record Match(int a, int b, Similarity similarity, Pairing pairing, double score, int rank) {

    /** Name for storage, e.g. {@code decoder_cosine/assignment}. */
    public String method() {
        return similarity.name().toLowerCase(Locale.ROOT) + "/" + pairing.name().toLowerCase(Locale.ROOT);
    }
}
