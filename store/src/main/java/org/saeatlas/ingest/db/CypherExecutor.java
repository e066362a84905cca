package org.saeatlas.ingest.db;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs parameterised Cypher against the atlas's database, one transaction per call, and returns the rows as plain
 * Java values: {@link Long}, {@link Double}, {@link String}, {@link Boolean}, {@link List}, {@link Map} (what the
 * Bolt driver's {@code Record.asMap} gives; nodes and relationships come back as their property maps, property
 * arrays as lists). Two implementations, same Cypher text, same parameters, same rows, same errors
 * ({@link CypherException}): {@link BoltCypher} over the Bolt driver (servers) and {@link InProcessCypher} through
 * the embedded database's own transactions (no network, no serialisation).
 */
public interface CypherExecutor {

    /** Runs {@code cypher} in a read-only transaction; a statement that tries to write fails with a client error. */
    List<Map<String, Object>> read(String cypher, Map<String, Object> params);

    /** Runs {@code cypher} in its own write transaction, committed before this returns; transient failures
     *  (deadlocks) are retried a few times. */
    List<Map<String, Object>> write(String cypher, Map<String, Object> params);

    /**
     * Runs {@code cypher} in an implicit (auto-commit) transaction with write access, as a Bolt session's
     * {@code run} does: for statements that commit on their own ({@code CALL ... IN TRANSACTIONS}) and procedures
     * that must not run inside an explicit transaction (Graph Data Science). Not retried.
     */
    List<Map<String, Object>> auto(String cypher, Map<String, Object> params);

    /**
     * {@link #read}, streamed: {@code each} hears every row as it comes and none is kept (reads of a whole run's
     * edges). The transaction stays open until the last row.
     */
    default void readEach(String cypher, Map<String, Object> params, Consumer<Map<String, Object>> each) {
        read(cypher, params).forEach(each);
    }

    /** The same executor whose transactions are terminated after {@code timeout}. */
    CypherExecutor withTimeout(Duration timeout);

    /** "in-process" or the Bolt URI: for messages. */
    String describe();
}
