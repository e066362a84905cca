package org.saeatlas.archfixture.ingest.db;

import org.saeatlas.archfixture.ingest.formats.Reader;

/** Bad on purpose (ArchitectureTest): the database layer, which the server stands on, using a file reader. */
public final class Schema {
    public Object read() {
        return new Reader();
    }
}
