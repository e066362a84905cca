package org.saeatlas.djl;

import java.nio.file.Path;

/** The DJL engine the tests share: unpacked once per build under target/, never in the home folder. */
final class TestEngines {
    static final Path CACHE = Path.of("target", "djl-cache");

    private TestEngines() {
    }

    static DjlEngine cpu() {
        return Engines.djl(EngineChoice.CPU, CACHE, 0, msg -> {
            throw new AssertionError("the DJL engine must load in tests: " + msg);
        });
    }
}
