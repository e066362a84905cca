package org.saeatlas.errors;

/** The database failed or is unavailable; the message says what Neo4j reported. */
public class DatabaseException extends AtlasException {

    public DatabaseException(String message) {
        super(message);
    }

    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public final Category category() {
        return Category.DATABASE;
    }
}
