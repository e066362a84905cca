package org.saeatlas.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.sae.CosineTopK;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.ResidualEncoder;
import org.saeatlas.compute.sae.SaeEncoder;
import org.saeatlas.compute.sae.SaeWeights;

/**
 * The atlas's dense linear algebra on DJL's PyTorch engine: the encoder's {@code X W_enc} as one batched matmul
 * per batch ({@link DjlEncoderKernel}), decoder cosine top-k as blocked matmuls with per-block top-k
 * ({@link DjlCosineTopK}), the SAE error statistics' moment sums ({@link DjlMomentBlocks}) and their fit
 * ({@link DjlRidgeSolver}). Native memory is owned by the kernels and passes, each closing its own.
 */
public final class DjlEngine implements ComputeEngine {

    /** Column parts of the fused moment products (measured in the README: 4 beats 2 at d_in 2,304). */
    static final int MOMENT_PARTS = 4;

    private final Engine engine;
    private final Device device;
    private final int threads;

    DjlEngine(Engine engine, Device device, int threads) {
        this.engine = engine;
        this.device = device;
        this.threads = Math.max(1, threads);
    }

    @Override
    public String name() {
        return device.isGpu() ? "djl-gpu" : "djl-cpu";
    }

    public Device device() {
        return device;
    }

    @Override
    public ResidualEncoder encoder(SaeWeights sae, EncodeParameters params) {
        return new SaeEncoder(sae, params.withThreads(Math.min(params.threads(), threads)), name(),
                w -> new DjlEncoderKernel(engine, device, w, name()));
    }

    @Override
    public org.saeatlas.compute.darkmatter.GramAccumulator.Factory gram() {
        String name = name();
        return new org.saeatlas.compute.darkmatter.GramAccumulator.Factory() {
            @Override
            public org.saeatlas.compute.darkmatter.GramAccumulator create(int d) {
                return new DjlGramAccumulator(engine, device, d, name);
            }

            /** Fused, without the upper triangle of {@code X^T X} ({@link DjlMomentBlocks}, four parts). */
            @Override
            public org.saeatlas.compute.darkmatter.MomentBlocks moments(int d) {
                return new DjlMomentBlocks(engine, device, d, Math.min(MOMENT_PARTS, d), name);
            }

            /** PyTorch's float64 inverse and matmuls ({@link DjlRidgeSolver}), Java when they fail. */
            @Override
            public org.saeatlas.compute.darkmatter.RidgeSolver solver() {
                return new DjlRidgeSolver(engine, device);
            }
        };
    }

    @Override
    public CosineTopK cosine() {
        return new DjlCosineTopK(engine, device, name(), DjlCosineTopK.DEFAULT_BLOCK);
    }

    /** Decoder cosine with {@code block} rows per side of each product block (tests use small blocks). */
    public CosineTopK cosine(int block) {
        return new DjlCosineTopK(engine, device, name(), block);
    }

    /** The connection runs' nonlinear baseline trained with this engine (PyTorch autograd). */
    @Override
    public org.saeatlas.compute.connections.NonlinearBaseline mlp(int hidden, int epochs) {
        return new DjlMlpBaseline(engine, device, hidden, epochs);
    }
}
