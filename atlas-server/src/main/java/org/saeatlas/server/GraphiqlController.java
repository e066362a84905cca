package org.saeatlas.server;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Serves GraphiQL's page at {@code /graphiql} (and {@code /graphiql/}: Micronaut matches the trailing slash too): static resources inside a jar resolve a folder
 * to its {@code index.html} only at the root, so this page needs a route of its own. Its assets are static files.
 */
@Controller
public class GraphiqlController {

    private static final String PAGE = "META-INF/atlas-web/graphiql/index.html";

    @Get("/graphiql")
    @Produces(MediaType.TEXT_HTML)
    public HttpResponse<String> graphiql() throws IOException {
        return page(PAGE);
    }

    /** A page of the web-static module, or 404 naming it when the module is missing from the classpath. */
    static MutableHttpResponse<String> page(String resource) throws IOException {
        try (InputStream in = GraphiqlController.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return HttpResponse.notFound(resource + " is missing from the web-static module");
            }
            return HttpResponse.ok(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contentType(MediaType.TEXT_HTML_TYPE);
        }
    }
}
