package org.saeatlas.server.store;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.db.CypherException;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.InProcessCypher;

/**
 * How every reader of the server reaches Neo4j: parameterised Cypher in read-only transactions with a timeout,
 * in-process when the database is embedded and over Bolt otherwise ({@link CypherExecutor}), and, on the in-process
 * database, the Core API for the hot reads ({@link CoreReads}). Counts round trips. The server never writes: a
 * statement that tries to is refused by the database, and the refusal says so.
 */
public final class ReadStatements {

    private final CypherExecutor cypher;
    /** The embedded database's Core API for the hot reads; null over Bolt or when turned off. */
    private final CoreReads core;
    private final AtomicLong queries = new AtomicLong();

    /**
     * {@code coreReads}: on the in-process database, read features, explanations, examples and runs through the Core
     * API (the server's default; {@code atlas.core-reads=false} turns it off to compare); Bolt always reads with Cypher.
     */
    public ReadStatements(CypherExecutor cypher, Duration timeout, boolean coreReads) {
        this.cypher = cypher.withTimeout(timeout);
        this.core = coreReads && this.cypher instanceof InProcessCypher in ? new CoreReads(in) : null;
    }

    /** Whether the hot reads (features, explanations, examples, runs) go through the Core API, not Cypher. */
    public boolean coreReads() {
        return core != null;
    }

    /** Database round trips (one Cypher statement or Core API read, one transaction each) made so far. */
    public long queryCount() {
        return queries.get();
    }

    /** One read-only statement; failures are {@link CypherException}s that say why. */
    public List<Map<String, Object>> query(String statement, Map<String, Object> params) {
        queries.incrementAndGet();
        try {
            return cypher.read(statement, params);
        } catch (CypherException e) {
            if (refusedWrite(e)) {
                throw new AtlasException("the atlas server only reads: the database refused a write in '"
                        + statement.strip().lines().findFirst().orElse("") + "' (" + e.getMessage() + ")", e);
            }
            throw e;
        }
    }

    /** The one value of a statement's first row (a count). */
    long count(String statement, Map<String, Object> params) {
        return ((Number) query(statement, params).get(0).get("n")).longValue();
    }

    /** The column {@code key} of every row, each a map (a node or relationship as {@code x {.*}}). */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> column(String statement, Map<String, Object> params, String key) {
        return query(statement, params).stream().map(r -> (Map<String, Object>) r.get(key)).toList();
    }

    /** A Core API read (one round trip, as a statement is); null when the reads go through Cypher. */
    <T> T viaCore(Function<CoreReads, T> read) {
        queries.incrementAndGet();
        return read.apply(core);
    }

    /** A write refused because the transaction is read-only (in-process: Forbidden; Bolt: AccessMode). */
    private static boolean refusedWrite(CypherException e) {
        return e.kind() == CypherException.Kind.CLIENT && e.code() != null
                && (e.code().endsWith(".Security.Forbidden") || e.code().endsWith(".Statement.AccessMode"));
    }

    /** Parameters from key, value pairs (values may be null, unlike {@code Map.of}). */
    static Map<String, Object> params(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            m.put((String) kv[k], kv[k + 1]);
        }
        return m;
    }
}
