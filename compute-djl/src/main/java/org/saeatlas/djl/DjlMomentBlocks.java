package org.saeatlas.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.saeatlas.compute.darkmatter.MomentBlocks;

/**
 * One side's {@code sum X^T X} (lower triangle) and {@code sum X^T E} on DJL's PyTorch engine, fused and without the
 * upper triangle: the columns of X are cut into {@code p} parts {@code X_0 .. X_p-1} (boundaries {@code c_j}), and a
 * block adds one matmul {@code X^T [X_0 | E]} (the first part's columns of {@code X^T X} and all of {@code X^T E})
 * and, for each later part, {@code X[:, c_j:]^T X_j} (its columns from the diagonal down). With {@code p = 4}:
 * {@code (1 + 5/8) d^2} multiply-adds a token instead of the {@code 2 d^2} of two whole products (p = 2: 1.75).
 * Float blocks multiply in float32 and are added to float64 sums kept on the device until read (PyTorch adds the
 * float32 product into the float64 sum in place, converting on the fly); double blocks in float64. Native memory:
 * the sums (at most {@code 8 d (2 d)} bytes) plus one block.
 */
final class DjlMomentBlocks implements MomentBlocks {

    private final NDManager manager;
    private final int d;
    /** Column boundaries: part j is columns [cut[j], cut[j + 1]). */
    private final int[] cut;
    /** parts[0]: d x (w_0 + d); parts[j]: (d - cut[j]) x w_j. */
    private final NDArray[] parts;
    private final String name;

    DjlMomentBlocks(Engine engine, Device device, int d, int p, String name) {
        if (p < 1 || p > d) {
            throw new IllegalArgumentException("fused moment blocks need 1 <= parts <= d, found " + p + " for d=" + d);
        }
        this.manager = engine.newBaseManager(device);
        this.d = d;
        this.name = name;
        this.cut = new int[p + 1];
        for (int j = 0; j <= p; j++) {
            cut[j] = (int) ((long) d * j / p);
        }
        this.parts = new NDArray[p];
        try {
            parts[0] = manager.zeros(new Shape(d, cut[1] + d), DataType.FLOAT64);
            for (int j = 1; j < p; j++) {
                parts[j] = manager.zeros(new Shape(d - cut[j], cut[j + 1] - cut[j]), DataType.FLOAT64);
            }
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    @Override
    public void add(float[] x, float[] e, int rows) {
        if (rows == 0) {
            return;
        }
        try (NDManager batch = manager.newSubManager()) {
            NDArray xs = batch.create(FloatBuffer.wrap(x, 0, rows * d), new Shape(rows, d), DataType.FLOAT32);
            NDArray es = batch.create(FloatBuffer.wrap(e, 0, rows * d), new Shape(rows, d), DataType.FLOAT32);
            accumulate(xs, es);
        }
    }

    @Override
    public void addDouble(double[] x, double[] e, int rows) {
        if (rows == 0) {
            return;
        }
        try (NDManager batch = manager.newSubManager()) {
            NDArray xs = batch.create(DoubleBuffer.wrap(x, 0, rows * d), new Shape(rows, d), DataType.FLOAT64);
            NDArray es = batch.create(DoubleBuffer.wrap(e, 0, rows * d), new Shape(rows, d), DataType.FLOAT64);
            accumulate(xs, es);
        }
    }

    private void accumulate(NDArray xs, NDArray es) {
        NDArray right = xs.get(new NDIndex(":, :{}", cut[1])).concat(es, 1);
        parts[0].addi(xs.transpose().matMul(right));
        for (int j = 1; j < parts.length; j++) {
            NDArray rowsFrom = xs.get(new NDIndex(":, {}:", cut[j]));
            NDArray cols = xs.get(new NDIndex(":, {}:{}", cut[j], cut[j + 1]));
            parts[j].addi(rowsFrom.transpose().matMul(cols));
        }
    }

    @Override
    public double[] xx() {
        double[] out = new double[d * d];
        for (int j = 0; j < parts.length; j++) {
            int w = j == 0 ? cut[1] + d : cut[j + 1] - cut[j];
            double[] v = read(parts[j], (d - cut[j]) * w);
            for (int i = cut[j]; i < d; i++) {
                // row i of part j: columns cut[j] .. min(i, cut[j+1] - 1)
                System.arraycopy(v, (i - cut[j]) * w, out, i * d + cut[j], Math.min(i + 1, cut[j + 1]) - cut[j]);
            }
        }
        return out;
    }

    @Override
    public double[] xe() {
        int w = cut[1] + d;
        double[] v = read(parts[0], d * w);
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(v, i * w + cut[1], out, i * d, d);
        }
        return out;
    }

    private static double[] read(NDArray a, int n) {
        double[] out = new double[n];
        DoubleBuffer buf = a.toByteBuffer().order(ByteOrder.nativeOrder()).asDoubleBuffer();
        buf.get(out);
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        manager.close();
    }
}
