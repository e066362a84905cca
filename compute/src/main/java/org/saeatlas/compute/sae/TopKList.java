package org.saeatlas.compute.sae;

/**
 * The k best (index, value) pairs offered so far, kept sorted: higher value first, then the smaller index. The order
 * is total, so the final list does not depend on the order of the offers: lists filled from parts of the candidates
 * (blocks, threads, engines) and then merged give the same result as one list fed everything. Offering is O(k) in
 * the worst case and O(1) for the common candidate that does not beat the current k-th.
 */
public final class TopKList {
    private final int[] index;
    private final float[] value;
    private int size;

    public TopKList(int k) {
        index = new int[k];
        value = new float[k];
    }

    /** Adds candidate {@code i} with value {@code v} if it is among the best k seen. */
    public void offer(int i, float v) {
        int k = index.length;
        if (k == 0 || (size == k && !better(i, v, index[k - 1], value[k - 1]))) {
            return;
        }
        int at = size < k ? size++ : k - 1;
        while (at > 0 && better(i, v, index[at - 1], value[at - 1])) {
            index[at] = index[at - 1];
            value[at] = value[at - 1];
            at--;
        }
        index[at] = i;
        value[at] = v;
    }

    /** Offers every entry of {@code other}. */
    public void mergeFrom(TopKList other) {
        for (int n = 0; n < other.size; n++) {
            offer(other.index[n], other.value[n]);
        }
    }

    /** The value a candidate must beat (with ties to the smaller index) to enter a full list; -inf while not full. */
    public float floor() {
        return size < index.length ? Float.NEGATIVE_INFINITY : value[index.length - 1];
    }

    public int size() {
        return size;
    }

    /** True when (i, v) ranks before (j, w): a higher value, or an equal value and a smaller index. */
    public static boolean better(int i, float v, int j, float w) {
        return v > w || (v == w && i < j);
    }

    /** Copies the list, best first, into {@code idx}/{@code val} from {@code offset}. */
    public void drainInto(int[] idx, float[] val, int offset) {
        System.arraycopy(index, 0, idx, offset, size);
        System.arraycopy(value, 0, val, offset, size);
    }
}
