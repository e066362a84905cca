package org.saeatlas.errors;

/** The atlas does not allow it now: a run that is missing, still loading or incomplete, a folder in use. */
public class StateException extends AtlasException {

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public final Category category() {
        return Category.STATE;
    }
}
