package org.saeatlas.compute.comparison;

/** Open-addressing hash set of non-negative longs (edge keys), no boxing. */
final class LongSet {
    private long[] slots;
    private int size;

    LongSet(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        slots = new long[cap];
        java.util.Arrays.fill(slots, -1L);
    }

    int size() {
        return size;
    }

    boolean contains(long key) {
        int mask = slots.length - 1;
        for (int at = mix(key) & mask; ; at = (at + 1) & mask) {
            if (slots[at] == key) {
                return true;
            }
            if (slots[at] == -1L) {
                return false;
            }
        }
    }

    /** Adds the key; false if it was present. */
    boolean add(long key) {
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        int at = mix(key) & mask;
        while (slots[at] != -1L) {
            if (slots[at] == key) {
                return false;
            }
            at = (at + 1) & mask;
        }
        slots[at] = key;
        size++;
        return true;
    }

    /** Removes the key if present (backward-shift deletion keeps probe chains intact). */
    void remove(long key) {
        int mask = slots.length - 1;
        int at = mix(key) & mask;
        while (slots[at] != key) {
            if (slots[at] == -1L) {
                return;
            }
            at = (at + 1) & mask;
        }
        size--;
        int gap = at;
        for (int next = (gap + 1) & mask; slots[next] != -1L; next = (next + 1) & mask) {
            int home = mix(slots[next]) & mask;
            // move the entry back if its home is not in the cyclic range (gap, next]
            if (((next - home) & mask) >= ((next - gap) & mask)) {
                slots[gap] = slots[next];
                gap = next;
            }
        }
        slots[gap] = -1L;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        java.util.Arrays.fill(slots, -1L);
        size = 0;
        for (long k : old) {
            if (k != -1L) {
                add(k);
            }
        }
    }

    private static int mix(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
