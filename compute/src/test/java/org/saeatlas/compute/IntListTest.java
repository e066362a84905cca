package org.saeatlas.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IntListTest {
    @Test
    void keepsEveryIntInOrderAcrossGrowthAndStartsOverAfterClear() {
        IntList list = new IntList(1);
        int[] expected = new int[1000];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i * 7 - 300;
            list.add(expected[i]);
        }
        assertEquals(1000, list.size());
        assertEquals(-300, list.get(0));
        assertEquals(999 * 7 - 300, list.get(999));
        assertArrayEquals(expected, list.toArray());
        list.clear();
        assertEquals(0, list.size());
        list.add(42);
        assertArrayEquals(new int[] {42}, list.toArray());
    }
}
