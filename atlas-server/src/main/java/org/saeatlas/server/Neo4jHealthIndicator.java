package org.saeatlas.server;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.saeatlas.ingest.db.AtlasDatabase;

/** Part of {@code /health}: UP when Neo4j answers a trivial read. */
@Singleton
public class Neo4jHealthIndicator implements HealthIndicator {

    private final AtlasDatabase database;

    public Neo4jHealthIndicator(AtlasDatabase database) {
        this.database = database;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(check());
    }

    private HealthResult check() {
        try {
            database.driver().verifyConnectivity();
            return HealthResult.builder("neo4j", HealthStatus.UP)
                    .details(Map.of("bolt", database.boltUri())).build();
        } catch (RuntimeException e) {
            return HealthResult.builder("neo4j", HealthStatus.DOWN)
                    .details(Map.of("bolt", database.boltUri(), "error", String.valueOf(e.getMessage()))).build();
        }
    }
}
