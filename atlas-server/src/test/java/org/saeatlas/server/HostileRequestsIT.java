package org.saeatlas.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * Hostile and careless requests to {@code /graphql} over real HTTP: each gets a clear GraphQL error (HTTP 200) or a
 * clear 4xx saying what was expected, never HTTP 500 or a Java exception's message.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsIT {

    @TempDir
    static Path dir;
    private AtlasDatabase db;
    private AtlasServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void start() {
        db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"), EmbeddedNeo4j.freePort(),
                EmbeddedNeo4j.freePort(), "32m"));
        server = AtlasServer.start(db, "127.0.0.1", EmbeddedNeo4j.freePort(), Map.of());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private HttpResponse<String> post(String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.info().graphql())).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.info().graphql() + query)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A GraphQL answer (HTTP 200) with exactly one error; its message. */
    private static String graphqlError(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        JsonNode errors = JSON.readTree(r.body()).path("errors");
        assertEquals(1, errors.size(), r.body());
        return errors.get(0).path("message").asText() + " " + errors.get(0).path("extensions").path("classification");
    }

    /** An HTTP 400 whose body says {@code expected}, without Java exception names. */
    private static void badRequest(HttpResponse<String> r, String... expected) {
        assertEquals(400, r.statusCode(), r.body());
        for (String e : expected) {
            assertTrue(r.body().contains(e), "'" + e + "' in " + r.body());
        }
        assertTrue(!r.body().contains("Exception") && !r.body().contains("Jackson") && !r.body().contains("java."),
                r.body());
    }

    @Test
    void mutationsAndSubscriptionsAreValidationErrorsOfAReadOnlyApi() throws Exception {
        String m = graphqlError(post("application/json", "{\"query\":\"mutation { models { id } }\"}"));
        assertTrue(m.contains("no mutations: it is read-only") && m.contains("ValidationError"), m);
        String g = graphqlError(post("application/graphql", "mutation Add { x }"));
        assertTrue(g.contains("no mutations"), g);
        String s = graphqlError(post("application/json", "{\"query\":\"subscription { models { id } }\"}"));
        assertTrue(s.contains("no subscriptions") && s.contains("ValidationError"), s);
        // the same text again comes from the document cache with the same answer
        assertEquals(m, graphqlError(post("application/json", "{\"query\":\"mutation { models { id } }\"}")));
    }

    @Test
    void operationNameMustPickOneOperationOfTheDocument() throws Exception {
        String two = "query A { models { id } } query B { saes { id } }";
        String unknown = graphqlError(post("application/json", JSON.writeValueAsString(Map.of("query", two,
                "operationName", "Nope"))));
        assertTrue(unknown.contains("operationName 'Nope' names no operation") && unknown.contains("[A, B]"), unknown);
        String none = graphqlError(post("application/json", JSON.writeValueAsString(Map.of("query", two))));
        assertTrue(none.contains("2 operations [A, B]"), none);
        HttpResponse<String> b = post("application/json", JSON.writeValueAsString(Map.of("query", two,
                "operationName", "B")));
        assertEquals("{\"data\":{\"saes\":[]}}", b.body());
    }

    @Test
    void bodiesThatAreNotAGraphQLRequestAreHttp400SayingWhatWasExpected() throws Exception {
        badRequest(post("application/json", "{\"query\": "), "the request body is not JSON", "line 1",
                "expected a JSON object");
        badRequest(post("application/json", ""), "the request body is empty");
        badRequest(post("application/json", "   "), "the request body is empty");
        badRequest(post("application/json", "null"), "the request body is JSON null");
        badRequest(post("application/json", "[1,2]"), "the request body is JSON an array");
        badRequest(post("application/json", "{}"), "the request has no \\\"query\\\"");
        badRequest(post("application/json", "{\"query\": 5}"), "\\\"query\\\" is a number, expected a string");
        badRequest(post("application/json", "{\"query\": \"{ models { id } }\", \"variables\": [1]}"),
                "\\\"variables\\\" is an array, expected a JSON object");
        badRequest(post("application/json", "{\"query\": \"{ models { id } }\", \"variables\": \"x\"}"),
                "\\\"variables\\\" is not JSON");
        badRequest(post("application/json", "{\"query\": \"{ models { id } }\", \"operationName\": 3}"),
                "\\\"operationName\\\" is a number");
        badRequest(get("?query=" + URLEncoder.encode("{ models { id } }", StandardCharsets.UTF_8) + "&variables="
                + URLEncoder.encode("[1]", StandardCharsets.UTF_8)), "the variables parameter is an array");
        badRequest(get("?query=" + URLEncoder.encode("{ models { id } }", StandardCharsets.UTF_8) + "&variables="
                + URLEncoder.encode("{x", StandardCharsets.UTF_8)), "the variables parameter is not JSON");
        // what is well formed still works, variables as an object or as a string holding one
        String variable = graphqlError(post("application/json", "{\"query\": \"query Q($id: ID!)"
                + " { feature(id: $id) { id } }\", \"variables\": \"{\\\"id\\\": \\\"s/1\\\"}\"}"));
        assertTrue(variable.contains("feature 's/1' is not in the atlas"), variable);
        assertEquals("{\"data\":{\"models\":[]}}", post("application/json; charset=utf-8",
                "{\"query\": \"{ models { id } }\", \"variables\": {\"n\": 1}}").body());
        assertEquals("{\"data\":{\"models\":[]}}", get("?query=" + URLEncoder.encode("{ models { id } }",
                StandardCharsets.UTF_8)).body());
    }

    @Test
    void aPostThatIsNeitherJsonNorGraphQLIsRefusedNamingBoth() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
            HttpResponse<String> r = post(type, "{\"query\":\"{ models { id } }\"}");
            assertEquals(415, r.statusCode(), r.body());
            String message = JSON.readTree(r.body()).path("errors").get(0).path("message").asText();
            assertTrue(message.contains("application/json") && message.contains("application/graphql")
                    && message.contains(type == null ? "no Content-Type" : type), message);
        }
    }

    @Test
    void hugeQueriesAreRefusedByTheSizeAndTokenLimits() throws Exception {
        HttpResponse<String> huge = post("application/json", "{\"query\":\"{ models { id } }" + " ".repeat(2_000_000)
                + "\"}");
        assertEquals(413, huge.statusCode(), huge.body());
        assertTrue(huge.body().contains("exceeds the maximum allowed content length"), huge.body());
        String many = graphqlError(post("application/json", "{\"query\":\"{ " + "m: models { id } ".repeat(40_000)
                + "}\"}"));
        assertTrue(many.contains("15,000 'grammar' tokens") && many.contains("InvalidSyntax"), many);
        String deep = graphqlError(post("application/json", "{\"query\":\"{ " + "a { ".repeat(500) + "b"
                + " }".repeat(500) + " }\"}"));
        assertTrue(deep.contains("More than 500 deep 'grammar' rules") && deep.contains("InvalidSyntax"), deep);
    }
}
