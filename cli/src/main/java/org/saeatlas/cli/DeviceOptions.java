package org.saeatlas.cli;

import java.nio.file.Path;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.djl.EngineChoice;
import org.saeatlas.djl.Engines;
import picocli.CommandLine.Option;

/** {@code --device}: where SAE encoding and decoder cosine run (DJL's PyTorch engine by default, or Java). */
public class DeviceOptions {

    @Option(names = "--device", paramLabel = "auto|cpu|gpu|java", converter = Converters.Device.class, defaultValue = "${env:ATLAS_DEVICE:-auto}",
            description = "Where SAE encoding and decoder cosine top-k run: auto (DJL's PyTorch engine, on a GPU when"
                    + " one is visible, else the CPU), cpu (DJL on the CPU), gpu (DJL on the first GPU; the CPU"
                    + " with a warning when there is none: this build bundles the CPU library), java (the pure-Java"
                    + " engine, slower, the reference). When DJL cannot load here (e.g. another OS), Java is used"
                    + " with a one-line warning. DJL unpacks its native library under --data/djl-cache unless"
                    + " ENGINE_CACHE_DIR is set; nothing is downloaded (default: ${DEFAULT-VALUE}; env ATLAS_DEVICE).")
    String device;

    /** The engine the user chose, its native cache under {@code data}. */
    ComputeEngine engine(Path data, int threads) {
        ComputeEngine engine = Engines.select(EngineChoice.parse(device), data.resolve("djl-cache"), threads,
                System.out::println);
        System.out.println("compute engine: " + engine.name());
        return engine;
    }
}
