package org.saeatlas.server.graphql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.configuration.graphql.GraphQLJsonSerializer;
import io.micronaut.configuration.graphql.GraphQLRequestBody;
import io.micronaut.configuration.graphql.JacksonGraphQLJsonSerializer;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * Reads GraphQL requests for Micronaut GraphQL's controller, refusing a body that is not what the GraphQL-over-HTTP
 * convention says with HTTP 400 and what was expected: not JSON, empty, not an object, {@code query} missing or not a
 * string, {@code variables} not an object (or a string holding one), {@code operationName} not a string. (Micronaut
 * GraphQL's own reader let these through as HTTP 500 with a Jackson message.) Responses are written as before.
 */
@Singleton
@Replaces(JacksonGraphQLJsonSerializer.class)
public class GraphQLRequests implements GraphQLJsonSerializer {

    static final String EXPECTED = "expected a JSON object {\"query\": \"...\", \"variables\": {...},"
            + " \"operationName\": \"...\"} (variables and operationName optional)";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GraphQLJsonSerializer responses;

    public GraphQLRequests(JsonMapper mapper) {
        this.responses = new JacksonGraphQLJsonSerializer(mapper);
    }

    @Override
    public String serialize(Object object) {
        return responses.serialize(object);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T deserialize(String json, Class<T> type) {
        if (type == GraphQLRequestBody.class) {
            return (T) request(json);
        }
        if (type == Map.class) { // the variables of a GET request
            return (T) variables(parse(json, "the variables parameter"), "the variables parameter");
        }
        return responses.deserialize(json, type);
    }

    static GraphQLRequestBody request(String body) {
        if (body == null || body.isBlank()) {
            throw bad("the request body is empty: " + EXPECTED);
        }
        JsonNode root = parse(body, "the request body");
        if (!root.isObject()) {
            throw bad("the request body is JSON " + kind(root) + ": " + EXPECTED);
        }
        JsonNode query = root.get("query");
        if (query == null || query.isNull()) {
            throw bad("the request has no \"query\": " + EXPECTED);
        }
        if (!query.isTextual()) {
            throw bad("\"query\" is " + kind(query) + ", expected a string holding the GraphQL document");
        }
        JsonNode name = root.get("operationName");
        if (name != null && !name.isNull() && !name.isTextual()) {
            throw bad("\"operationName\" is " + kind(name) + ", expected a string naming an operation of the query");
        }
        GraphQLRequestBody request = new GraphQLRequestBody();
        request.setQuery(query.asText());
        request.setOperationName(name == null || name.isNull() ? null : name.asText());
        request.setVariables(variables(root.get("variables"), "\"variables\""));
        return request;
    }

    /** Variables given as an object, as a string holding one (as some clients send them), or absent. */
    private static Map<String, Object> variables(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (node.isTextual()) {
            String text = node.asText();
            return text.isBlank() ? Map.of() : variables(parse(text, what), what);
        }
        if (!node.isObject()) {
            throw bad(what + " is " + kind(node) + ", expected a JSON object of variable values by name");
        }
        return JSON.convertValue(node, Map.class);
    }

    private static JsonNode parse(String text, String what) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw bad(what + " is empty: " + EXPECTED);
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw bad(what + " is not JSON (" + e.getOriginalMessage() + where + "): " + EXPECTED);
        }
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case NULL -> "null";
            case OBJECT -> "an object";
            case STRING -> "a string";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static HttpStatusException bad(String message) {
        return new HttpStatusException(HttpStatus.BAD_REQUEST, message);
    }
}
