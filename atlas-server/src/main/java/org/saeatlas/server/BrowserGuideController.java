package org.saeatlas.server;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Options;
import io.micronaut.http.annotation.Produces;
import java.io.IOException;

/**
 * A Neo4j Browser guide with the atlas's Cypher (neighbourhoods, communities, matches, replicate counts): in Browser,
 * {@code :guide http://localhost:<port>/browser-guide}. Browser fetches guides cross-origin from hosts on its
 * allowlist ({@code localhost} by default), so this public, read-only page allows any origin.
 */
@Controller
public class BrowserGuideController {

    static final String GUIDE = "META-INF/atlas-web/browser-guide.html";

    @Get("/browser-guide")
    @Produces(MediaType.TEXT_HTML)
    public HttpResponse<String> guide() throws IOException {
        return GraphiqlController.page(GUIDE).header("Access-Control-Allow-Origin", "*");
    }

    /** The CORS preflight Browser sends before its fetch (it asks for request headers of its own). */
    @Options("/browser-guide")
    public HttpResponse<Void> preflight(@Header("Access-Control-Request-Headers") @Nullable String headers) {
        return HttpResponse.<Void>ok().header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", "GET, HEAD")
                .header("Access-Control-Allow-Headers", headers == null ? "" : headers)
                .header("Access-Control-Max-Age", "600");
    }
}
