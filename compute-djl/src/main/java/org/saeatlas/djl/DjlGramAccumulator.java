package org.saeatlas.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import org.saeatlas.compute.darkmatter.GramAccumulator;

/**
 * {@code sum A^T B} on DJL's PyTorch engine: one matmul ({@code [d, rows] x [rows, d]}, BLAS on the CPU) a batch,
 * float64 for double inputs, float32 for float ones ({@link #addFloat}: the error statistics' blocks of 2,048 tokens),
 * added to a {@code d x d} float64 sum that stays on the device until {@link #sum}. Native memory: the sum plus one
 * batch.
 */
final class DjlGramAccumulator implements GramAccumulator {

    private final NDManager manager;
    private final NDArray sum;
    private final int d;
    private final String name;

    DjlGramAccumulator(Engine engine, Device device, int d, String name) {
        this.manager = engine.newBaseManager(device);
        this.d = d;
        this.sum = manager.zeros(new Shape(d, d), ai.djl.ndarray.types.DataType.FLOAT64);
        this.name = name;
    }

    @Override
    public void add(double[] a, double[] b, int rows, boolean symmetric) {
        if (rows == 0) {
            return;
        }
        try (NDManager batch = manager.newSubManager()) {
            // the first rows * d values, copied once into native memory (callers reuse longer buffers)
            NDArray x = batch.create(DoubleBuffer.wrap(a, 0, rows * d), new Shape(rows, d),
                    ai.djl.ndarray.types.DataType.FLOAT64);
            NDArray y = symmetric && a == b ? x : batch.create(DoubleBuffer.wrap(b, 0, rows * d),
                    new Shape(rows, d), ai.djl.ndarray.types.DataType.FLOAT64);
            sum.addi(x.transpose().matMul(y));
        }
    }

    /** Float inputs: one float32 matmul (twice the vector lanes of float64), converted and added to the sum. */
    @Override
    public void addFloat(float[] a, float[] b, int rows, boolean symmetric) {
        if (rows == 0) {
            return;
        }
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.create(java.nio.FloatBuffer.wrap(a, 0, rows * d), new Shape(rows, d),
                    ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray y = a == b ? x : batch.create(java.nio.FloatBuffer.wrap(b, 0, rows * d), new Shape(rows, d),
                    ai.djl.ndarray.types.DataType.FLOAT32);
            sum.addi(x.transpose().matMul(y).toType(ai.djl.ndarray.types.DataType.FLOAT64, false));
        }
    }

    @Override
    public double[] sum() {
        double[] out = new double[d * d];
        DoubleBuffer buf = sum.toByteBuffer().order(ByteOrder.nativeOrder()).asDoubleBuffer();
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
