package org.saeatlas.ingest.formats;

import java.io.IOException;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.errors.InputException;

/** Builds the one message shape every reader uses: "file: field: expected X, found Y". */
final class FormatError {
    private FormatError() {
    }

    static AtlasException of(Object file, String field, String expected, Object found) {
        return new InputException(file + ": " + field + ": expected " + expected + ", found " + found);
    }

    static AtlasException io(Object file, String doing, IOException e) {
        return new InputException(file + ": could not " + doing + " (" + e.getClass().getSimpleName() + ": "
                + e.getMessage() + "); check that the file exists, is readable and is complete", e);
    }
}
