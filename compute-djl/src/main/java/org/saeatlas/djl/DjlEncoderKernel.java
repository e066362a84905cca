package org.saeatlas.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.saeatlas.compute.sae.EncoderKernel;
import org.saeatlas.compute.sae.SaeWeights;

/**
 * {@code z = xc W_enc} for a batch as one PyTorch matmul ({@code [rows, d_in] x [d_in, d_sae]}, BLAS/oneDNN on the
 * CPU, cuBLAS on a GPU). W_enc is copied to the device once per encode; each batch's input and output live in a
 * sub-manager closed after the batch, so native memory stays at W_enc plus one batch.
 */
final class DjlEncoderKernel implements EncoderKernel {

    private final NDManager manager;
    private final NDArray wEnc;
    private final int dIn;
    private final int dSae;
    private final String name;

    DjlEncoderKernel(Engine engine, Device device, SaeWeights sae, String name) {
        this.manager = engine.newBaseManager(device);
        this.dIn = sae.dIn();
        this.dSae = sae.dSae();
        this.wEnc = manager.create(sae.wEnc(), new Shape(dIn, dSae));
        this.name = name;
    }

    @Override
    public void preActivations(float[] xc, int rows, float[][] z) {
        try (NDManager batch = manager.newSubManager()) {
            float[] in = xc.length == rows * dIn ? xc : java.util.Arrays.copyOf(xc, rows * dIn);
            NDArray x = batch.create(in, new Shape(rows, dIn));
            FloatBuffer out = x.matMul(wEnc).toByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int t = 0; t < rows; t++) {
                out.get(z[t], 0, dSae);
            }
        }
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
