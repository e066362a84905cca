package org.saeatlas.server.graphql;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * A GraphQL POST must say what its body is: {@code application/json} (a JSON object with {@code query}) or
 * {@code application/graphql} (the document itself). Anything else is refused with HTTP 415 naming both, instead of
 * Micronaut GraphQL's bare "Could not process GraphQL request".
 */
@ServerFilter(value = "/graphql", methods = HttpMethod.POST)
public class GraphQLContentType {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    static final MediaType GRAPHQL = MediaType.of("application/graphql");

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        MediaType type = request.getContentType().orElse(null);
        if (type != null && (type.getName().equals(MediaType.APPLICATION_JSON) || type.getName().equals(GRAPHQL.getName()))) {
            return null;
        }
        String found = type == null ? "no Content-Type" : "Content-Type " + type.getName();
        return HttpResponse.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(JSON.createObjectNode().set("errors", JSON.createArrayNode().add(JSON.createObjectNode().put(
                        "message", "a GraphQL POST needs Content-Type application/json (a JSON object with a query) or"
                                + " application/graphql (the query itself), found " + found))).toString());
    }
}
