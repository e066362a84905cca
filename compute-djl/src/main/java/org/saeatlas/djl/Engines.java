package org.saeatlas.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.engine.ComputeEngine;

/** Turns a {@link EngineChoice} into a {@link ComputeEngine}, falling back to Java when DJL cannot run. */
public final class Engines {

    private Engines() {
    }

    /**
     * The engine for {@code choice}: DJL's PyTorch engine unless {@code java} is chosen or the engine cannot load
     * (then Java, after a one-line {@code warn}).
     *
     * @param cacheDir where DJL unpacks its native library (see {@link DjlRuntime})
     * @param threads  workers for Java and intra-op threads for PyTorch
     */
    public static ComputeEngine select(EngineChoice choice, Path cacheDir, int threads, Consumer<String> warn) {
        if (choice == EngineChoice.JAVA) {
            return ComputeEngine.java(threads);
        }
        Optional<Engine> engine = DjlRuntime.load(cacheDir, threads, warn);
        if (engine.isEmpty()) {
            return ComputeEngine.java(threads);
        }
        return new DjlEngine(engine.get(), device(choice, engine.get(), warn), threads);
    }

    /** DJL only: the engine for {@code cpu}/{@code gpu}/{@code auto}, or an exception when it cannot load. */
    public static DjlEngine djl(EngineChoice choice, Path cacheDir, int threads, Consumer<String> warn) {
        if (choice == EngineChoice.JAVA) {
            throw new AtlasException("DJL engine: 'java' is not a DJL device (expected auto, cpu or gpu)");
        }
        StringBuilder why = new StringBuilder();
        Engine engine = DjlRuntime.load(cacheDir, threads, why::append)
                .orElseThrow(() -> new AtlasException(why.toString()));
        return new DjlEngine(engine, device(choice, engine, warn), threads);
    }

    /** The device for a choice: a GPU only when the engine sees one (never attempted otherwise). */
    static Device device(EngineChoice choice, Engine engine, Consumer<String> warn) {
        int gpus = engine.getGpuCount();
        if (choice == EngineChoice.GPU && gpus == 0) {
            warn.accept("warning: --device gpu, but the DJL PyTorch engine sees no GPU (this build bundles the CPU"
                    + " library); computing on the CPU");
        }
        return gpus > 0 && choice != EngineChoice.CPU ? Device.gpu() : Device.cpu();
    }
}
