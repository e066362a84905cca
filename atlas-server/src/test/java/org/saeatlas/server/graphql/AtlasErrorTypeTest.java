package org.saeatlas.server.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.errors.DatabaseException;
import org.saeatlas.errors.InputException;
import org.saeatlas.errors.StateException;

/** The server's fetcher-error handler gives each category of the atlas's error its own GraphQL classification. */
class AtlasErrorTypeTest {

    /** Runs {@code { f }} where the fetcher of {@code f} throws {@code e}, with the server's error handler. */
    static GraphQLError errorOf(RuntimeException e) {
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("type Query { f: Int }"),
                RuntimeWiring.newRuntimeWiring().type("Query", t -> t.dataFetcher("f", env -> {
                    throw e;
                })).build());
        ExecutionResult r = GraphQL.newGraphQL(schema).defaultDataFetcherExceptionHandler(GraphQLFactory.errors())
                .build().execute("{ f }");
        assertEquals(1, r.getErrors().size(), r.getErrors().toString());
        return r.getErrors().get(0);
    }

    static Object classification(GraphQLError e) {
        Map<String, Object> spec = e.toSpecification();
        return ((Map<?, ?>) spec.get("extensions")).get("classification");
    }

    @Test
    void eachCategoryHasItsClassificationAndKeepsItsMessage() {
        GraphQLError input = errorOf(new InputException("examples(first): expected 0..100, found 500"));
        assertEquals("BadInput", classification(input));
        assertEquals("examples(first): expected 0..100, found 500", input.getMessage());
        assertEquals("AtlasState", classification(errorOf(new StateException("run r is still 'loading'"))));
        assertEquals("DatabaseError", classification(errorOf(new DatabaseException("unavailable"))));
        assertEquals("BadInput", classification(errorOf(new AtlasException("feature 'x/1' is not in the atlas"))));
        assertEquals("BadInput", classification(errorOf(new IllegalArgumentException("bad cursor"))));
    }

    @Test
    void aBugIsAnInternalErrorThatShowsNoDetails() {
        GraphQLError e = errorOf(new NullPointerException("secret detail"));
        assertEquals("InternalError", classification(e));
        assertEquals("internal error while reading the atlas (NullPointerException)", e.getMessage());
    }
}
