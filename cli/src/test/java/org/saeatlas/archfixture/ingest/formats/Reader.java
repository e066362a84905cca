package org.saeatlas.archfixture.ingest.formats;

/** Bad on purpose (ArchitectureTest): a file reader with the Neo4j driver on its hands. */
public final class Reader {
    public org.neo4j.driver.Driver driver;
}
