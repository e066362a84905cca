package org.saeatlas.archfixture.servermodule;

/**
 * Bad on purpose (ArchitectureTest): a class of the server module that names classes the loader's module and the
 * file readers' module ship (real ones, so the rule finds them by the jar or folder they come from).
 */
public final class Loads {
    public Class<?> loader() {
        return org.saeatlas.ingest.DemoLoader.class;
    }

    public Class<?> reader() {
        return org.saeatlas.ingest.formats.Checksums.class;
    }
}
