package org.saeatlas.compute.sae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The k best against a sort of everything; offers in any order and merged parts give the same list. */
class TopKListTest {

    /** Indices of the k best of {@code v} by a full sort: higher value first, then the smaller index. */
    static int[] bySort(float[] v, int k) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -v[i]).thenComparingInt(i -> i));
        return Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void keepsWhatASortKeepsInTheSameOrderWhateverTheOrderOfOffersAndMerges() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = rnd.nextInt(200);
            int k = rnd.nextInt(25);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextInt(12) - 6 + (rnd.nextBoolean() ? 0.5f : 0f);  // ties and negatives
            }
            int[] expected = bySort(v, k);

            TopKList one = new TopKList(k);
            TopKList partA = new TopKList(k);
            TopKList partB = new TopKList(k);
            int[] shuffled = shuffled(n, rnd);
            for (int i : shuffled) {
                one.offer(i, v[i]);
                (rnd.nextBoolean() ? partA : partB).offer(i, v[i]);
            }
            partA.mergeFrom(partB);
            for (TopKList list : new TopKList[] {one, partA}) {
                int[] idx = new int[list.size()];
                float[] val = new float[list.size()];
                list.drainInto(idx, val, 0);
                assertArrayEquals(expected, idx, "trial " + trial + " n=" + n + " k=" + k);
                for (int m = 0; m < idx.length; m++) {
                    assertEquals(v[idx[m]], val[m]);
                }
            }
            float floor = expected.length == k && k > 0 ? v[expected[k - 1]] : Float.NEGATIVE_INFINITY;
            assertEquals(floor, one.floor(), "trial " + trial);
        }
    }

    @Test
    void anSaesTopKIsTheSortsTopKWithReluInFeatureOrder() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 100; trial++) {
            float[] z = new float[1 + rnd.nextInt(300)];
            for (int j = 0; j < z.length; j++) {
                z[j] = (rnd.nextInt(9) - 3) / 2f;
            }
            int k = 1 + rnd.nextInt(40);
            int[] expected = Arrays.stream(bySort(z, k)).filter(j -> z[j] > 0).sorted().toArray();
            SaeEncoder.Row row = SaeEncoder.topK(z, k);
            assertArrayEquals(expected, row.features, "trial " + trial);
        }
    }
    private static int[] shuffled(int n, Random rnd) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
        Collections.shuffle(order, rnd);
        return order.stream().mapToInt(Integer::intValue).toArray();
    }
}
