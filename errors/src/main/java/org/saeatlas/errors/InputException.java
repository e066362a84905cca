package org.saeatlas.errors;

/** What the user gave is wrong: a file, an option, a query argument (names it, and what was expected). */
public class InputException extends AtlasException {

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public final Category category() {
        return Category.INPUT;
    }
}
