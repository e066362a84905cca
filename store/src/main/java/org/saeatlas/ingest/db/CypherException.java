package org.saeatlas.ingest.db;

import org.saeatlas.errors.DatabaseException;

/**
 * A Cypher call that failed, classified the same way on both paths: the database is away ({@link Kind#UNAVAILABLE}:
 * retry later), the statement is wrong or not allowed ({@link Kind#CLIENT}: the message says why), a conflict that a
 * retry may clear ({@link Kind#TRANSIENT}), or a fault inside the database ({@link Kind#DATABASE}).
 */
public final class CypherException extends DatabaseException {

    /** What kind of failure. */
    public enum Kind { UNAVAILABLE, CLIENT, TRANSIENT, DATABASE }

    private final Kind kind;
    private final String code;

    CypherException(Kind kind, String code, String message, Throwable cause) {
        super(kind == Kind.UNAVAILABLE
                ? "the atlas database is unavailable right now (" + message + "); retry shortly" : message, cause);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    /** Neo4j's status code, e.g. {@code Neo.ClientError.Statement.SyntaxError}; null when there is none. */
    public String code() {
        return code;
    }

    /** The kind a Neo4j status code stands for. */
    static Kind kindOf(String code) {
        if (code == null) {
            return Kind.DATABASE;
        }
        if (code.equals("Neo.TransientError.General.DatabaseUnavailable")) {
            return Kind.UNAVAILABLE;
        }
        if (code.startsWith("Neo.ClientError.")) {
            return Kind.CLIENT;
        }
        return code.startsWith("Neo.TransientError.") ? Kind.TRANSIENT : Kind.DATABASE;
    }
}
