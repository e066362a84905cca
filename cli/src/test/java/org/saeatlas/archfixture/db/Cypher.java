package org.saeatlas.archfixture.db;

/** Bad on purpose (ArchitectureTest): the database interface that analytics uses. */
public final class Cypher {
    public String run(String statement) {
        return statement;
    }
}
