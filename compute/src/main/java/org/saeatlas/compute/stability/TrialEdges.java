package org.saeatlas.compute.stability;

import java.util.Arrays;
import org.saeatlas.compute.lasso.NodewiseLasso;

/**
 * The undirected edges of one trial, merged from the directed nodewise selections by the AND or OR rule. An edge
 * (i &lt; j) is keyed {@code i * p + j}; its weight is the mean of the standardised coefficients of the directions
 * that selected it. Keys are sorted. Cost O(directed edges * log(degree)).
 *
 * @param keys     edge keys, increasing
 * @param weights  weight of each edge
 * @param andEdges pairs selected in both directions
 * @param orEdges  pairs selected in at least one direction
 */
record TrialEdges(long[] keys, float[] weights, long andEdges, long orEdges) {

    static TrialEdges merge(NodewiseLasso.Fit fit, MergeRule rule, int p) {
        int[][] sel = fit.selected();
        float[][] coef = fit.coef();
        long directed = fit.directedEdges();
        long[] keys = new long[(int) directed];
        float[] weights = new float[(int) directed];
        int size = 0;
        long both = 0;
        long either = 0;
        for (int i = 0; i < p; i++) {
            for (int a = 0; a < sel[i].length; a++) {
                int j = sel[i][a];
                int back = Arrays.binarySearch(sel[j], i);
                if (back >= 0 && j < i) {
                    continue;
                }
                either++;
                both += back >= 0 ? 1 : 0;
                if (back < 0 && rule == MergeRule.AND) {
                    continue;
                }
                float w = back >= 0 ? (coef[i][a] + coef[j][back]) / 2 : coef[i][a];
                keys[size] = (long) Math.min(i, j) * p + Math.max(i, j);
                weights[size] = w;
                size++;
            }
        }
        return sorted(Arrays.copyOf(keys, size), Arrays.copyOf(weights, size), both, either);
    }

    private static TrialEdges sorted(long[] keys, float[] weights, long both, long either) {
        Integer[] order = new Integer[keys.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (x, y) -> Long.compare(keys[x], keys[y]));
        long[] k2 = new long[keys.length];
        float[] w2 = new float[keys.length];
        for (int k = 0; k < order.length; k++) {
            k2[k] = keys[order[k]];
            w2[k] = weights[order[k]];
        }
        return new TrialEdges(k2, w2, both, either);
    }
}
