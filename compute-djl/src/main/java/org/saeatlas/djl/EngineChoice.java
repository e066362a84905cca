package org.saeatlas.djl;

import java.util.Locale;
import org.saeatlas.errors.AtlasException;

/**
 * The {@code --device} a user asks for: {@code auto} (DJL on a GPU when one is visible, else DJL on the CPU, else
 * Java), {@code cpu} (DJL on the CPU), {@code gpu} (DJL on the first GPU; the CPU when there is none), {@code java}
 * (the pure-Java engine). Whenever DJL cannot load, the choice falls back to Java with a one-line warning.
 */
public enum EngineChoice {
    AUTO, CPU, GPU, JAVA;

    /** Parses {@code auto|cpu|gpu|java}, any case. */
    public static EngineChoice parse(String s) {
        for (EngineChoice c : values()) {
            if (c.name().equalsIgnoreCase(s.trim())) {
                return c;
            }
        }
        throw new AtlasException("--device: expected auto, cpu, gpu or java, found '" + s + "'");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
