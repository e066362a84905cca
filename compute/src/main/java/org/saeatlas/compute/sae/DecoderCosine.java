package org.saeatlas.compute.sae;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.saeatlas.errors.AtlasException;
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
 *
 * <p>{@link #both} reads each block of products twice, by rows for A's lists and by columns for B's, so the two
 * directions that matching needs cost one pass (pA pB d multiply-adds instead of twice that); the dot product is
 * symmetric in its arguments, so the result equals two {@link #across} calls exactly. {@link #inJava} wraps these
 * as the Java {@link CosineTopK}, the reference for faster engines.
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

    /**
     * Each feature of A among B and each feature of B among A, from one pass over the blocks of {@code U_A U_B^T}.
     * Query blocks are split into {@code threads} contiguous runs; each run keeps its own lists for B's features,
     * merged at the end (the top-k order is total, so the merge order does not matter).
     */
    public static CosineTopK.CrossNeighbours both(float[] wDecA, int pA, float[] wDecB, int pB, int d,
            Parameters params, Progress progress) {
        float[] ua = unitRows(wDecA, pA, d, "W_dec A");
        float[] ub = unitRows(wDecB, pB, d, "W_dec B");
        int kA = Math.min(params.k(), pB);
        int kB = Math.min(params.k(), pA);
        int bs = params.blockSize();
        int blocks = (pA + bs - 1) / bs;
        int runs = Math.max(1, Math.min(blocks, params.threads()));
        int[] idxA = new int[pA * kA];
        float[] cosA = new float[pA * kA];
        TopKList[][] partial = new TopKList[runs][];
        AtomicLong done = new AtomicLong();
        ForkJoinPool pool = new ForkJoinPool(params.threads());
        try {
            pool.submit(() -> IntStream.range(0, runs).parallel().forEach(run -> {
                TopKList[] bLists = lists(pB, kB);
                for (int b = run * blocks / runs; b < (run + 1) * blocks / runs; b++) {
                    int from = b * bs;
                    int to = Math.min(pA, from + bs);
                    bothBlock(ua, from, to, ub, pB, d, kA, bs, idxA, cosA, bLists);
                    progress.update("decoder cosine (both ways)", done.addAndGet(to - from), pA);
                }
                partial[run] = bLists;
            })).join();
        } finally {
            pool.shutdown();
        }
        int[] idxB = new int[pB * kB];
        float[] cosB = new float[pB * kB];
        for (int f = 0; f < pB; f++) {
            for (int run = 1; run < runs; run++) {
                partial[0][f].mergeFrom(partial[run][f]);
            }
            partial[0][f].drainInto(idxB, cosB, f * kB);
        }
        return new CosineTopK.CrossNeighbours(new CosineNeighbours(pA, kA, idxA, cosA),
                new CosineNeighbours(pB, kB, idxB, cosB));
    }

    private static TopKList[] lists(int n, int k) {
        TopKList[] l = new TopKList[n];
        for (int i = 0; i < n; i++) {
            l[i] = new TopKList(k);
        }
        return l;
    }

    private static void bothBlock(float[] ua, int from, int to, float[] ub, int pB, int d, int kA, int bs,
            int[] idxA, float[] cosA, TopKList[] bLists) {
        int rows = to - from;
        TopKList[] best = lists(rows, kA);
        for (int cFrom = 0; cFrom < pB; cFrom += bs) {
            int cTo = Math.min(pB, cFrom + bs);
            for (int r = 0; r < rows; r++) {
                int a = (from + r) * d;
                for (int c = cFrom; c < cTo; c++) {
                    float v = dot(ua, a, ub, c * d, d);
                    best[r].offer(c, v);
                    bLists[c].offer(from + r, v);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            best[r].drainInto(idxA, cosA, (from + r) * kA);
        }
    }

    /** The Java engine: {@link #within}, {@link #across} and {@link #both} on {@code threads} workers. */
    public static CosineTopK inJava(int threads) {
        return new CosineTopK() {
            @Override
            public String name() {
                return "java";
            }

            @Override
            public CosineNeighbours within(float[] wDec, int p, int d, int k, Progress progress) {
                return DecoderCosine.within(wDec, p, d, new Parameters(k, 256, threads), progress);
            }

            @Override
            public CosineNeighbours across(float[] wDecA, int pA, float[] wDecB, int pB, int d, int k,
                    Progress progress) {
                return DecoderCosine.across(wDecA, pA, wDecB, pB, d, new Parameters(k, 256, threads), progress);
            }

            @Override
            public CrossNeighbours both(float[] wDecA, int pA, float[] wDecB, int pB, int d, int k,
                    Progress progress) {
                return DecoderCosine.both(wDecA, pA, wDecB, pB, d, new Parameters(k, 256, threads), progress);
            }
        };
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
        TopKList[] best = new TopKList[rows];
        for (int r = 0; r < rows; r++) {
            best[r] = new TopKList(k);
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

    /**
     * Rows scaled to unit length (norms in double, then one float factor per row; a zero row stays zero), the
     * normalisation every engine shares so that only the products differ.
     */
    public static float[] unitRows(float[] w, int p, int d, String name) {
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

    public static void checkShape(float[] w, int p, int d, String name) {
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
}
