package org.saeatlas.archfixture.ingest.store;

/** Bad on purpose (ArchitectureTest): the store's write side. */
public final class Writer {
    public void write() {
    }
}
