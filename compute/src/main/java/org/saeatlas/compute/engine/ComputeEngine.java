package org.saeatlas.compute.engine;

import org.saeatlas.compute.sae.CosineTopK;
import org.saeatlas.compute.sae.DecoderCosine;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.ResidualEncoder;
import org.saeatlas.compute.sae.SaeEncoder;
import org.saeatlas.compute.sae.SaeWeights;

/**
 * Where the dense linear algebra of the atlas runs: SAE encoding ({@code X W_enc}) and decoder cosine top-k
 * ({@code U_A U_B^T}). {@link #java} is the pure-Java engine, always available and the reference in tests; the
 * {@code compute-djl} module supplies a native one (DJL's PyTorch engine). Results agree up to float rounding.
 * An engine may hold native resources: close it when done.
 */
public interface ComputeEngine extends AutoCloseable {

    /** A short name for messages and provenance: "java", "djl-cpu", "djl-gpu". */
    String name();

    /** An encoder for {@code sae}. */
    ResidualEncoder encoder(SaeWeights sae, EncodeParameters params);

    /** Decoder cosine top-k. */
    CosineTopK cosine();

    /**
     * Accumulators of {@code d x d} products for the SAE error statistics; null (the default): plain Java.
     */
    default org.saeatlas.compute.darkmatter.GramAccumulator.Factory gram() {
        return null;
    }

    /**
     * The nonlinear baseline of the connection runs (a one-hidden-layer MLP with {@code hidden} units trained for
     * {@code epochs}) on this engine: the pure-Java {@code MlpBaseline} by default; DJL's engine trains it with
     * PyTorch (same model and training, seeded).
     */
    default org.saeatlas.compute.connections.NonlinearBaseline mlp(int hidden, int epochs) {
        return new org.saeatlas.compute.connections.MlpBaseline(hidden, epochs);
    }

    @Override
    default void close() {
    }

    /** The pure-Java engine on {@code threads} workers. */
    static ComputeEngine java(int threads) {
        CosineTopK cosine = DecoderCosine.inJava(threads);
        return new ComputeEngine() {
            @Override
            public String name() {
                return "java";
            }

            @Override
            public ResidualEncoder encoder(SaeWeights sae, EncodeParameters params) {
                return new SaeEncoder(sae, params);
            }

            @Override
            public CosineTopK cosine() {
                return cosine;
            }
        };
    }
}
