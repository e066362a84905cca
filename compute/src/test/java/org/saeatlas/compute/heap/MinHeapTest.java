package org.saeatlas.compute.heap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one heap against a sort: pops come out in (key, id) order, with ties to the smaller id. */
class MinHeapTest {

    @Test
    void popsInTheOrderOfASortWithTiesToTheSmallerId() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + rnd.nextInt(300);
            double[] keys = new double[n];
            int[][] pairs = new int[n][];
            MinHeap heap = new MinHeap(2);   // grows
            for (int i = 0; i < n; i++) {
                keys[i] = rnd.nextInt(20) / 4.0;  // many equal keys
                int id = rnd.nextInt(1000);
                pairs[i] = new int[] {i, id};
                heap.push(keys[i], id);
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> keys[i]).thenComparingInt(i -> pairs[i][1]));
            for (int m = 0; m < n; m++) {
                assertEquals(keys[order[m]], heap.peekKey(), "trial " + trial + ", pop " + m);
                assertEquals(pairs[order[m]][1], heap.peekId(), "trial " + trial + ", pop " + m);
                heap.pop();
            }
            assertTrue(heap.isEmpty());
        }
    }

    @Test
    void replaceTopIsAPopAndAPush() {
        MinHeap a = new MinHeap();
        MinHeap b = new MinHeap();
        Random rnd = new Random(3);
        for (int i = 0; i < 100; i++) {
            double k = rnd.nextInt(10);
            a.push(k, i);
            b.push(k, i);
        }
        a.replaceTop(4.5, 999);
        b.pop();
        b.push(4.5, 999);
        double[] fromA = new double[100];
        double[] fromB = new double[100];
        for (int m = 0; m < 100; m++) {
            fromA[m] = a.peekKey() * 10_000 + a.peekId();
            fromB[m] = b.peekKey() * 10_000 + b.peekId();
            a.pop();
            b.pop();
        }
        assertArrayEquals(fromB, fromA);
    }
}
