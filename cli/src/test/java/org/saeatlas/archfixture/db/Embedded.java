package org.saeatlas.archfixture.db;

/** Bad on purpose (ArchitectureTest): the old EmbeddedNeo4j, which named the GDS registration of analytics. */
public final class Embedded {
    public Object start() {
        return org.saeatlas.archfixture.analytics.Gds.registerInBackground(this);
    }
}
