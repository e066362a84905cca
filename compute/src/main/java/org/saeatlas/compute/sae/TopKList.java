package org.saeatlas.compute.sae;

import java.util.Arrays;
import org.saeatlas.compute.heap.MinHeap;

/**
 * The k best (index, value) pairs offered so far: higher value first, then the smaller index. The order is total, so
 * the result does not depend on the order of the offers: lists filled from parts of the candidates (blocks, threads,
 * engines) and then merged give the same result as one list fed everything. Kept in the atlas's one {@link MinHeap}
 * with the worst kept pair at the root: a candidate that does not beat it is refused in O(1), one that does costs
 * O(log k).
 */
public final class TopKList {
    private final int k;
    /** Keys are values, ids are minus the index, so the heap's order puts the worst kept pair at the root. */
    private final MinHeap heap;

    public TopKList(int k) {
        this.k = k;
        this.heap = new MinHeap(k);
    }

    /** Adds candidate {@code i} with value {@code v} if it is among the best k seen. */
    public void offer(int i, float v) {
        if (heap.size() < k) {
            heap.push(v, -i);
        } else if (k > 0 && better(i, v, -heap.peekId(), (float) heap.peekKey())) {
            heap.replaceTop(v, -i);
        }
    }

    /** Offers every entry of {@code other}. */
    public void mergeFrom(TopKList other) {
        for (int n = 0; n < other.heap.size(); n++) {
            offer(-other.heap.idAt(n), (float) other.heap.keyAt(n));
        }
    }

    /** The value a candidate must beat (with ties to the smaller index) to enter a full list; -inf while not full. */
    public float floor() {
        return heap.size() < k || k == 0 ? Float.NEGATIVE_INFINITY : (float) heap.peekKey();
    }

    public int size() {
        return heap.size();
    }

    /** True when (i, v) ranks before (j, w): a higher value, or an equal value and a smaller index. */
    public static boolean better(int i, float v, int j, float w) {
        return v > w || (v == w && i < j);
    }

    /** Copies the list, best first, into {@code idx}/{@code val} from {@code offset}. */
    public void drainInto(int[] idx, float[] val, int offset) {
        int n = heap.size();
        long[] order = new long[n];
        for (int m = 0; m < n; m++) {
            // ascending order of (descending value, ascending index); +0.0f makes -0 and 0 one value, as better() does
            int bits = Float.floatToIntBits((float) heap.keyAt(m) + 0.0f);
            int ascending = bits ^ ((bits >> 31) & 0x7fffffff);
            order[m] = ((long) ~ascending << 32) | (-heap.idAt(m) & 0xffffffffL);
        }
        Arrays.sort(order);
        for (int m = 0; m < n; m++) {
            int ascending = ~(int) (order[m] >> 32);
            idx[offset + m] = (int) order[m];
            val[offset + m] = Float.intBitsToFloat(ascending ^ ((ascending >> 31) & 0x7fffffff));
        }
    }
}
