package org.saeatlas.compute.coactivation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;

/**
 * The co-activation graph of one SAE: features as nodes, an edge between two features that fire together on enough
 * tokens with a large enough Pearson correlation (exact, from {@link CoOccurrence}), pruned to each feature's top-k
 * partners. This is the raw co-activation graph of the co-occurrence and seed-comparison studies; it shows marginal,
 * not conditional, dependence.
 */
public final class CoActivationGraph {

    private CoActivationGraph() {
    }

    /** One undirected edge, {@code i < j}. */
    public record Edge(int i, int j, int count, double pearson, double jaccard) { }

    public record Result(CoOccurrence moments, List<Edge> edges) { }

    public static Result compute(SparseActivations x, CoActivationParameters params, Progress progress) {
        // only the pairs that pass the filters are kept: the same edges, in memory O(kept pairs)
        CoOccurrence m = CoOccurrence.of(x, params.threads(), progress, params.minCount(),
                params.minAbsCorrelation());
        return new Result(m, edges(m, params));
    }

    /** Edges of already computed moments, sorted by (i, j). */
    public static List<Edge> edges(CoOccurrence m, CoActivationParameters params) {
        int p = m.featureCount();
        // candidate pairs passing the count and correlation filters, as positions into the pair arrays
        int[][] partners = new int[p][];
        int[] partnerCount = new int[p];
        List<long[]> passing = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            for (long k = m.pairPtr()[i]; k < m.pairPtr()[i + 1]; k++) {
                if (m.pairCount()[(int) k] < params.minCount()) {
                    continue;
                }
                double r = m.pearson(i, k);
                if (Math.abs(r) < params.minAbsCorrelation()) {
                    continue;
                }
                passing.add(new long[] {i, k});
                partnerCount[i]++;
                partnerCount[m.pairJ()[(int) k]]++;
            }
        }
        for (int i = 0; i < p; i++) {
            partners[i] = new int[partnerCount[i]];
            partnerCount[i] = 0;
        }
        for (int e = 0; e < passing.size(); e++) {
            int i = (int) passing.get(e)[0];
            int j = m.pairJ()[(int) passing.get(e)[1]];
            partners[i][partnerCount[i]++] = e;
            partners[j][partnerCount[j]++] = e;
        }
        boolean[] keep = new boolean[passing.size()];
        double[] strength = new double[passing.size()];
        for (int e = 0; e < passing.size(); e++) {
            long[] pe = passing.get(e);
            strength[e] = Math.abs(m.pearson((int) pe[0], pe[1]));
        }
        for (int i = 0; i < p; i++) {
            Integer[] order = Arrays.stream(partners[i]).boxed().toArray(Integer[]::new);
            // strongest first; ties by edge position so the result does not depend on anything but the data
            Arrays.sort(order, (a, b) -> strength[a] != strength[b] ? Double.compare(strength[b], strength[a]) : Integer.compare(a, b));
            for (int r = 0; r < Math.min(params.topK(), order.length); r++) {
                keep[order[r]] = true;
            }
        }
        List<Edge> out = new ArrayList<>();
        for (int e = 0; e < passing.size(); e++) {
            if (!keep[e]) {
                continue;
            }
            int i = (int) passing.get(e)[0];
            long k = passing.get(e)[1];
            out.add(new Edge(i, m.pairJ()[(int) k], m.pairCount()[(int) k], m.pearson(i, k), m.jaccard(i, k)));
        }
        return out;
    }
}
