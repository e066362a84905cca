package org.saeatlas.ingest.atlas;

import java.nio.file.Path;
import org.saeatlas.errors.InputException;

/**
 * An atlas file refused before any work starts: names the file, the line and the key (its path from the root,
 * e.g. {@code models[0].saes[1].width}), and what was expected.
 */
public final class AtlasFileError extends InputException {

    private final Path file;
    private final int line;
    private final String key;

    public AtlasFileError(Path file, int line, String key, String message) {
        super(file + (line > 0 ? ":" + line : "") + (key == null || key.isEmpty() ? "" : ": " + key) + ": " + message);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    public Path file() {
        return file;
    }

    /** 1-based line, 0 when unknown. */
    public int line() {
        return line;
    }

    public String key() {
        return key;
    }
}
