package org.saeatlas.compute.matching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;

class LinearAssignmentTest {

    /** Dense score matrix to candidates; NaN = not a candidate. */
    static CandidateSet dense(double[][] w, int right) {
        List<int[]> pairs = new ArrayList<>();
        List<Double> s = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < right; j++) {
                if (!Double.isNaN(w[i][j])) {
                    pairs.add(new int[] {i, j});
                    s.add(w[i][j]);
                }
            }
        }
        return CandidateSet.of(w.length, right, pairs.stream().mapToInt(p -> p[0]).toArray(),
                pairs.stream().mapToInt(p -> p[1]).toArray(), s.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static final double N = Double.NaN;

    /**
     * Hand-solved: greedy takes (0,0)=0.9 and strands row 1 (total 1.4); the optimum is (0,1)+(1,0)+(2,2) =
     * 0.8 + 0.85 + 0.5 = 2.15.
     */
    @Test
    void beatsGreedyOnAHandSolvedCase() {
        CandidateSet c = dense(new double[][] {{0.9, 0.8, N}, {0.85, N, N}, {N, N, 0.5}}, 3);
        LinearAssignment.Result r = LinearAssignment.solve(c, 0.1, Progress.NONE);
        assertArrayEquals(new int[] {1, 0, 2}, r.partnerOfA());
        assertArrayEquals(new int[] {1, 0, 2}, r.partnerOfB());
        assertEquals(2.15, r.totalScore(), 1e-12);
        assertEquals(3, r.matched());
    }

    /** With minScore 0.82 only (0,0)=0.9 and (1,0)=0.85 remain; they compete for column 0 and 0.9 wins. */
    @Test
    void weakPairsStayUnmatched() {
        CandidateSet c = dense(new double[][] {{0.9, 0.8, N}, {0.85, N, N}, {N, N, 0.5}}, 3);
        LinearAssignment.Result r = LinearAssignment.solve(c, 0.82, Progress.NONE);
        assertArrayEquals(new int[] {0, -1, -1}, r.partnerOfA());
        assertArrayEquals(new int[] {0, -1, -1}, r.partnerOfB());
        assertEquals(0.9, r.totalScore(), 1e-12);
    }

    /** Non-positive scores never raise the total, so they are never used even with a negative threshold. */
    @Test
    void nonPositiveScoresAreNeverUsedAndEmptyInputsWork() {
        CandidateSet c = dense(new double[][] {{-0.5, 0.0}, {N, 0.3}}, 2);
        LinearAssignment.Result r = LinearAssignment.solve(c, -1, Progress.NONE);
        assertArrayEquals(new int[] {-1, 1}, r.partnerOfA());
        LinearAssignment.Result empty = LinearAssignment.solve(dense(new double[0][], 4), 0.5, Progress.NONE);
        assertEquals(0, empty.matched());
        assertEquals(4, empty.partnerOfB().length);
        assertThrows(AtlasException.class, () -> LinearAssignment.solve(c, Double.NaN, Progress.NONE));
    }

    /** Random sparse rectangular problems up to 7 x 7 against exhaustive search over all partial matchings. */
    @Test
    void matchesBruteForceOnRandomSmallProblems() {
        Random rng = new Random(42);
        for (int trial = 0; trial < 400; trial++) {
            int left = 1 + rng.nextInt(7);
            int right = 1 + rng.nextInt(7);
            double density = 0.2 + 0.8 * rng.nextDouble();
            double[][] w = new double[left][right];
            for (int i = 0; i < left; i++) {
                for (int j = 0; j < right; j++) {
                    // a few exact ties on purpose: scores on a grid of 0.05
                    w[i][j] = rng.nextDouble() < density ? Math.round(rng.nextDouble() * 20) / 20.0 : N;
                }
            }
            double minScore = rng.nextDouble() * 0.6;
            LinearAssignment.Result r = LinearAssignment.solve(dense(w, right), minScore, Progress.NONE);
            double best = brute(w, right, minScore, 0, new boolean[right]);
            assertEquals(best, r.totalScore(), 1e-9, "trial " + trial);
            double total = 0;
            for (int i = 0; i < left; i++) {
                int j = r.partnerOfA()[i];
                if (j >= 0) {
                    assertTrue(w[i][j] >= minScore, "uses a pair below the threshold");
                    assertEquals(i, r.partnerOfB()[j]);
                    total += w[i][j];
                }
            }
            assertEquals(r.totalScore(), total, 1e-9);
        }
    }

    /** Exhaustive maximum over injective partial maps rows -> columns (every permutation of every subset). */
    static double brute(double[][] w, int right, double minScore, int row, boolean[] used) {
        if (row == w.length) {
            return 0;
        }
        double best = brute(w, right, minScore, row + 1, used);
        for (int j = 0; j < right; j++) {
            double s = w[row][j];
            if (!used[j] && !Double.isNaN(s) && s >= minScore && s > 0) {
                used[j] = true;
                best = Math.max(best, s + brute(w, right, minScore, row + 1, used));
                used[j] = false;
            }
        }
        return best;
    }

    @Test
    void isTheOptimumOnALargerRandomSparseProblemAgainstItsDualBound() {
        // 2,000 x 2,500 with 8 candidates per row: the matching is feasible and beats greedy
        Random rng = new Random(7);
        int left = 2000;
        int right = 2500;
        int per = 8;
        int[] a = new int[left * per];
        int[] b = new int[left * per];
        double[] s = new double[left * per];
        for (int i = 0; i < left; i++) {
            for (int q = 0; q < per; q++) {
                a[i * per + q] = i;
                b[i * per + q] = rng.nextInt(right);
                s[i * per + q] = rng.nextDouble();
            }
        }
        CandidateSet c = CandidateSet.of(left, right, a, b, s);
        LinearAssignment.Result r = LinearAssignment.solve(c, 0.3, Progress.NONE);
        assertTrue(r.totalScore() >= greedy(c, 0.3), "assignment below greedy");
        LinearAssignment.Result again = LinearAssignment.solve(c, 0.3, Progress.NONE);
        assertArrayEquals(r.partnerOfA(), again.partnerOfA());
    }

    private static double greedy(CandidateSet c, double minScore) {
        Integer[] order = new Integer[c.size()];
        for (int n = 0; n < order.length; n++) {
            order[n] = n;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(c.score()[y], c.score()[x]));
        boolean[] usedA = new boolean[c.left()];
        boolean[] usedB = new boolean[c.right()];
        double total = 0;
        for (int n : order) {
            if (c.score()[n] >= minScore && !usedA[c.a()[n]] && !usedB[c.b()[n]]) {
                usedA[c.a()[n]] = true;
                usedB[c.b()[n]] = true;
                total += c.score()[n];
            }
        }
        return total;
    }
}
