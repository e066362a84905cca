package org.saeatlas.ingest.db;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;
import org.neo4j.driver.exceptions.ClientException;
import org.neo4j.driver.exceptions.Neo4jException;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.neo4j.driver.exceptions.SessionExpiredException;

/**
 * {@link CypherExecutor} over the Bolt driver, for a Neo4j server: reads are one auto-commit statement in a
 * {@code READ} session (one round trip; the server refuses writes), writes a managed write transaction (retried by the
 * driver on transient failures).
 */
public final class BoltCypher implements CypherExecutor {

    private static final SessionConfig READ = SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build();

    private final Driver driver;
    private final String uri;
    private final TransactionConfig config;

    public BoltCypher(Driver driver, String uri) {
        this(driver, uri, TransactionConfig.empty());
    }

    private BoltCypher(Driver driver, String uri, TransactionConfig config) {
        this.driver = driver;
        this.uri = uri;
        this.config = config;
    }

    @Override
    public List<Map<String, Object>> read(String cypher, Map<String, Object> params) {
        try (Session session = driver.session(READ)) {
            return session.run(cypher, params, config).list(BoltCypher::row);
        } catch (Neo4jException e) {
            throw mapped(e);
        }
    }

    @Override
    public List<Map<String, Object>> write(String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            return session.executeWrite(tx -> tx.run(cypher, params).list(BoltCypher::row), config);
        } catch (Neo4jException e) {
            throw mapped(e);
        }
    }

    @Override
    public void readEach(String cypher, Map<String, Object> params, java.util.function.Consumer<Map<String, Object>> each) {
        try (Session session = driver.session(READ)) {
            var result = session.run(cypher, params, config);
            while (result.hasNext()) {
                each.accept(row(result.next()));
            }
        } catch (Neo4jException e) {
            throw mapped(e);
        }
    }

    @Override
    public List<Map<String, Object>> auto(String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            return session.run(cypher, params, config).list(BoltCypher::row);
        } catch (Neo4jException e) {
            throw mapped(e);
        }
    }

    @Override
    public CypherExecutor withTimeout(Duration timeout) {
        return new BoltCypher(driver, uri, TransactionConfig.builder().withTimeout(timeout).build());
    }

    @Override
    public String describe() {
        return uri;
    }

    private static Map<String, Object> row(Record r) {
        return CypherValues.map(r.asMap(v -> v.asObject()));
    }

    /** A driver error as the project's error type, classified by its Neo4j status code. */
    public static CypherException mapped(Neo4jException e) {
        if (e instanceof ServiceUnavailableException || e instanceof SessionExpiredException) {
            return new CypherException(CypherException.Kind.UNAVAILABLE, e.code(), e.getMessage(), e);
        }
        CypherException.Kind kind = e instanceof ClientException && e.code() == null
                ? CypherException.Kind.CLIENT : CypherException.kindOf(e.code());
        return new CypherException(kind, e.code(), e.getMessage(), e);
    }
}
