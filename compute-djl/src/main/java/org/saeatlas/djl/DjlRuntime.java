package org.saeatlas.djl;

import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Loads DJL's PyTorch engine offline. The native library (libtorch, ~450 MB unpacked) and DJL's JNI glue are jars
 * from Maven Central resolved at build time ({@code pytorch-native-cpu:linux-x86_64}, {@code pytorch-jni}); DJL
 * unpacks them on first use into its engine cache, {@code <ENGINE_CACHE_DIR>/pytorch/<version>-cpu-<os>}, and
 * reuses them afterwards. DJL reads {@code ENGINE_CACHE_DIR}, then {@code DJL_CACHE_DIR} (each an environment
 * variable first, then a system property) and otherwise writes to {@code ~/.djl.ai}; {@link #load} points the
 * system property at the folder it is given unless the user set one of those, so the cache lives under the atlas
 * data folder and not in the home folder. {@code ai.djl.offline=true} is set before the engine loads, so DJL never
 * tries the network: when the library is not on the classpath (another OS) loading fails instead of downloading.
 */
public final class DjlRuntime {

    public static final String ENGINE = "PyTorch";
    static final String CACHE_PROPERTY = "ENGINE_CACHE_DIR";

    private DjlRuntime() {
    }

    /**
     * The PyTorch engine, or empty (after one line to {@code warn}) when it cannot load here.
     *
     * @param cacheDir where DJL unpacks the native library unless {@code ENGINE_CACHE_DIR}/{@code DJL_CACHE_DIR}
     *                 is already set
     * @param threads  intra-op threads for PyTorch (its default: one per core); 0 leaves PyTorch's default
     */
    public static synchronized Optional<Engine> load(Path cacheDir, int threads, Consumer<String> warn) {
        System.setProperty("ai.djl.offline", "true");
        if (!isSet(CACHE_PROPERTY) && !isSet("DJL_CACHE_DIR")) {
            System.setProperty(CACHE_PROPERTY, cacheDir.toAbsolutePath().toString());
        }
        if (threads > 0 && !isSet("ai.djl.pytorch.num_threads")) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        try {
            return Optional.of(Engine.getEngine(ENGINE));
        } catch (RuntimeException | LinkageError e) {
            warn.accept("warning: the DJL PyTorch engine could not load here (" + firstLine(e)
                    + "); computing in Java instead");
            return Optional.empty();
        }
    }

    /** Where DJL unpacks (or has unpacked) its native libraries, as it will resolve it now. */
    public static Path cacheDir() {
        return ai.djl.util.Utils.getEngineCacheDir();
    }

    private static boolean isSet(String name) {
        String env = System.getenv(name);
        String prop = System.getProperty(name);
        return (env != null && !env.isEmpty()) || (prop != null && !prop.isEmpty());
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getClass().getSimpleName() + ": " + root.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
