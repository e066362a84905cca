package org.saeatlas.ingest.analytics;

import java.util.List;
import java.util.Map;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Values;

/** Tests' own reads and writes over the Bolt driver, to check what the analytics stored (records, not maps). */
final class TestStatements {

    private final Driver driver;

    TestStatements(Driver driver) {
        this.driver = driver;
    }

    List<Record> read(String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(cypher, Values.value(params)).list());
        }
    }

    void write(String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            session.executeWrite(tx -> tx.run(cypher, Values.value(params)).consume());
        }
    }
}
