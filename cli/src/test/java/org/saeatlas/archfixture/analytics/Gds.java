package org.saeatlas.archfixture.analytics;

import org.saeatlas.archfixture.db.Cypher;

/** Bad on purpose (ArchitectureTest): analytics over the database, named by the database: a package cycle. */
public final class Gds {
    private Gds() {
    }

    public static Object registerInBackground(Object dbms) {
        return new Cypher().run("CALL gds.list() // " + dbms);
    }
}
