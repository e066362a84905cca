package org.saeatlas.cli;

import java.util.function.Supplier;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.sae.CosineTopK;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.ResidualEncoder;
import org.saeatlas.compute.sae.SaeWeights;

/** A compute engine opened on first use: a build with nothing to compute never loads the native library. */
final class LazyEngine implements ComputeEngine {

    private final Supplier<ComputeEngine> open;
    private ComputeEngine engine;

    LazyEngine(Supplier<ComputeEngine> open) {
        this.open = open;
    }

    private synchronized ComputeEngine engine() {
        if (engine == null) {
            engine = open.get();
        }
        return engine;
    }

    @Override
    public String name() {
        return engine().name();
    }

    @Override
    public ResidualEncoder encoder(SaeWeights sae, EncodeParameters params) {
        return engine().encoder(sae, params);
    }

    @Override
    public CosineTopK cosine() {
        return engine().cosine();
    }

    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.close();
        }
    }
}
