package org.saeatlas.compute.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.SparseActivations;

/**
 * Each feature's top activating examples, taken from the activations themselves when token rows are sequences of
 * fixed length (row {@code t = sequence * contextLength + position}, as a delphi cache lays them out). An example is
 * the window of at most {@code before} tokens before and {@code after} tokens after the feature's peak, clipped to its
 * sequence, with the feature's activation on every token of the window. At most one example per sequence (its
 * highest-activating position), ranked by peak activation; ties go to the earlier token, so the result is
 * deterministic.
 */
public final class TopExamples {

    /** One example: rows {@code [start, end)} of the activations, the peak row, and the feature's value per row. */
    public record Example(int feature, int rank, int start, int end, int peak, float[] values) { }

    private TopExamples() {
    }

    public static List<Example> of(SparseActivations x, int contextLength, int perFeature, int before, int after) {
        if (contextLength < 1 || x.tokens() % contextLength != 0) {
            throw new AtlasException("examples: " + x.tokens() + " token rows are not whole sequences of "
                    + contextLength + " tokens");
        }
        if (perFeature < 1 || before < 0 || after < 0) {
            throw new AtlasException("examples: need perFeature >= 1 and non-negative window sizes, got " + perFeature
                    + ", " + before + ", " + after);
        }
        SparseActivations.Columns cols = x.columns();
        List<Example> out = new ArrayList<>();
        for (int f = 0; f < x.featureCount(); f++) {
            int from = cols.colPtr()[f];
            int to = cols.colPtr()[f + 1];
            // the best position of each sequence: tokens are ascending within a column, so sequences are contiguous
            int[] peaks = new int[to - from];
            int n = 0;
            for (int k = from; k < to; k++) {
                int seq = cols.tokens()[k] / contextLength;
                if (n > 0 && cols.tokens()[peaks[n - 1]] / contextLength == seq) {
                    if (cols.values()[k] > cols.values()[peaks[n - 1]]) {
                        peaks[n - 1] = k;
                    }
                } else {
                    peaks[n++] = k;
                }
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = peaks[i];
            }
            // by value descending, then token ascending (entries are in token order, so the index breaks ties)
            Arrays.sort(order, (a, b) -> {
                int c = Float.compare(cols.values()[b], cols.values()[a]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            for (int r = 0; r < Math.min(perFeature, n); r++) {
                int peak = cols.tokens()[order[r]];
                int seqStart = peak / contextLength * contextLength;
                int start = Math.max(seqStart, peak - before);
                int end = Math.min(seqStart + contextLength, peak + after + 1);
                out.add(new Example(f, r, start, end, peak, window(x, f, start, end)));
            }
        }
        return out;
    }

    /** The feature's activation on rows {@code [start, end)}, 0 where it does not fire. */
    private static float[] window(SparseActivations x, int feature, int start, int end) {
        float[] v = new float[end - start];
        for (int t = start; t < end; t++) {
            int k = Arrays.binarySearch(x.features(), x.rowPtr()[t], x.rowPtr()[t + 1], feature);
            v[t - start] = k >= 0 ? x.values()[k] : 0f;
        }
        return v;
    }
}
