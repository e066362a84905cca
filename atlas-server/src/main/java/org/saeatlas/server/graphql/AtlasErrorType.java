package org.saeatlas.server.graphql;

import graphql.ErrorClassification;
import org.saeatlas.errors.AtlasException;

/**
 * The classification ({@code errors[].extensions.classification}) of an error raised while fetching: from the
 * category of the atlas's error, so a client can tell a request to fix from an atlas to complete from a database to
 * wait for. Validation errors keep graphql-java's {@code ValidationError}.
 */
enum AtlasErrorType implements ErrorClassification {
    /** An argument is wrong (unknown id, out-of-range {@code first}, ...): the message says what was expected. */
    BadInput,
    /** The atlas does not hold it in a usable state (a run still loading or incomplete). */
    AtlasState,
    /** The database failed or is unavailable: retry. */
    DatabaseError,
    /** A bug: the message names only the exception's class; the server's log has the rest. */
    InternalError;

    static AtlasErrorType of(Throwable e) {
        if (e instanceof AtlasException a) {
            return switch (a.category()) {
                case INPUT -> BadInput;
                case STATE -> AtlasState;
                case DATABASE -> DatabaseError;
            };
        }
        return e instanceof IllegalArgumentException ? BadInput : InternalError;
    }
}
