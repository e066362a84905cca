package org.saeatlas.compute;

/**
 * The one unchecked exception family of the atlas. Messages say what was expected, what was found and, where it
 * helps, how to fix it: "activations have 4096 columns but the SAE declares d_sae=16384".
 */
public class AtlasException extends RuntimeException {
    public AtlasException(String message) {
        super(message);
    }

    public AtlasException(String message, Throwable cause) {
        super(message, cause);
    }
}
