package org.saeatlas.server.graphql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Depth and complexity limits, remembered per document only where variables cannot change them. */
class RequestLimitsTest {

    private static final String SDL = """
            type Query { node: Node }
            type Node { id: ID, next: Node, a: Int, b: Int, c: Int, d: Int }
            """;

    private static GraphQL engine(RequestLimits limits) {
        Map<String, Object> node = new java.util.HashMap<>(Map.of("id", "n", "a", 1, "b", 2, "c", 3, "d", 4));
        node.put("next", node); // an endless chain: only the limits stop a deep query
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .type("Query", t -> t.dataFetcher("node", env -> node)).build();
        graphql.schema.GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL),
                wiring);
        return GraphQL.newGraphQL(schema).instrumentation(limits).preparsedDocumentProvider(new DocumentCache(10, schema))
                .build();
    }

    private static String chain(int depth) {
        return "{ node { " + "next { ".repeat(depth) + "id" + " }".repeat(depth) + " } }";
    }

    private static String error(ExecutionResult r) {
        return r.getErrors().isEmpty() ? null : r.getErrors().get(0).getMessage();
    }

    @Test
    void deepAndComplexQueriesAreRefusedEveryTime() {
        RequestLimits limits = new RequestLimits(4, 8, Duration.ofSeconds(10));
        GraphQL graphql = engine(limits);
        for (int attempt = 0; attempt < 2; attempt++) {
            assertTrue(error(graphql.execute(chain(5))).contains("depth"), "attempt " + attempt);
            // depth 2, but 1 + 6 fields + 6 more under next = 13 > 8
            String wide = "{ node { id a b c d next { id a b c d } } }";
            assertTrue(error(graphql.execute(wide)).contains("complexity"), "attempt " + attempt);
        }
        assertEquals(0, limits.remembered());
        ExecutionResult ok = graphql.execute(chain(2));
        assertEquals(null, error(ok));
        assertEquals(Map.of("node", Map.of("next", Map.of("next", Map.of("id", "n")))), ok.getData());
        graphql.execute(chain(2));
        assertEquals(1, limits.remembered());
    }

    @Test
    void aDocumentWhoseDepthDependsOnVariablesIsCheckedEveryTime() {
        RequestLimits limits = new RequestLimits(4, 100, Duration.ofSeconds(10));
        GraphQL graphql = engine(limits);
        String query = "query($deep: Boolean!) { node { id next @include(if: $deep) { "
                + "next { next { next { next { id } } } } } } }";
        ExecutionResult shallow = graphql.execute(ExecutionInput.newExecutionInput(query)
                .variables(Map.of("deep", false)).build());
        assertEquals(null, error(shallow));
        ExecutionResult deep = graphql.execute(ExecutionInput.newExecutionInput(query)
                .variables(Map.of("deep", true)).build());
        assertTrue(String.valueOf(error(deep)).contains("depth"), String.valueOf(error(deep)));
        assertEquals(0, limits.remembered());
    }

    /**
     * GraphiQL's introspection query is 13 fields deep: schema-only operations are left to graphql-java's good-faith
     * introspection check instead of the data depth limit, which still refuses a deep data query beside them and
     * cannot be got around by asking for the schema in the same operation.
     */
    @Test
    void introspectionIsBoundedByGoodFaithNotByTheDataDepthLimit() {
        GraphQL graphql = engine(new RequestLimits(4, 2_000, Duration.ofSeconds(10)));
        String typeRef = "kind name " + "ofType { kind name ".repeat(7) + "}".repeat(7);
        String introspection = "query IntrospectionQuery { __schema { queryType { name } types { kind name"
                + " fields(includeDeprecated: true) { name args { name type { " + typeRef + " } } type { " + typeRef
                + " } } } } }";
        ExecutionResult schema = graphql.execute(introspection);
        assertEquals(null, error(schema));
        Object data = schema.getData();
        assertTrue(String.valueOf(data).contains("Node"), String.valueOf(data));
        assertEquals(null, error(graphql.execute("{ __type(name: \"Node\") { name fields { name type { " + typeRef
                + " } } } }")));
        // a data field beside the schema: the depth limit applies to the whole operation
        String mixed = error(graphql.execute("{ __typename " + chain(5).substring(1)));
        assertTrue(String.valueOf(mixed).contains("depth"), String.valueOf(mixed));
        // a cycle through the schema (fields of the types of fields ...) is refused by graphql-java's check
        String cycle = error(graphql.execute("{ __schema { types { fields { type { fields { type { fields { name }"
                + " } } } } } } }"));
        assertTrue(String.valueOf(cycle).contains("introspection"), String.valueOf(cycle));
    }

    @Test
    void aRequestPastItsDeadlineIsStopped() {
        GraphQL graphql = engine(new RequestLimits(50, 1_000, Duration.ZERO));
        String message = error(graphql.execute(chain(3)));
        assertTrue(message.contains("atlas.request-timeout"), message);
    }
}
