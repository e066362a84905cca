package org.saeatlas.ingest.analytics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Values;
import org.neo4j.driver.exceptions.Neo4jException;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.BoltCypher;

/**
 * Parameterised Cypher of the analytics package: single writes, reads and batched UNWIND writes. A driver error
 * (the server stopped, refused the statement, a conflict) becomes the project's {@link
 * org.saeatlas.ingest.db.CypherException}, classified as the {@code CypherExecutor} paths do.
 */
final class Statements {

    static final int BATCH = 10_000;

    private final Driver driver;

    Statements(Driver driver) {
        this.driver = driver;
    }

    Driver driver() {
        return driver;
    }

    void write(String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            session.executeWrite(tx -> tx.run(cypher, Values.value(params)).consume());
        } catch (Neo4jException e) {
            throw BoltCypher.mapped(e);
        }
    }

    List<Record> read(String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(cypher, Values.value(params)).list());
        } catch (Neo4jException e) {
            throw BoltCypher.mapped(e);
        }
    }

    /** A write that returns rows (MERGE ... RETURN). */
    List<Record> writeReturning(String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            return session.executeWrite(tx -> tx.run(cypher, Values.value(params)).list());
        } catch (Neo4jException e) {
            throw BoltCypher.mapped(e);
        }
    }

    /** Runs outside an explicit transaction (for CALL ... IN TRANSACTIONS and GDS procedures). */
    List<Record> auto(String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            return session.run(cypher, Values.value(params)).list();
        } catch (Neo4jException e) {
            throw BoltCypher.mapped(e);
        }
    }

    /** Writes rows in batches of about {@link #BATCH} units ({@code weight} counts a row's units, e.g. members). */
    <T> void batched(String stage, List<T> rows, String cypher, Map<String, Object> extra,
                     Function<T, Map<String, Object>> toMap, Function<T, Integer> weight, Progress progress) {
        progress.update(stage, 0, rows.size());
        try (Session session = driver.session()) {
            int from = 0;
            while (from < rows.size()) {
                List<Map<String, Object>> batch = new ArrayList<>();
                int units = 0;
                int to = from;
                while (to < rows.size() && (batch.isEmpty() || units < BATCH)) {
                    batch.add(toMap.apply(rows.get(to)));
                    units += Math.max(1, weight.apply(rows.get(to)));
                    to++;
                }
                Map<String, Object> params = new HashMap<>(extra);
                params.put("rows", batch);
                session.executeWrite(tx -> tx.run(cypher, Values.value(params)).consume());
                from = to;
                progress.update(stage, from, rows.size());
            }
        } catch (Neo4jException e) {
            throw BoltCypher.mapped(e);
        }
    }

    <T> void batched(String stage, List<T> rows, String cypher, Map<String, Object> extra,
                     Function<T, Map<String, Object>> toMap, Progress progress) {
        batched(stage, rows, cypher, extra, toMap, r -> 1, progress);
    }
}
