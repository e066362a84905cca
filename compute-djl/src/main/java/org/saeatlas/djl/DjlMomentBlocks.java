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
 * One side's {@code sum X^T X} (lower triangle) and {@code sum X^T E} on DJL's PyTorch engine, fused: with the column
 * halves {@code X_1 = X[:, :h]}, {@code X_2 = X[:, h:]} ({@code h = d / 2}), a block adds one matmul
 * {@code X^T [X_1 | E]} ({@code d x (h + d)}: the first h columns of {@code X^T X} and all of {@code X^T E}) and
 * {@code X_2^T X_2} (the lower-right block), so the upper-right block of the symmetric {@code X^T X} is never formed:
 * {@code 1.75 d^2} multiply-adds a token instead of the {@code 2 d^2} of two whole products, in one larger matmul.
 * Float blocks multiply in float32 and are added to float64 sums kept on the device until read; double blocks in
 * float64. Native memory: the two sums ({@code 8 (d (h + d) + (d - h)^2)} bytes) plus one block.
 */
final class DjlMomentBlocks implements MomentBlocks {

    private final NDManager manager;
    private final NDArray left;
    private final NDArray corner;
    private final int d;
    private final int h;
    private final String name;

    DjlMomentBlocks(Engine engine, Device device, int d, String name) {
        if (d < 2) {
            throw new IllegalArgumentException("fused moment blocks need d >= 2, found " + d);
        }
        this.manager = engine.newBaseManager(device);
        this.d = d;
        this.h = d / 2;
        this.name = name;
        try {
            this.left = manager.zeros(new Shape(d, h + d), DataType.FLOAT64);
            this.corner = manager.zeros(new Shape(d - h, d - h), DataType.FLOAT64);
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
        NDArray right = xs.get(new NDIndex(":, :{}", h)).concat(es, 1);
        left.addi(xs.transpose().matMul(right).toType(DataType.FLOAT64, false));
        NDArray x2 = xs.get(new NDIndex(":, {}:", h));
        corner.addi(x2.transpose().matMul(x2).toType(DataType.FLOAT64, false));
    }

    @Override
    public double[] xx() {
        double[] l = read(left, d * (h + d));
        double[] c = read(corner, (d - h) * (d - h));
        double[] out = new double[d * d];
        int w = h + d;
        for (int i = 0; i < d; i++) {
            System.arraycopy(l, i * w, out, i * d, Math.min(i + 1, h));
        }
        int k = d - h;
        for (int i = h; i < d; i++) {
            System.arraycopy(c, (i - h) * k, out, i * d + h, i - h + 1);
        }
        return out;
    }

    @Override
    public double[] xe() {
        double[] l = read(left, d * (h + d));
        double[] out = new double[d * d];
        int w = h + d;
        for (int i = 0; i < d; i++) {
            System.arraycopy(l, i * w + h, out, i * d, d);
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
