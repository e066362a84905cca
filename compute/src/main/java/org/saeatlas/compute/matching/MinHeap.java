package org.saeatlas.compute.matching;

import java.util.Arrays;

/** A binary min-heap of (key, id) without boxing; equal keys pop the smaller id first, so pops are deterministic. */
final class MinHeap {
    private double[] keys = new double[16];
    private int[] ids = new int[16];
    private int size;

    void clear() {
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    double peekKey() {
        return keys[0];
    }

    int peekId() {
        return ids[0];
    }

    void push(double key, int id) {
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

    void pop() {
        double key = keys[--size];
        int id = ids[size];
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

    private static boolean less(double k1, int i1, double k2, int i2) {
        return k1 < k2 || k1 == k2 && i1 < i2;
    }
}
