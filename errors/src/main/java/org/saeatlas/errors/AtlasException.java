package org.saeatlas.errors;

/**
 * The one unchecked exception family of the atlas, seen by every module. Messages say what was expected, what was
 * found and, where it helps, how to fix it: "activations have 4096 columns but the SAE declares d_sae=16384".
 * <p>
 * Its {@link #category} says whose move it is, and is all that the edges map: the command line to an exit code, the
 * GraphQL API to an error classification. A plain {@code AtlasException} is {@link Category#INPUT}; the subtypes
 * {@link InputException}, {@link StateException} and {@link DatabaseException} name the category where it matters.
 */
public class AtlasException extends RuntimeException {

    /** Whose move it is. */
    public enum Category {
        /** What the user gave is wrong (a file, an option, a query argument): fix it and ask again. */
        INPUT,
        /** The atlas is not in a state that allows it (missing or incomplete run, a lock): act on the atlas first. */
        STATE,
        /** The database failed or is away: nothing the request could have done differently; retry or check it. */
        DATABASE
    }

    public AtlasException(String message) {
        super(message);
    }

    public AtlasException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@link Category#INPUT} unless a subtype says otherwise. */
    public Category category() {
        return Category.INPUT;
    }
}
