package org.saeatlas.archfixture.server;

import org.saeatlas.archfixture.ingest.store.Writer;

/** Bad on purpose (ArchitectureTest): a server class that writes. */
public final class Reads {
    public void read() {
        new Writer().write();
    }
}
