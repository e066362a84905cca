package org.saeatlas.cli.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.DemoLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.db.SchemaIndexes;
import org.saeatlas.server.AtlasInfo;
import org.saeatlas.server.AtlasServer;

/**
 * The whole installation checked end to end and offline ({@code ./atlas check}), in a temporary folder: an embedded
 * Neo4j, a small demo atlas generated, computed and loaded, the server answering GraphQL and the web UI, Neo4j
 * Browser; then the folder is removed. Each step that passes prints an "ok" line with its seconds; the first failure
 * ends the check and is returned, naming the step.
 */
public final class InstallationCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where to make the temporary folder, and whether the loader's own progress lines are shown. */
    public record Request(Path work, boolean verbose) {
    }

    /** Passed, or the step that failed and why; seconds from the start. */
    public record Result(boolean passed, String failedStep, String message, double seconds) {
    }

    private final PrintStream out;
    private final PrintStream err;

    public InstallationCheck(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the check; {@code engines} makes the compute engine of the demo (its argument: threads). */
    public Result run(Request r, IntFunction<ComputeEngine> engines) {
        long started = System.nanoTime();
        Path parent = r.work() != null ? r.work() : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir;
        try {
            dir = Files.createTempDirectory(parent, "atlas-check-");
        } catch (IOException | UnsupportedOperationException e) {
            return new Result(false, null, "cannot make a temporary folder in " + parent + " (" + e
                    + "); expected a writable folder: choose one with --work", seconds(started));
        }
        String step = "starting an embedded Neo4j";
        try {
            long t = System.nanoTime();
            // any free ports, never the demo's 7687/7474/8080: a check may run beside a starting demo
            try (AtlasDatabase db = AtlasDatabase.open(
                    new Neo4jTarget(null, null, null, dir.resolve("neo4j"), EmbeddedNeo4j.freePort(),
                            EmbeddedNeo4j.freePort(), "64m"))) {
                done("embedded Neo4j started, schema applied", t);

                step = "generating, computing and loading a small demo atlas";
                t = System.nanoTime();
                DemoParameters small = DemoParameters.small(20261122L);
                PrintStream loaderOut = r.verbose() ? out : new PrintStream(java.io.OutputStream.nullOutputStream());
                try (ComputeEngine engine = engines.apply(Runtime.getRuntime().availableProcessors())) {
                    new DemoLoader(db, loaderOut, dir.resolve("runs"), engine.cosine()).load(small);
                }
                if (!new DemoLoader(db, loaderOut, dir.resolve("runs")).loaded(small)) {
                    throw new AtlasException("the demo atlas's runs and seed comparison are not all in the database");
                }
                done("small demo atlas generated, computed and loaded (2 SAEs x " + small.features() + " features)", t);
                String indexes = SchemaIndexes.warning(db.cypher());
                if (indexes != null) {
                    out.println(indexes);
                } else {
                    out.printf(Locale.ROOT, "ok  %-80s%n", "every index and constraint the server relies on is online");
                }

                step = "serving the atlas";
                t = System.nanoTime();
                try (AtlasServer server = AtlasServer.start(db, "127.0.0.1",
                        EmbeddedNeo4j.freePort(), Map.of())) {
                    AtlasInfo info = server.info();
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
                    step = "asking GraphQL";
                    String sae = askSaes(http, info.graphql());
                    String feature = askSearch(http, info.graphql(), sae);
                    int neighbours = askNeighbourhood(http, info.graphql(), sae, feature);
                    step = "loading the web UI";
                    get(http, info.web(), "<html");
                    step = "reaching Neo4j Browser";
                    if (info.browser() != null) {
                        get(http, info.browser(), null);
                    }
                    done("server answered: GraphQL (SAEs, runs, search found " + feature + ", " + neighbours
                            + " features within 2 cosine hops), the web UI" + (info.browser() != null
                            ? ", Neo4j Browser" : ""), t);
                }
            }
        } catch (RuntimeException e) {
            out.flush();
            return new Result(false, step, e.getMessage(), seconds(started));
        } finally {
            delete(dir);
        }
        return new Result(true, null, null, seconds(started));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private void done(String what, long since) {
        out.printf(Locale.ROOT, "ok  %-80s %5.1fs%n", what, (System.nanoTime() - since) / 1e9);
        out.flush();
    }

    private static String askSaes(HttpClient http, String graphql) {
        JsonNode saes = graphql(http, graphql, "{ saes { id width } }").path("saes");
        if (saes.size() != 2) {
            throw new AtlasException("GraphQL saes: expected the 2 SAEs of the small demo, found " + saes);
        }
        return saes.get(0).path("id").asText();
    }

    /**
     * Takes a word of the explanation of one of the SAE's first features, searches it within the SAE and returns
     * the first hit's feature.
     */
    private static String askSearch(HttpClient http, String graphql, String sae) {
        JsonNode features = graphql(http, graphql, "{ features(sae: \"" + sae + "\", first: 5) { totalCount"
                + " edges { node { id explanation } } } }").path("features");
        String word = null;
        for (JsonNode edge : features.path("edges")) {
            for (String w : edge.path("node").path("explanation").asText("").split("[^A-Za-z]+")) {
                if (w.length() >= 4) {
                    word = w.toLowerCase(Locale.ROOT);
                    break;
                }
            }
            if (word != null) {
                break;
            }
        }
        if (word == null) {
            throw new AtlasException("GraphQL features of " + sae + ": expected explained features, found " + features);
        }
        JsonNode hits = graphql(http, graphql, "{ search(text: \"" + word + "\", first: 5, filters: {saes: [\""
                + sae + "\"]}) { edges { feature { id sae { id } } } } }").path("search").path("edges");
        if (hits.isEmpty() || !sae.equals(hits.get(0).path("feature").path("sae").path("id").asText())) {
            throw new AtlasException("GraphQL search for '" + word + "' in " + sae + ": expected hits in that SAE,"
                    + " found " + hits);
        }
        return hits.get(0).path("feature").path("id").asText();
    }

    /** The SAE's runs (each kind the demo computes, with edges) and the feature's decoder-cosine neighbourhood. */
    private static int askNeighbourhood(HttpClient http, String graphql, String sae, String feature) {
        JsonNode runs = graphql(http, graphql, "{ runs(sae: \"" + sae + "\") { id kind edgeCount } }").path("runs");
        for (String kind : new String[] {"coactivation", "cosine", "dependence"}) {
            boolean found = false;
            for (JsonNode run : runs) {
                found |= kind.equals(run.path("kind").asText()) && run.path("edgeCount").asLong() > 0;
            }
            if (!found) {
                throw new AtlasException("GraphQL runs of " + sae + ": expected a " + kind + " run with edges, found "
                        + runs);
            }
        }
        JsonNode sub = graphql(http, graphql, "{ subgraph(feature: \"" + feature + "\", kind: COSINE, hops: 2)"
                + " { nodes { id } edges { source target } } }").path("subgraph");
        if (sub.path("nodes").size() < 2 || sub.path("edges").isEmpty()) {
            throw new AtlasException("GraphQL subgraph of " + feature + " along decoder cosine: expected its top-k"
                    + " neighbours, found " + sub);
        }
        return sub.path("nodes").size();
    }

    private static JsonNode graphql(HttpClient http, String url, String query) {
        String body = send(http, HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode().put("query", query).toString())),
                url);
        try {
            JsonNode answer = JSON.readTree(body);
            if (answer.hasNonNull("errors")) {
                throw new AtlasException(url + " answered errors to " + query + ": " + answer.get("errors"));
            }
            return answer.path("data");
        } catch (IOException e) {
            throw new AtlasException(url + " answered something other than JSON to " + query + ": " + body, e);
        }
    }

    private static void get(HttpClient http, String url, String expected) {
        String body = send(http, HttpRequest.newBuilder(URI.create(url)).GET(), url);
        if (expected != null && !body.toLowerCase(Locale.ROOT).contains(expected)) {
            throw new AtlasException(url + ": expected a page containing " + expected + ", found "
                    + body.substring(0, Math.min(200, body.length())));
        }
    }

    private static String send(HttpClient http, HttpRequest.Builder request, String url) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AtlasException(url + " answered HTTP " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new AtlasException(url + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AtlasException("interrupted while asking " + url, e);
        }
    }

    private void delete(Path dir) {
        try {
            org.saeatlas.ingest.formats.Folders.deleteTree(dir);
        } catch (IOException | UncheckedIOException e) {
            err.println("note: could not remove the check's temporary folder " + dir + ": " + e.getMessage());
        }
    }
}
