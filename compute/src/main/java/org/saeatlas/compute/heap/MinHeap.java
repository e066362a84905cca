package org.saeatlas.compute.heap;

import java.util.Arrays;

/**
 * The atlas's one binary heap: (key, id) pairs without boxing, smallest key first and, among equal keys, the smaller
 * id first, so the order is total and pops are deterministic. Grows as needed. Used as a priority queue (the
 * shortest augmenting paths of matching) and, through {@link org.saeatlas.compute.sae.TopKList}, to keep the k best
 * of a stream (decoder-cosine neighbours, an SAE's top-k activations).
 */
public final class MinHeap {
    private double[] keys;
    private int[] ids;
    private int size;

    public MinHeap() {
        this(16);
    }

    /** An empty heap with room for {@code capacity} entries before it grows. */
    public MinHeap(int capacity) {
        keys = new double[Math.max(1, capacity)];
        ids = new int[Math.max(1, capacity)];
    }

    public void clear() {
        size = 0;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    /** The smallest key; undefined when empty. */
    public double peekKey() {
        return keys[0];
    }

    /** The id of the smallest entry; undefined when empty. */
    public int peekId() {
        return ids[0];
    }

    public void push(double key, int id) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            ids = Arrays.copyOf(ids, size * 2);
        }
        int at = size++;
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!less(key, id, keys[parent], ids[parent])) {
                break;
            }
            keys[at] = keys[parent];
            ids[at] = ids[parent];
            at = parent;
        }
        keys[at] = key;
        ids[at] = id;
    }

    /** Removes the smallest entry. */
    public void pop() {
        size--;
        if (size > 0) {
            siftDown(keys[size], ids[size]);
        }
    }

    /** Replaces the smallest entry by (key, id): one sift instead of a pop and a push. */
    public void replaceTop(double key, int id) {
        siftDown(key, id);
    }

    /** The i-th stored entry's key and id, in heap order (not sorted), for {@code 0 <= i < size()}. */
    public double keyAt(int i) {
        return keys[i];
    }

    public int idAt(int i) {
        return ids[i];
    }

    /** Whether (k1, i1) comes before (k2, i2): a smaller key, or an equal key and a smaller id. */
    public static boolean less(double k1, int i1, double k2, int i2) {
        return k1 < k2 || k1 == k2 && i1 < i2;
    }

    private void siftDown(double key, int id) {
        int at = 0;
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && less(keys[child + 1], ids[child + 1], keys[child], ids[child])) {
                child++;
            }
            if (!less(keys[child], ids[child], key, id)) {
                break;
            }
            keys[at] = keys[child];
            ids[at] = ids[child];
            at = child;
        }
        keys[at] = key;
        ids[at] = id;
    }
}
