package org.saeatlas.compute;

import java.util.Arrays;

/** A growable list of ints without boxing: add, read back, clear for reuse, copy out. */
public final class IntList {
    private int[] items;
    private int size;

    public IntList() {
        this(8);
    }

    /** A list with room for {@code capacity} ints before it first grows (at least 8). */
    public IntList(int capacity) {
        items = new int[Math.max(8, capacity)];
    }

    public void add(int v) {
        if (size == items.length) {
            items = Arrays.copyOf(items, items.length + Math.max(8, items.length >> 1));
        }
        items[size++] = v;
    }

    public int get(int at) {
        return items[at];
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    /** The ints added, in order, in an array of their own. */
    public int[] toArray() {
        return Arrays.copyOf(items, size);
    }
}
