package org.saeatlas.ingest.db;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.neo4j.graphdb.DatabaseShutdownException;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import org.neo4j.internal.kernel.api.connectioninfo.ClientConnectionInfo;
import org.neo4j.internal.kernel.api.security.LoginContext;
import org.neo4j.internal.kernel.api.security.SecurityContext;
import org.neo4j.kernel.api.KernelTransaction;
import org.neo4j.kernel.api.exceptions.Status;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * {@link CypherExecutor} through the embedded database's own transactions ({@code tx.execute(cypher, params)}): no
 * socket, no Bolt encoding. Reads run in a transaction whose security context has the {@code READ} access mode (plus
 * {@code SHOW INDEXES}, as in a server's read session), so the kernel refuses any write ({@code Neo.ClientError.Security.Forbidden}) exactly as a server refuses one in a
 * {@code READ} session. Writes are retried (up to 5 attempts, backing off) on transient failures such as
 * deadlocks, like the driver's managed transactions.
 */
public final class InProcessCypher implements CypherExecutor {

    private static final int ATTEMPTS = 5;

    private final GraphDatabaseAPI db;
    private final SecurityContext readOnly;
    private final long timeoutMillis;

    public InProcessCypher(GraphDatabaseAPI db) {
        this(db, 0);
    }

    private InProcessCypher(GraphDatabaseAPI db, long timeoutMillis) {
        this.db = db;
        this.readOnly = SecurityContext.authDisabled(ReadAndShowSchema.INSTANCE, ClientConnectionInfo.EMBEDDED_CONNECTION,
                db.databaseName());
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public List<Map<String, Object>> read(String cypher, Map<String, Object> params) {
        try (Transaction tx = begin(readOnly)) {
            List<Map<String, Object>> rows = rows(tx.execute(cypher, params));
            tx.commit();
            return rows;
        } catch (RuntimeException e) {
            throw mapped(e);
        }
    }

    @Override
    public void readEach(String cypher, Map<String, Object> params, java.util.function.Consumer<Map<String, Object>> each) {
        try (Transaction tx = begin(readOnly); Result result = tx.execute(cypher, params)) {
            List<String> columns = result.columns();
            while (result.hasNext()) {
                each.accept(row(columns, result.next()));
            }
            tx.commit();
        } catch (RuntimeException e) {
            throw mapped(e);
        }
    }

    @Override
    public List<Map<String, Object>> auto(String cypher, Map<String, Object> params) {
        try (Transaction tx = begin(KernelTransaction.Type.IMPLICIT, LoginContext.AUTH_DISABLED)) {
            List<Map<String, Object>> rows = rows(tx.execute(cypher, params));
            tx.commit();
            return rows;
        } catch (RuntimeException e) {
            throw mapped(e);
        }
    }

    /**
     * {@code work} with the embedded database's Core API, in one transaction with the same read-only access mode and
     * timeout as {@link #read}: for hot reads that a Cypher statement's planning and interpretation would dominate.
     * Failures are {@link CypherException}s, as from {@link #read}.
     */
    public <T> T readCore(java.util.function.Function<Transaction, T> work) {
        try (Transaction tx = begin(readOnly)) {
            T out = work.apply(tx);
            tx.commit();
            return out;
        } catch (RuntimeException e) {
            throw mapped(e);
        }
    }

    /** A node's or relationship's properties in the shape {@link #read} gives {@code n {.*}}. */
    public static Map<String, Object> properties(org.neo4j.graphdb.Entity entity) {
        return CypherValues.map(entity.getAllProperties());
    }

    @Override
    public List<Map<String, Object>> write(String cypher, Map<String, Object> params) {
        for (int attempt = 1; ; attempt++) {
            try (Transaction tx = begin(LoginContext.AUTH_DISABLED)) {
                List<Map<String, Object>> rows = rows(tx.execute(cypher, params));
                tx.commit();
                return rows;
            } catch (RuntimeException e) {
                CypherException failure = mapped(e);
                if (failure.kind() != CypherException.Kind.TRANSIENT || attempt == ATTEMPTS) {
                    throw failure;
                }
                pause(Math.min(500, 20L << Math.min(attempt, 5)));
            }
        }
    }

    @Override
    public CypherExecutor withTimeout(Duration timeout) {
        return new InProcessCypher(db, Math.max(1, timeout.toMillis()));
    }

    @Override
    public String describe() {
        return "in-process";
    }

    /** The embedded database these statements run in, for writers that use its Core API directly. */
    public GraphDatabaseAPI database() {
        return db;
    }

    private Transaction begin(LoginContext login) {
        return begin(KernelTransaction.Type.EXPLICIT, login);
    }

    private Transaction begin(KernelTransaction.Type type, LoginContext login) {
        return timeoutMillis > 0
                ? db.beginTransaction(type, login, ClientConnectionInfo.EMBEDDED_CONNECTION, timeoutMillis,
                        TimeUnit.MILLISECONDS)
                : db.beginTransaction(type, login, ClientConnectionInfo.EMBEDDED_CONNECTION);
    }

    private static List<Map<String, Object>> rows(Result result) {
        try (result) {
            List<String> columns = result.columns();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (result.hasNext()) {
                rows.add(row(columns, result.next()));
            }
            return rows;
        }
    }

    private static Map<String, Object> row(List<String> columns, Map<String, Object> raw) {
        Map<String, Object> row = new LinkedHashMap<>(Math.max(4, columns.size() * 2));
        for (String c : columns) {
            row.put(c, CypherValues.normalise(raw.get(c)));
        }
        return java.util.Collections.unmodifiableMap(row);
    }

    static CypherException mapped(RuntimeException e) {
        if (e instanceof CypherException c) {
            return c;
        }
        String code = null;
        if (e instanceof QueryExecutionException q) {
            code = q.getStatusCode();
        } else if (e instanceof Status.HasStatus s) {
            code = s.status().code().serialize();
        }
        CypherException.Kind kind = e instanceof DatabaseShutdownException
                ? CypherException.Kind.UNAVAILABLE : CypherException.kindOf(code);
        return new CypherException(kind, code, String.valueOf(e.getMessage()), e);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CypherException(CypherException.Kind.TRANSIENT, null, "interrupted while retrying a write", e);
        }
    }
}
