package org.saeatlas.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The engine loads from the jars on the classpath with offline=true, and unpacks into the folder it was given. */
class DjlRuntimeTest {

    @Test
    void loadsOfflineIntoTheGivenCacheFolder() throws IOException {
        Path cache = TestEngines.CACHE;
        List<String> warnings = new ArrayList<>();
        Engine engine = DjlRuntime.load(cache, 0, warnings::add).orElseThrow(() -> new AssertionError(warnings));
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals(DjlRuntime.ENGINE, engine.getEngineName());
        assertTrue(warnings.isEmpty(), warnings.toString());
        try (NDManager m = engine.newBaseManager()) {
            // [[1, 2], [3, 4]] x [[5], [6]] = [[17], [39]]
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
            NDArray b = m.create(new float[] {5, 6}, new Shape(2, 1));
            assertArrayEquals(new float[] {17, 39}, a.matMul(b).toFloatArray());
        }
        if (System.getenv("ENGINE_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            assertEquals(cache.toAbsolutePath(), DjlRuntime.cacheDir());
            try (Stream<Path> files = Files.walk(cache)) {
                assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("libtorch_cpu")),
                        "libtorch unpacked under " + cache);
            }
        }
    }
}
