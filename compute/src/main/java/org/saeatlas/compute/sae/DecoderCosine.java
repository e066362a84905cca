package org.saeatlas.compute.sae;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.saeatlas.compute.AtlasException;
import org.saeatlas.compute.Progress;

/**
 * Cosine similarity between SAE decoder directions (rows of {@code W_dec [p, d]}): for every feature its top-k
 * neighbours within one decoder, or in a second decoder (another seed, width or layer, the raw material for
 * feature matching), and the cosine of given pairs.
 *
 * <p>Method: rows are normalised once to unit length (a zero row has cosine 0 with everything); then the Gram
 * matrix {@code U_A U_B^T} is formed block by block ({@code blockSize} query rows x {@code blockSize} candidate rows)
 * and each block is folded into a per-row top-k list before the next, so memory is O((pA + pB) d + blockSize^2 +
 * pA k) and the p x p matrix never exists. Cost O(pA pB d) multiply-adds. Query row blocks run in parallel; each row's
 * result depends only on its own dot products, taken in a fixed order, so the output is identical at any thread
 * count. Cosines are cosines of float32 unit vectors, accumulated in float32 with four partial sums (|error| ~
 * 1e-6 for d in the thousands).
 */
public final class DecoderCosine {

    /**
     * @param k         neighbours per feature (10 in the atlas)
     * @param blockSize rows per block of the blocked product (e.g. 256)
     * @param threads   workers (1 = calling thread's pool of one)
     */
    public record Parameters(int k, int blockSize, int threads) {
        public Parameters {
            if (k < 1 || blockSize < 1 || threads < 1) {
                throw new AtlasException("decoder cosine: k, blockSize and threads must be >= 1, found k=" + k
                        + ", blockSize=" + blockSize + ", threads=" + threads);
            }
        }

        public static Parameters defaults(int k) {
            return new Parameters(k, 256, Runtime.getRuntime().availableProcessors());
        }
    }

    private DecoderCosine() {
    }

    /** Top-k neighbours of every feature among the other features of the same decoder (itself excluded). */
    public static CosineNeighbours within(float[] wDec, int p, int d, Parameters params, Progress progress) {
        float[] u = unitRows(wDec, p, d, "W_dec");
        return topK(u, p, u, p, d, true, params, progress);
    }

    /** Top-k neighbours in decoder B ({@code pB x d}) of every feature of decoder A ({@code pA x d}). */
    public static CosineNeighbours across(float[] wDecA, int pA, float[] wDecB, int pB, int d, Parameters params,
            Progress progress) {
        float[] ua = unitRows(wDecA, pA, d, "W_dec A");
        float[] ub = unitRows(wDecB, pB, d, "W_dec B");
        return topK(ua, pA, ub, pB, d, false, params, progress);
    }

    /** The cosine of each pair (i[n], j[n]) of rows of one decoder; 0 when either row is zero. */
    public static float[] pairs(float[] wDec, int p, int d, int[] i, int[] j) {
        return pairs(wDec, p, wDec, p, d, i, j);
    }

    /** The cosine of row i[n] of decoder A with row j[n] of decoder B. */
    public static float[] pairs(float[] wDecA, int pA, float[] wDecB, int pB, int d, int[] i, int[] j) {
        checkShape(wDecA, pA, d, "W_dec A");
        checkShape(wDecB, pB, d, "W_dec B");
        if (i.length != j.length) {
            throw new AtlasException("decoder cosine: " + i.length + " first indices but " + j.length
                    + " second indices; they must pair up");
        }
        float[] out = new float[i.length];
        for (int n = 0; n < i.length; n++) {
            checkIndex(i[n], pA, n, "first");
            checkIndex(j[n], pB, n, "second");
            double dot = 0;
            double na = 0;
            double nb = 0;
            for (int c = 0; c < d; c++) {
                double a = wDecA[i[n] * d + c];
                double b = wDecB[j[n] * d + c];
                dot += a * b;
                na += a * a;
                nb += b * b;
            }
            out[n] = na == 0 || nb == 0 ? 0f : (float) (dot / Math.sqrt(na * nb));
        }
        return out;
    }

    private static CosineNeighbours topK(float[] ua, int pA, float[] ub, int pB, int d, boolean excludeSelf,
            Parameters params, Progress progress) {
        int k = Math.max(0, Math.min(params.k(), excludeSelf ? pB - 1 : pB));
        int[] idx = new int[pA * k];
        float[] cos = new float[pA * k];
        int bs = params.blockSize();
        int blocks = (pA + bs - 1) / bs;
        AtomicLong done = new AtomicLong();
        Runnable work = () -> IntStream.range(0, blocks).parallel().forEach(b -> {
            int from = b * bs;
            int to = Math.min(pA, from + bs);
            queryBlock(ua, from, to, ub, pB, d, excludeSelf, k, bs, idx, cos);
            progress.update("decoder cosine", done.addAndGet(to - from), pA);
        });
        ForkJoinPool pool = new ForkJoinPool(params.threads());
        try {
            pool.submit(work).join();
        } finally {
            pool.shutdown();
        }
        return new CosineNeighbours(pA, k, idx, cos);
    }

    private static void queryBlock(float[] ua, int from, int to, float[] ub, int pB, int d, boolean excludeSelf,
            int k, int bs, int[] idx, float[] cos) {
        int rows = to - from;
        TopK[] best = new TopK[rows];
        for (int r = 0; r < rows; r++) {
            best[r] = new TopK(k);
        }
        float[] block = new float[rows * bs];
        for (int cFrom = 0; cFrom < pB; cFrom += bs) {
            int cTo = Math.min(pB, cFrom + bs);
            int cols = cTo - cFrom;
            for (int r = 0; r < rows; r++) {
                int a = (from + r) * d;
                for (int c = 0; c < cols; c++) {
                    block[r * bs + c] = dot(ua, a, ub, (cFrom + c) * d, d);
                }
            }
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    if (!excludeSelf || cFrom + c != from + r) {
                        best[r].offer(cFrom + c, block[r * bs + c]);
                    }
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            best[r].drainInto(idx, cos, (from + r) * k);
        }
    }

    static float dot(float[] x, int xo, float[] y, int yo, int d) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int c = 0;
        for (; c + 3 < d; c += 4) {
            s0 += x[xo + c] * y[yo + c];
            s1 += x[xo + c + 1] * y[yo + c + 1];
            s2 += x[xo + c + 2] * y[yo + c + 2];
            s3 += x[xo + c + 3] * y[yo + c + 3];
        }
        for (; c < d; c++) {
            s0 += x[xo + c] * y[yo + c];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static float[] unitRows(float[] w, int p, int d, String name) {
        checkShape(w, p, d, name);
        float[] u = new float[w.length];
        for (int r = 0; r < p; r++) {
            double n = 0;
            for (int c = 0; c < d; c++) {
                double v = w[r * d + c];
                if (!Double.isFinite(v)) {
                    throw new AtlasException("decoder cosine: " + name + " row " + r + " column " + c + " is " + v
                            + " (expected a finite number)");
                }
                n += v * v;
            }
            float inv = n == 0 ? 0f : (float) (1 / Math.sqrt(n));
            for (int c = 0; c < d; c++) {
                u[r * d + c] = w[r * d + c] * inv;
            }
        }
        return u;
    }

    private static void checkShape(float[] w, int p, int d, String name) {
        if (p < 0 || d < 1 || w.length != (long) p * d) {
            throw new AtlasException("decoder cosine: " + name + " must hold p x d = " + p + " x " + d + " = "
                    + ((long) p * d) + " values, found " + w.length);
        }
    }

    private static void checkIndex(int f, int p, int n, String which) {
        if (f < 0 || f >= p) {
            throw new AtlasException("decoder cosine: pair " + n + " has " + which + " feature " + f
                    + " (expected an index in [0, " + p + "))");
        }
    }

    /** The k best (index, value) seen so far, kept sorted: higher value first, then smaller index. */
    private static final class TopK {
        private final int[] index;
        private final float[] value;
        private int size;

        TopK(int k) {
            index = new int[k];
            value = new float[k];
        }

        void offer(int i, float v) {
            int k = index.length;
            if (k == 0 || (size == k && !better(i, v, index[k - 1], value[k - 1]))) {
                return;
            }
            int at = size < k ? size++ : k - 1;
            while (at > 0 && better(i, v, index[at - 1], value[at - 1])) {
                index[at] = index[at - 1];
                value[at] = value[at - 1];
                at--;
            }
            index[at] = i;
            value[at] = v;
        }

        private static boolean better(int i, float v, int j, float w) {
            return v > w || (v == w && i < j);
        }

        void drainInto(int[] idx, float[] cos, int offset) {
            System.arraycopy(index, 0, idx, offset, size);
            System.arraycopy(value, 0, cos, offset, size);
        }
    }
}
