package org.saeatlas.server.graphql;

import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.schema.Vocabulary;
import org.saeatlas.server.store.AtlasReader;
import org.saeatlas.server.store.EdgeReads;
import org.saeatlas.server.store.ExplanationIndex;
import org.saeatlas.server.store.RunProjections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the GraphQL engine from the schema module's SDL, with the limits that keep careless or hostile clients
 * from hurting the server: maximum query depth and complexity, page caps (in the fetchers), a per-query database
 * timeout, a whole-request time limit, and errors that say what was wrong without stack traces.
 */
@Factory
public class GraphQLFactory {

    private static final Logger LOG = LoggerFactory.getLogger(GraphQLFactory.class);

    /** Distinct query texts whose parsed, validated documents are kept. */
    static final int DOCUMENTS = 500;

    @Singleton
    public AtlasReader atlasReader(AtlasDatabase database, ExplanationIndex index,
                                   @Value("${atlas.query-timeout:10s}") Duration timeout,
                                   @Value("${atlas.core-reads:true}") boolean coreReads) {
        return new AtlasReader(database.cypher(), timeout, index, coreReads);
    }

    /**
     * The server's search index of explanation text, derived from Neo4j, for up to
     * {@code atlas.search.max-explanations} explanations (0: search with Neo4j's full-text index only).
     */
    @Singleton
    @io.micronaut.context.annotation.Bean(preDestroy = "close")
    public ExplanationIndex explanationIndex(AtlasDatabase database,
                                             @Value("${atlas.search.max-explanations:5000000}") long max) {
        return new ExplanationIndex(database.cypher(), max);
    }

    /**
     * In-memory projections of complete runs for edge reads, up to {@code atlas.projection.max-edges} edges in all
     * (0 turns them off; about 80 bytes per edge).
     */
    @Singleton
    @io.micronaut.context.annotation.Bean(preDestroy = "close")
    public RunProjections runProjections(AtlasDatabase database,
                                         @Value("${atlas.projection.max-edges:5000000}") long maxEdges) {
        return new RunProjections(database.cypher(), maxEdges);
    }

    @Singleton
    public EdgeReads edgeReads(AtlasReader reader, RunProjections projections) {
        return new EdgeReads(reader, projections);
    }

    @Singleton
    public GraphQL graphQL(EdgeReads edges,
                           @Value("${atlas.graphql.max-depth:12}") int maxDepth,
                           @Value("${atlas.graphql.max-complexity:2000}") int maxComplexity,
                           @Value("${atlas.request-timeout:30s}") Duration requestTimeout) {
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(sdl()),
                new AtlasFetchers(edges).wiring());
        return GraphQL.newGraphQL(schema)
                .instrumentation(new RequestLimits(maxDepth, maxComplexity, requestTimeout))
                .defaultDataFetcherExceptionHandler(errors())
                .preparsedDocumentProvider(new DocumentCache(DOCUMENTS, schema))
                .build();
    }

    /** The atlas's errors as GraphQL errors with their message and classification ({@link AtlasErrorType}). */
    static DataFetcherExceptionHandler errors() {
        return params -> {
            Throwable e = params.getException();
            AtlasErrorType type = AtlasErrorType.of(e);
            String message;
            if (type != AtlasErrorType.InternalError) {
                message = e.getMessage();
            } else {
                LOG.warn("query failed at {}", params.getPath(), e);
                message = "internal error while reading the atlas (" + e.getClass().getSimpleName() + ")";
            }
            GraphQLError error = GraphqlErrorBuilder.newError(params.getDataFetchingEnvironment())
                    .message(message).errorType(type).build();
            return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error).build());
        };
    }

    static String sdl() {
        try (InputStream in = GraphQLFactory.class.getClassLoader().getResourceAsStream(Vocabulary.GRAPHQL_SCHEMA)) {
            if (in == null) {
                throw new AtlasException("GraphQL schema " + Vocabulary.GRAPHQL_SCHEMA + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AtlasException("cannot read the GraphQL schema: " + e.getMessage(), e);
        }
    }
}
