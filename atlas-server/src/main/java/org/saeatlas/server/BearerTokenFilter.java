package org.saeatlas.server;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Optional bearer-token protection of the API for deployments ({@code --token} or {@code ATLAS_TOKEN}): requests
 * to {@code /graphql} and {@code /api} need {@code Authorization: Bearer <token>}, or, for a GET (the web UI's run
 * download links, which cannot set a header), the {@code access_token} query parameter of RFC 6750 section 2.3.
 * The web UI's static files and
 * {@code /health} stay open. Constant-time comparison. A request filter that only ever answers refusals, so the
 * responses it lets through are untouched.
 */
@ServerFilter({"/graphql/**", "/graphql", "/api/**"})
@Requires(property = "atlas.token")
public class BearerTokenFilter {

    private final byte[] expected;
    private final byte[] expectedParameter;

    public BearerTokenFilter(@Value("${atlas.token}") String token) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.expectedParameter = token.getBytes(StandardCharsets.UTF_8);
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        if ("OPTIONS".equals(request.getMethodName())) {
            return null; // CORS preflight carries no credentials
        }
        String given = request.getHeaders().get("Authorization");
        if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        String parameter = "GET".equals(request.getMethodName())
                ? request.getParameters().get("access_token") : null;
        if (parameter != null && MessageDigest.isEqual(expectedParameter, parameter.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                .header("WWW-Authenticate", "Bearer realm=\"sae-atlas\", error=\"invalid_token\","
                        + " error_description=\"missing or wrong bearer token\"")
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body("{\"errors\":[{\"message\":\"missing or wrong bearer token: send 'Authorization: Bearer <token>'\"}]}");
    }
}
