package org.saeatlas.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.sae.CosineNeighbours;
import org.saeatlas.compute.sae.CosineTopK;
import org.saeatlas.compute.sae.DecoderCosine;
import org.saeatlas.compute.sae.TopKList;

/**
 * Decoder cosine top-k as blocked PyTorch matmuls. Rows are normalised in Java exactly as {@link DecoderCosine}
 * does ({@link DecoderCosine#unitRows}), uploaded once, and the cosine matrix is formed {@code block x block} at a
 * time ({@code S = U_A[i] U_B[j]^T}, 2 block^2 d flops); PyTorch's {@code topk} reduces each block to the best
 * {@code k+1} per row (A's lists) and, when asked, per column (B's lists) before the block is freed, and Java merges
 * the per-block winners into {@link TopKList}s. Memory: both decoders on the device plus one block (4,096^2 floats =
 * 64 MiB); the p x p matrix never exists.
 *
 * <p>Both directions come from the same blocks ({@link #both}: one pass, pA pB d multiply-adds); within one decoder
 * the matrix is symmetric, so only blocks {@code j >= i} are formed and each serves its rows and its columns
 * (half the products). Self-similarity is pushed to -8 on diagonal blocks and dropped.
 *
 * <p>Ties: the order is the atlas's (higher cosine, then smaller index), whatever order {@code topk} returns ties
 * in. The winners of a block are its k best unless the k-th and (k+1)-th values are equal; then the boundary is
 * ambiguous and that row (or column) of the block is read back whole and ranked in Java. Cosines differ from the
 * Java engine's by float rounding (~1e-6: PyTorch sums in another order), which may reorder near-ties.
 */
final class DjlCosineTopK implements CosineTopK {

    static final int DEFAULT_BLOCK = 4096;
    private static final float SELF = -8f;

    private final Engine engine;
    private final Device device;
    private final String name;
    private final int block;

    DjlCosineTopK(Engine engine, Device device, String name, int block) {
        this.engine = engine;
        this.device = device;
        this.name = name;
        this.block = Math.max(1, block);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CosineNeighbours within(float[] wDec, int p, int d, int k, Progress progress) {
        float[] u = DecoderCosine.unitRows(wDec, p, d, "W_dec");
        int kk = Math.max(0, Math.min(k, p - 1));
        TopKList[] lists = lists(p, kk);
        int blocks = (p + block - 1) / block;
        long total = (long) blocks * (blocks + 1) / 2;
        long done = 0;
        try (NDManager m = engine.newBaseManager(device)) {
            NDArray all = m.create(u, new Shape(p, d));
            for (int i = 0; i < blocks; i++) {
                for (int j = i; j < blocks; j++) {
                    pass(all, i * block, Math.min(p, i * block + block), all, j * block,
                            Math.min(p, j * block + block), lists, j != i ? lists : null, i == j, kk);
                    progress.update("decoder cosine (" + name + ")", ++done, total);
                }
            }
        }
        return drain(lists, kk);
    }

    @Override
    public CosineNeighbours across(float[] wDecA, int pA, float[] wDecB, int pB, int d, int k, Progress progress) {
        return twoSided(wDecA, pA, wDecB, pB, d, k, false, progress).aInB();
    }

    @Override
    public CrossNeighbours both(float[] wDecA, int pA, float[] wDecB, int pB, int d, int k, Progress progress) {
        return twoSided(wDecA, pA, wDecB, pB, d, k, true, progress);
    }

    private CrossNeighbours twoSided(float[] wDecA, int pA, float[] wDecB, int pB, int d, int k, boolean bToo,
            Progress progress) {
        float[] ua = DecoderCosine.unitRows(wDecA, pA, d, "W_dec A");
        float[] ub = DecoderCosine.unitRows(wDecB, pB, d, "W_dec B");
        int kA = Math.max(0, Math.min(k, pB));
        int kB = Math.max(0, Math.min(k, pA));
        TopKList[] aLists = lists(pA, kA);
        TopKList[] bLists = bToo ? lists(pB, kB) : null;
        int rowBlocks = (pA + block - 1) / block;
        int colBlocks = (pB + block - 1) / block;
        long done = 0;
        try (NDManager m = engine.newBaseManager(device)) {
            NDArray a = m.create(ua, new Shape(pA, d));
            NDArray b = m.create(ub, new Shape(pB, d));
            for (int i = 0; i < rowBlocks; i++) {
                for (int j = 0; j < colBlocks; j++) {
                    pass(a, i * block, Math.min(pA, i * block + block), b, j * block,
                            Math.min(pB, j * block + block), aLists, bLists, false, Math.max(kA, kB));
                    progress.update("decoder cosine (" + name + (bToo ? ", both ways)" : ")"), ++done,
                            (long) rowBlocks * colBlocks);
                }
            }
        }
        CosineNeighbours aInB = drain(aLists, kA);
        return new CrossNeighbours(aInB, bToo ? drain(bLists, kB) : null);
    }

    /**
     * One block {@code S = U_A[r0, r1) U_B[c0, c1)^T}: its winners per row into {@code rowLists[r0 ..]} and, when
     * {@code colLists} is given, per column into {@code colLists[c0 ..]}. On a diagonal block (same decoder, same
     * range) self-pairs are excluded.
     */
    private static void pass(NDArray a, int r0, int r1, NDArray b, int c0, int c1, TopKList[] rowLists,
            TopKList[] colLists, boolean diagonal, int k) {
        if (k == 0) {
            return;
        }
        try (NDManager scope = a.getManager().newSubManager()) {
            // operations attach their results to their operand's manager: move the operands into this block's
            // scope first, so the block's products and top-k are freed when it closes
            NDArray rows = a.get(new NDIndex("{}:{}", r0, r1));
            rows.attach(scope);
            NDArray cols = b.get(new NDIndex("{}:{}", c0, c1));
            cols.attach(scope);
            NDArray s = rows.matMul(cols.transpose());
            if (diagonal) {
                s = s.add(scope.eye(r1 - r0).mul(SELF));
            }
            winners(s, 1, r0, c0, rowLists, diagonal, k);
            if (colLists != null) {
                winners(s, 0, c0, r0, colLists, diagonal, k);
            }
        }
    }

    /**
     * Per line of {@code s} along {@code axis} (axis 1: rows, each a query of {@code lists[lineBase + line]} over
     * candidates {@code candBase + position}; axis 0: the same for columns), the best k by the atlas's order.
     */
    private static void winners(NDArray s, int axis, int lineBase, int candBase, TopKList[] lists, boolean diagonal,
            int k) {
        long[] shape = s.getShape().getShape();
        int lines = (int) shape[1 - axis];
        int cands = (int) shape[axis];
        int take = Math.min(k + 1, cands);
        NDList top = s.topK(take, axis, true, true);
        NDArray valuesNd = top.get(0).getDataType() == DataType.FLOAT32 ? top.get(0) : top.get(1);
        NDArray indicesNd = valuesNd == top.get(0) ? top.get(1) : top.get(0);
        // shape [lines, take] for axis 1, [take, lines] for axis 0
        float[] values = valuesNd.toFloatArray();
        long[] indices = indicesNd.toType(DataType.INT64, false).toLongArray();
        int lineStride = axis == 1 ? take : 1;
        int rankStride = axis == 1 ? 1 : lines;
        for (int line = 0; line < lines; line++) {
            int self = diagonal ? line : -1;
            TopKList list = lists[lineBase + line];
            int o = line * lineStride;
            if (take > k && values[o + (k - 1) * rankStride] == values[o + k * rankStride]) {
                // the boundary is a tie: topk may have kept a larger index; rank the whole line here
                float[] all = line(s, axis, line);
                for (int c = 0; c < all.length; c++) {
                    if (c != self) {
                        list.offer(candBase + c, all[c]);
                    }
                }
                continue;
            }
            for (int n = 0; n < Math.min(k, take); n++) {
                int c = (int) indices[o + n * rankStride];
                if (c != self) {
                    list.offer(candBase + c, values[o + n * rankStride]);
                }
            }
        }
    }

    /** Row {@code line} of s (axis 1) or column {@code line} (axis 0), copied contiguous. */
    private static float[] line(NDArray s, int axis, int line) {
        NDArray l = axis == 1 ? s.get(new NDIndex("{}", line)) : s.get(new NDIndex(":, {}", line));
        try (NDArray copy = l.duplicate()) {
            return copy.toFloatArray();
        }
    }

    private static TopKList[] lists(int n, int k) {
        TopKList[] l = new TopKList[n];
        for (int i = 0; i < n; i++) {
            l[i] = new TopKList(k);
        }
        return l;
    }

    private static CosineNeighbours drain(TopKList[] lists, int k) {
        int[] idx = new int[lists.length * k];
        float[] cos = new float[idx.length];
        for (int f = 0; f < lists.length; f++) {
            lists[f].drainInto(idx, cos, f * k);
        }
        return new CosineNeighbours(lists.length, k, idx, cos);
    }
}
