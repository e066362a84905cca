package org.saeatlas.compute.correlation;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.saeatlas.compute.coactivation.CoOccurrence;
import org.saeatlas.compute.fdr.BenjaminiHochberg;

/**
 * The pre-screen of one trial: test every pair of firing features, apply Benjamini-Hochberg at level q over all
 * {@code m = f(f-1)/2} pairs of the f firing features, then keep per feature the top-k discovered partners by |r|.
 *
 * <p>Pairs that co-fire are read from the exact sparse X^T X ({@link CoOccurrence}); as in the published method only
 * co-occurring pairs are candidates, and a pair that never co-fires counts as a test with p-value 1 (for the
 * hypergeometric test that is its exact value). Only p-values <= q are kept, since no larger one can be rejected.
 * Cost O(pairs present + s log s) for s kept p-values; deterministic at any thread count (feature blocks are
 * contiguous and concatenated in order). This is the plain reference path over a full X^T X; the engine uses the
 * fused {@link PairScan}, which is tested against it.
 */
public final class PairScreen {
    private PairScreen() {
    }

    public static ScreenResult screen(CoOccurrence co, ScreenParameters sp, int threads) {
        int p = co.featureCount();
        int firing = 0;
        for (int c : co.count()) {
            firing += c > 0 ? 1 : 0;
        }
        long tests = (long) firing * (firing - 1) / 2;
        if (tests == 0) {
            return new ScreenResult(emptyLists(p), firing, 0, 0, -1);
        }
        Tester tester = new Tester(co, sp);
        int blocks = Math.max(1, Math.min(p, 32 * Math.max(1, threads)));
        int span = (p + blocks - 1) / blocks;
        Kept[] parts = new Kept[blocks];
        CoOccurrence.runWith(threads, () -> IntStream.range(0, blocks).parallel().forEach(b -> {
            Kept kept = new Kept();
            for (int i = b * span; i < Math.min(p, (b + 1) * span); i++) {
                tester.testRow(i, kept);
            }
            parts[b] = kept;
        }));
        Kept all = Kept.concat(parts);
        double cut = BenjaminiHochberg.threshold(all.pv, all.size, tests, sp.q());
        return new ScreenResult(candidates(p, all, cut, sp.topK()), firing, tests, all.countAtMost(cut), cut);
    }

    static int[][] emptyLists(int p) {
        int[][] lists = new int[p][];
        Arrays.fill(lists, new int[0]);
        return lists;
    }

    /** Per feature the top-k discovered partners by |r| (ties: lower index), returned in increasing index order. */
    static int[][] candidates(int p, Kept all, double cut, int topK) {
        int[] degree = new int[p];
        for (int k = 0; k < all.size; k++) {
            if (all.pv[k] <= cut) {
                degree[all.i[k]]++;
                degree[all.j[k]]++;
            }
        }
        long[][] keys = new long[p][];
        for (int f = 0; f < p; f++) {
            keys[f] = new long[degree[f]];
        }
        int[] fill = new int[p];
        for (int k = 0; k < all.size; k++) {
            if (all.pv[k] <= cut) {
                long score = (long) Float.floatToIntBits(all.absR[k]) << 32;
                keys[all.i[k]][fill[all.i[k]]++] = score | (Integer.MAX_VALUE - all.j[k]);
                keys[all.j[k]][fill[all.j[k]]++] = score | (Integer.MAX_VALUE - all.i[k]);
            }
        }
        int[][] lists = new int[p][];
        for (int f = 0; f < p; f++) {
            long[] key = keys[f];
            Arrays.sort(key);
            int take = Math.min(topK, key.length);
            int[] list = new int[take];
            for (int a = 0; a < take; a++) {
                list[a] = Integer.MAX_VALUE - (int) key[key.length - 1 - a];
            }
            Arrays.sort(list);
            lists[f] = list;
        }
        return lists;
    }

    /** Tests the pairs of row i read from a full X^T X. */
    private static final class Tester extends PairTest {
        final CoOccurrence co;

        Tester(CoOccurrence co, ScreenParameters sp) {
            super(TrialMoments.of(co), sp);
            this.co = co;
        }

        void testRow(int i, Kept kept) {
            for (long k = co.pairPtr()[i]; k < co.pairPtr()[i + 1]; k++) {
                test(i, co.pairJ()[(int) k], co.pairCount()[(int) k], co.pairSumProd()[(int) k], kept);
            }
        }
    }

    /** Growable columns of kept pairs. */
    public static final class Kept {
        int[] i = new int[64];
        int[] j = new int[64];
        double[] pv = new double[64];
        float[] absR = new float[64];
        int size;

        void add(int a, int b, double p, float r) {
            if (size == i.length) {
                int cap = size * 2;
                i = Arrays.copyOf(i, cap);
                j = Arrays.copyOf(j, cap);
                pv = Arrays.copyOf(pv, cap);
                absR = Arrays.copyOf(absR, cap);
            }
            i[size] = a;
            j[size] = b;
            pv[size] = p;
            absR[size] = r;
            size++;
        }

        long countAtMost(double cut) {
            long c = 0;
            for (int k = 0; k < size; k++) {
                c += pv[k] <= cut ? 1 : 0;
            }
            return c;
        }

        static Kept concat(Kept[] parts) {
            Kept all = new Kept();
            int total = 0;
            for (Kept part : parts) {
                total += part.size;
            }
            all.i = new int[Math.max(1, total)];
            all.j = new int[all.i.length];
            all.pv = new double[all.i.length];
            all.absR = new float[all.i.length];
            for (Kept part : parts) {
                System.arraycopy(part.i, 0, all.i, all.size, part.size);
                System.arraycopy(part.j, 0, all.j, all.size, part.size);
                System.arraycopy(part.pv, 0, all.pv, all.size, part.size);
                System.arraycopy(part.absR, 0, all.absR, all.size, part.size);
                all.size += part.size;
            }
            return all;
        }
    }
}
