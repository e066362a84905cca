package org.saeatlas.compute.matching;

import java.util.Arrays;
import org.saeatlas.compute.heap.MinHeap;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;

/**
 * Maximum-weight one-to-one matching of SAE A's features to SAE B's on a sparse candidate set: among all matchings
 * that use only candidate pairs with {@code score >= minScore}, one with the largest total score. Features whose
 * candidates are all weaker stay unmatched; a pair with score &lt;= 0 can never raise the total and is never used.
 *
 * <p>Method: the shortest augmenting path algorithm for rectangular assignment (Jonker &amp; Volgenant 1987, in the
 * form of Crouse 2016, "On implementing 2D rectangular assignment algorithms", IEEE TAES 52(4), the algorithm behind
 * SciPy's {@code linear_sum_assignment}) run on the sparse candidate graph with Dijkstra and a binary heap. Leaving a
 * feature unmatched is modelled by a private zero-cost column per A feature, so the problem is a rectangular
 * assignment of the {@code pA} rows into {@code pB + pA} columns with cost {@code -score} on candidate pairs and
 * every row feasible; the optimum of that problem is exactly a maximum-weight matching of the candidate graph. Rows
 * are added in index order; each adds one shortest augmenting path in reduced costs {@code c_ij - u_i - v_j} and
 * updates the duals so they stay feasible; Dijkstra stops as soon as it reaches a free column, so each search only
 * explores the columns cheaper than its augmenting path.
 *
 * <p>Cost: O(pA (E' log E')) in the worst case for E' the candidates explored by one search; on decoder-cosine
 * candidates (top-k per feature, a few strong pairs) a search typically touches O(k) columns, so the total is close
 * to O(E log k). Memory O(pA + pB + E). Exact (no epsilon scaling); deterministic (rows in order, heap ties by
 * column index).
 */
public final class LinearAssignment {

    /** The matching: {@code partnerOfA[i]} (or -1), {@code partnerOfB[j]} (or -1), and the score of each pair. */
    public record Result(int[] partnerOfA, int[] partnerOfB, double[] scoreOfA, double totalScore, int matched) { }

    private LinearAssignment() {
    }

    public static Result solve(CandidateSet candidates, double minScore, Progress progress) {
        if (Double.isNaN(minScore)) {
            throw new AtlasException("assignment: minScore must be a number, found NaN");
        }
        return new Solver(candidates, Math.max(minScore, Double.MIN_VALUE), progress).run();
    }

    private static final class Solver {
        final CandidateSet c;
        final double minScore;
        final Progress progress;
        final int rows;
        final int realCols;
        final int cols;
        final double[] u;
        final double[] v;
        final int[] row4col;
        final int[] col4row;
        final int[] path;
        final double[] spc;
        final int[] reached;
        final int[] scanned;
        final int[] scannedList;
        final int[] rowList;
        final MinHeap heap = new MinHeap();

        Solver(CandidateSet c, double minScore, Progress progress) {
            this.c = c;
            this.minScore = minScore;
            this.progress = progress;
            rows = c.left();
            realCols = c.right();
            cols = realCols + rows;
            u = new double[rows];
            v = new double[cols];
            row4col = new int[cols];
            col4row = new int[rows];
            path = new int[cols];
            spc = new double[cols];
            reached = new int[cols];
            scanned = new int[cols];
            scannedList = new int[cols];
            rowList = new int[rows];
            Arrays.fill(row4col, -1);
            Arrays.fill(col4row, -1);
        }

        Result run() {
            for (int r = 0; r < rows; r++) {
                augment(r, r + 1);
                if ((r & 1023) == 1023 || r == rows - 1) {
                    progress.update("assignment", r + 1, rows);
                }
            }
            int[] partnerOfA = new int[rows];
            int[] partnerOfB = new int[realCols];
            double[] scoreOfA = new double[rows];
            Arrays.fill(partnerOfB, -1);
            double total = 0;
            int matched = 0;
            for (int i = 0; i < rows; i++) {
                int j = col4row[i] < realCols ? col4row[i] : -1;
                partnerOfA[i] = j;
                if (j >= 0) {
                    partnerOfB[j] = i;
                    scoreOfA[i] = score(i, j);
                    total += scoreOfA[i];
                    matched++;
                }
            }
            return new Result(partnerOfA, partnerOfB, scoreOfA, total, matched);
        }

        private double score(int i, int j) {
            int lo = c.rowStart(i);
            int at = Arrays.binarySearch(c.b(), lo, c.rowStart(i + 1), j);
            return c.score()[at];
        }

        /** Adds row {@code cur} by one shortest augmenting path; {@code stamp} marks this search's arrays. */
        private void augment(int cur, int stamp) {
            heap.clear();
            int nScanned = 0;
            int nRows = 0;
            double minVal = 0;
            int i = cur;
            int sink = -1;
            while (sink < 0) {
                rowList[nRows++] = i;
                relaxRow(i, minVal, stamp);
                int j = popUnscanned(stamp);
                minVal = spc[j];
                scanned[j] = stamp;
                scannedList[nScanned++] = j;
                if (row4col[j] < 0) {
                    sink = j;
                } else {
                    i = row4col[j];
                }
            }
            u[cur] += minVal;
            for (int r = 1; r < nRows; r++) {
                int row = rowList[r];
                u[row] += minVal - spc[col4row[row]];
            }
            for (int s = 0; s < nScanned; s++) {
                int j = scannedList[s];
                v[j] -= minVal - spc[j];
            }
            int j = sink;
            while (true) {
                int row = path[j];
                row4col[j] = row;
                int previous = col4row[row];
                col4row[row] = j;
                j = previous;
                if (row == cur) {
                    break;
                }
            }
        }

        private void relaxRow(int i, double minVal, int stamp) {
            for (int x = c.rowStart(i); x < c.rowStart(i + 1); x++) {
                double s = c.score()[x];
                if (s >= minScore) {
                    relax(i, c.b()[x], minVal - s - u[i] - v[c.b()[x]], stamp);
                }
            }
            int dummy = realCols + i;
            relax(i, dummy, minVal - u[i] - v[dummy], stamp);
        }

        private void relax(int i, int j, double r, int stamp) {
            if (scanned[j] == stamp) {
                return;
            }
            if (reached[j] != stamp || r < spc[j]) {
                reached[j] = stamp;
                spc[j] = r;
                path[j] = i;
                heap.push(r, j);
            }
        }

        private int popUnscanned(int stamp) {
            while (!heap.isEmpty()) {
                int j = heap.peekId();
                double key = heap.peekKey();
                heap.pop();
                if (scanned[j] != stamp && key == spc[j]) {
                    return j;
                }
            }
            // cannot happen: the dummy column of the row being added is always reachable and free
            throw new AtlasException("assignment: no augmenting path found; this is a bug, please report it");
        }
    }
}
