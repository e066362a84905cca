package org.saeatlas.compute.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.sae.CosineTopK;
import org.saeatlas.compute.sae.DecoderCosine;

/**
 * Matches the features of two SAEs (other seed, width or layer) from scored sparse candidates, three ways:
 * <ul>
 *   <li>{@link Pairing#ASSIGNMENT}: the maximum-weight one-to-one matching over candidates with score &gt;=
 *       {@code minScore} ({@link LinearAssignment});</li>
 *   <li>{@link Pairing#MUTUAL_NEAREST}: mutual best candidates with score &gt;= {@code minScore}
 *       ({@link MutualNearest});</li>
 *   <li>{@link Pairing#ONE_TO_MANY}: for width changes, every feature of the wider SAE (B when the widths are
 *       equal) goes to its best candidate in the narrower one if the score is &gt;= {@code splitMinScore}; a narrow
 *       feature with several partners has split.</li>
 * </ul>
 * Candidates are the union of the top-k of each A feature in B and of each B feature in A, so every result is
 * symmetric under swapping A and B (one-to-many too when the widths differ; at equal widths A counts as the narrow
 * side). Scores are decoder cosines ({@link #byDecoderCosine}, cost pA pB d multiply-adds: one pass over the blocked
 * products yields both directions' top-k, on the Java engine or a native one)
 * or activation correlations on shared tokens ({@link #byActivationCorrelation}, cost O(sum_t a_t b_t)); the
 * matching itself is cheap beside them.
 * The share matched above the threshold is {@link MatchResult#shareMatchedA()}: published seed-to-seed figures for
 * large SAEs are around 30-50%, so a pair of seeds is not expected to match fully.
 */
public final class FeatureMatcher {

    private FeatureMatcher() {
    }

    /** By decoder cosine on the Java engine: {@code wDecA} is {@code pA x d} row-major, {@code wDecB} is {@code pB x d}. */
    public static FeatureMatches byDecoderCosine(float[] wDecA, int pA, float[] wDecB, int pB, int d,
            MatchParameters params, Progress progress) {
        return byDecoderCosine(DecoderCosine.inJava(params.threads()), wDecA, pA, wDecB, pB, d, params, progress);
    }

    /** By decoder cosine, the top-k of both directions from {@code cosine} (Java or a native engine). */
    public static FeatureMatches byDecoderCosine(CosineTopK cosine, float[] wDecA, int pA, float[] wDecB, int pB,
            int d, MatchParameters params, Progress progress) {
        CosineTopK.CrossNeighbours both = cosine.both(wDecA, pA, wDecB, pB, d, params.k(), progress);
        return match(CandidateSet.ofNeighbours(both.aInB(), both.bInA()), Similarity.DECODER_COSINE, params,
                progress);
    }

    /** Matches by the exact Pearson correlation of activations over the same tokens ({@link CrossCorrelation}). */
    public static FeatureMatches byActivationCorrelation(SparseActivations a, SparseActivations b,
            MatchParameters params, Progress progress) {
        double floor = Math.min(params.minScore(), params.splitMinScore());
        CandidateSet c = CrossCorrelation.candidates(a, b, params.minCoFiring(), floor, params.k(), params.threads(),
                progress);
        return match(c, Similarity.ACTIVATION_CORRELATION, params, progress);
    }

    /** All three pairings on given candidates. */
    public static FeatureMatches match(CandidateSet c, Similarity similarity, MatchParameters params,
            Progress progress) {
        int[] rank = c.rankInA();
        LinearAssignment.Result la = LinearAssignment.solve(c, params.minScore(), progress);
        MutualNearest.Result mn = MutualNearest.solve(c, params.minScore());
        return new FeatureMatches(similarity, c,
                oneToOne(c, rank, la.partnerOfA(), similarity, Pairing.ASSIGNMENT, params.minScore()),
                oneToOne(c, rank, mn.partnerOfA(), similarity, Pairing.MUTUAL_NEAREST, params.minScore()),
                oneToMany(c, similarity, params.splitMinScore()));
    }

    /**
     * Split matches: each feature of the wider side goes to its best candidate on the narrower side (A is the
     * narrow side when the widths are equal) if the score is at least {@code minScore}. Ranks order each narrow
     * feature's partners by score. Cost O(E log E).
     */
    public static MatchResult oneToMany(CandidateSet c, Similarity similarity, double minScore) {
        boolean aNarrow = c.left() <= c.right();
        CandidateSet wide = aNarrow ? c.swapped() : c;
        // wide.a() are the wide side's features; each picks its best narrow partner
        int[] best = new int[wide.left()];
        double[] bestScore = new double[wide.left()];
        Arrays.fill(best, -1);
        for (int n = 0; n < wide.size(); n++) {
            int w = wide.a()[n];
            if (wide.score()[n] >= minScore
                    && (best[w] < 0 || CandidateSet.better(wide.score()[n], wide.b()[n], bestScore[w], best[w]))) {
                best[w] = wide.b()[n];
                bestScore[w] = wide.score()[n];
            }
        }
        List<int[]> pairs = new ArrayList<>();
        for (int w = 0; w < best.length; w++) {
            if (best[w] >= 0) {
                pairs.add(new int[] {best[w], w});
            }
        }
        // by narrow feature, then strongest first (ties by the wide index)
        pairs.sort((x, y) -> x[0] != y[0] ? Integer.compare(x[0], y[0])
                : bestScore[x[1]] != bestScore[y[1]] ? Double.compare(bestScore[y[1]], bestScore[x[1]])
                : Integer.compare(x[1], y[1]));
        List<Match> out = new ArrayList<>();
        int rank = 0;
        for (int n = 0; n < pairs.size(); n++) {
            int narrow = pairs.get(n)[0];
            int w = pairs.get(n)[1];
            rank = n > 0 && pairs.get(n - 1)[0] == narrow ? rank + 1 : 1;
            out.add(aNarrow ? new Match(narrow, w, similarity, Pairing.ONE_TO_MANY, bestScore[w], rank)
                    : new Match(w, narrow, similarity, Pairing.ONE_TO_MANY, bestScore[w], rank));
        }
        out.sort((x, y) -> x.a() != y.a() ? Integer.compare(x.a(), y.a()) : Integer.compare(x.b(), y.b()));
        return new MatchResult(similarity, Pairing.ONE_TO_MANY, minScore, c.left(), c.right(), out);
    }

    private static MatchResult oneToOne(CandidateSet c, int[] rank, int[] partnerOfA, Similarity similarity,
            Pairing pairing, double minScore) {
        List<Match> out = new ArrayList<>();
        for (int a = 0; a < c.left(); a++) {
            int b = partnerOfA[a];
            if (b < 0) {
                continue;
            }
            int at = Arrays.binarySearch(c.b(), c.rowStart(a), c.rowStart(a + 1), b);
            out.add(new Match(a, b, similarity, pairing, c.score()[at], rank[at]));
        }
        return new MatchResult(similarity, pairing, minScore, c.left(), c.right(), out);
    }
}
