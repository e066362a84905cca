package org.saeatlas.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.saeatlas.compute.demo.DemoAtlasGenerator;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.store.SyntheticAtlas;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.store.AtlasLoad;
import org.saeatlas.ingest.store.BulkImport;
import org.saeatlas.ingest.store.Rows;
import org.saeatlas.schema.Vocabulary;
import org.saeatlas.server.AtlasServer;

/**
 * Load benchmark of the GraphQL API on loopback: concurrent kept-alive HTTP clients ({@link LoopbackClient}) against a real server over the embedded
 * database holding a synthetic atlas (default 131,072 features with explanations, 1,000,000 dependence edges),
 * for three queries: a feature page, a 2-hop neighbourhood capped at 200 nodes, and a search. Prints throughput,
 * p50/p99 latency and errors per query.
 */
public final class ApiLoadBenchmark {

    /**
     * {@code warmup}: seconds of the three queries mixed before the first measurement; {@code only}: the queries to
     * measure by short name ({@code feature}, {@code subgraph}, {@code search}), empty for all.
     */
    public record Parameters(int features, int edges, int clients, int seconds, int warmup, List<String> only,
                             long seed, boolean projections) {
        public Parameters {
            only = List.copyOf(only);
            for (String q : only) {
                if (!QUERIES.contains(q)) {
                    throw new IllegalArgumentException("--only: unknown query '" + q + "', expected one of " + QUERIES);
                }
            }
        }

        boolean measures(String query) {
            return only.isEmpty() || only.contains(query);
        }
    }

    static final List<String> QUERIES = List.of("feature", "subgraph", "search");

    /** {@code cpuMsPerRequest}: process CPU time (server, database and the clients: one JVM) per request. */
    public record Figures(String query, long requests, long errors, double perSecond, double p50Ms, double p90Ms,
                          double p99Ms, double maxMs, double cpuMsPerRequest) { }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] THEMES = {"legal", "code", "cooking", "sports", "music", "biology", "finance",
        "weather", "travel", "medicine", "astronomy", "politics"};

    private ApiLoadBenchmark() {
    }

    /** Loads the synthetic atlas into {@code data} if it is not there yet, serves it and measures. */
    public static List<Figures> run(Path data, Parameters p, PrintStream out) throws Exception {
        return run(data, p, null, out);
    }

    /**
     * As {@link #run(Path, Parameters, PrintStream)}, the queries measured by {@code wrk} (an outside client,
     * {@link WrkClient#locate}) when it is not null, by the in-JVM loopback clients when it is.
     */
    public static List<Figures> run(Path data, Parameters p, WrkClient wrk, PrintStream out) throws Exception {
        Neo4jTarget target = new Neo4jTarget(null, null, null, data.resolve("neo4j"), 0, 0, "1g");
        AtlasDatabase db;
        if (!Files.exists(data.resolve("neo4j"))) {
            out.printf(Locale.ROOT, "loading a synthetic atlas: %,d features, %,d edges (offline import) ...%n",
                    p.features(), p.edges());
            db = AtlasLoad.load(target, content(p), AtlasLoad.Mode.AUTO, new ProgressPrinter(out)).database();
        } else {
            out.println("reusing the atlas in " + data);
            db = AtlasDatabase.open(target);
        }
        // an index the server relies on missing makes every figure many times worse: say which, before measuring
        String indexes = org.saeatlas.ingest.db.SchemaIndexes.warning(db.cypher());
        out.println(indexes != null ? indexes : "every index and constraint the server relies on is online");
        try (AtlasServer server = AtlasServer.start(db, "127.0.0.1", 0, p.projections() ? Map.of()
                : Map.of("atlas.projection.max-edges", 0, "atlas.search.max-explanations", 0,
                        "atlas.core-reads", false))) {
            String url = server.info().graphql();
            if (p.projections()) {
                long t0 = System.nanoTime();
                org.saeatlas.server.store.RunProjections projections = server.bean(
                        org.saeatlas.server.store.RunProjections.class);
                org.saeatlas.server.store.ExplanationIndex index = server.bean(
                        org.saeatlas.server.store.ExplanationIndex.class);
                projections.awaitIdle(Duration.ofMinutes(10));
                index.awaitIdle(Duration.ofMinutes(10));
                out.printf(Locale.ROOT, "run projections and search index ready after %.1f s: %s; %s%n",
                        (System.nanoTime() - t0) / 1e9, projections.describe(), index.ready());
            } else {
                out.println("run projections, Core API reads and search index off: everything read through Cypher,"
                        + " search through Neo4j's full-text index");
            }
            Random pick = new Random(p.seed());
            IntFunction<String> features = i -> featurePage(pick.nextInt(p.features()));
            IntFunction<String> subgraphs = i -> subgraph(pick.nextInt(p.features()));
            IntFunction<String> searches = i -> search(THEMES[Math.floorMod(i, THEMES.length)]);
            if (p.warmup() > 0) {
                out.printf(Locale.ROOT, "warming up: the three queries mixed, %d clients, %d s%n", p.clients(),
                        p.warmup());
                AtomicLong count = new AtomicLong();
                AtomicLong errors = new AtomicLong();
                run(url, p.clients(), p.warmup(), i -> switch (Math.floorMod(i, 3)) {
                    case 0 -> features.apply(i);
                    case 1 -> subgraphs.apply(i);
                    default -> searches.apply(i);
                }, new long[1 << 20], count, errors);
                out.printf(Locale.ROOT, "  %,d requests, %d errors%n", count.get(), errors.get());
            }
            if (wrk != null) {
                return measureWithWrk(wrk, url, p, data, out);
            }
            List<Figures> figures = new ArrayList<>();
            if (p.measures("feature")) {
                figures.add(measure("feature page", url, p, features, out));
            }
            if (p.measures("subgraph")) {
                figures.add(measure("2-hop subgraph (cap 200)", url, p, subgraphs, out));
            }
            if (p.measures("search")) {
                figures.add(measure("search", url, p, searches, out));
            }
            out.println();
            out.printf(Locale.ROOT, "%-26s %10s %8s %10s %9s %9s %9s %9s %12s%n", "query", "requests", "errors",
                    "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "CPU ms/req");
            for (Figures f : figures) {
                out.printf(Locale.ROOT, "%-26s %,10d %8d %,10.0f %9.1f %9.1f %9.1f %9.1f %12.2f%n", f.query(),
                        f.requests(), f.errors(), f.perSecond(), f.p50Ms(), f.p90Ms(), f.p99Ms(), f.maxMs(),
                        f.cpuMsPerRequest());
            }
            return figures;
        } finally {
            db.close();
        }
    }

    /** A feature index that cannot be a real one: where the random index goes in a body sent by wrk. */
    private static final int MARK = 1_987_654_321;

    /** The three queries as wrk workloads: the same bodies as the loopback clients send. */
    static Map<String, WrkClient.Workload> wrkWorkloads(Parameters p) {
        Map<String, WrkClient.Workload> w = new java.util.LinkedHashMap<>();
        if (p.measures("feature")) {
            w.put("feature page", split(featurePage(MARK), p.features()));
        }
        if (p.measures("subgraph")) {
            w.put("2-hop subgraph (cap 200)", split(subgraph(MARK), p.features()));
        }
        if (p.measures("search")) {
            w.put("search", WrkClient.Workload.inTurn(Arrays.stream(THEMES).map(ApiLoadBenchmark::search).toList()));
        }
        return w;
    }

    private static WrkClient.Workload split(String body, int features) {
        String mark = String.valueOf(MARK);
        int at = body.indexOf(mark);
        if (at < 0 || body.indexOf(mark, at + 1) >= 0) {
            throw new IllegalStateException("the feature index must occur once in " + body);
        }
        return WrkClient.Workload.randomFeature(body.substring(0, at), body.substring(at + mark.length()), features);
    }

    /**
     * Each query measured by wrk, an outside client with {@code clients} connections: first a few bodies of each
     * workload sent here and checked (wrk counts HTTP errors only, not GraphQL errors), then 3 s of wrk to warm up,
     * then the measured run. CPU per request is this JVM's (server and database: the client is another process).
     */
    private static List<Figures> measureWithWrk(WrkClient wrk, String url, Parameters p, Path data, PrintStream out)
            throws Exception {
        Map<String, WrkClient.Workload> workloads = wrkWorkloads(p);
        Random pick = new Random(p.seed());
        try (LoopbackClient http = new LoopbackClient(URI.create(url))) {
            for (Map.Entry<String, WrkClient.Workload> e : workloads.entrySet()) {
                WrkClient.Workload w = e.getValue();
                for (int k = 0; k < 12; k++) {
                    String body = w.features() > 0 ? w.prefix() + pick.nextInt(w.features()) + w.suffix()
                            : w.bodies().get(k % w.bodies().size());
                    LoopbackClient.Response r = http.post(body);
                    if (r.status() != 200 || r.body().contains("\"errors\"")) {
                        throw new IllegalStateException("bench api --wrk: the " + e.getKey() + " body " + body
                                + " was answered with HTTP " + r.status() + ": " + r.body());
                    }
                }
            }
        }
        int threads = Math.max(1, Math.min(p.clients(), Runtime.getRuntime().availableProcessors()));
        out.printf(Locale.ROOT, "client: %s, an outside process: %d connections over %d threads, random feature ids"
                + " (12 bodies of each query checked for GraphQL errors first)%n", wrk.version(), p.clients(), threads);
        Path scripts = Files.createDirectories(data);
        List<Figures> figures = new ArrayList<>();
        for (Map.Entry<String, WrkClient.Workload> e : workloads.entrySet()) {
            out.println("measuring " + e.getKey() + " with wrk: " + p.clients() + " connections, " + p.seconds()
                    + " s (after 3 s warm-up)");
            wrk.run(url, e.getValue(), p.clients(), threads, 3, p.seed() + 1, scripts);
            double cpu0 = AtlasLoad.processCpuSeconds();
            WrkClient.Result r = wrk.run(url, e.getValue(), p.clients(), threads, p.seconds(), p.seed(), scripts);
            double cpuMs = (AtlasLoad.processCpuSeconds() - cpu0) * 1e3 / Math.max(1, r.requests());
            figures.add(new Figures(e.getKey(), r.requests(), r.socketErrors() + r.statusErrors(), r.perSecond(),
                    r.p50Us() / 1e3, r.p90Us() / 1e3, r.p99Us() / 1e3, r.maxUs() / 1e3, cpuMs));
        }
        out.println();
        out.printf(Locale.ROOT, "%-26s %10s %8s %10s %9s %9s %9s %9s %18s%n", "query (wrk)", "requests", "errors",
                "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "server CPU ms/req");
        for (Figures f : figures) {
            out.printf(Locale.ROOT, "%-26s %,10d %8d %,10.0f %9.1f %9.1f %9.1f %9.1f %18.2f%n", f.query(),
                    f.requests(), f.errors(), f.perSecond(), f.p50Ms(), f.p90Ms(), f.p99Ms(), f.maxMs(),
                    f.cpuMsPerRequest());
        }
        out.println("errors: wrk's socket errors and HTTP statuses above 399 (it does not read GraphQL errors)");
        return figures;
    }

    static BulkImport.Content content(Parameters p) {
        BulkImport.Content base = SyntheticAtlas.generate(p.features(), p.edges(), p.seed());
        List<Rows.ExplanationRow> explanations = new ArrayList<>(p.features());
        for (int f = 0; f < p.features(); f++) {
            explanations.add(new Rows.ExplanationRow(f, "\"" + DemoAtlasGenerator.pseudoWord(f) + "\" in "
                    + THEMES[f % THEMES.length] + " text", "bench", 1.0));
        }
        return new BulkImport.Content(base.models(), base.saes(), base.features(),
                Map.of(SyntheticAtlas.SAE, explanations), base.examples(), base.runs());
    }

    private static String featurePage(int index) {
        return body("""
                query($id: ID!) { feature(id: $id) { id explanation firingRate meanActivation maxActivation
                  sae { id layer width } explanations { text source } examples(first: 3) { tokens values }
                  neighbours(kind: DEPENDENCE, first: 20) { feature { id explanation } weight replicates stable } } }""",
                Map.of("id", Vocabulary.featureId(SyntheticAtlas.SAE, index)));
    }

    private static String subgraph(int index) {
        return body("""
                query($id: ID!) { subgraph(feature: $id, kind: DEPENDENCE, hops: 2, maxNodes: 200) {
                  truncated nodes { id explanation } edges { source target weight } } }""",
                Map.of("id", Vocabulary.featureId(SyntheticAtlas.SAE, index)));
    }

    private static String search(String word) {
        return body("query($q: String!) { search(text: $q, first: 20) { edges { score snippet feature { id } } } }",
                Map.of("q", word));
    }

    private static String body(String query, Map<String, Object> variables) {
        try {
            return JSON.writeValueAsString(Map.of("query", query, "variables", variables));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Figures measure(String name, String url, Parameters p, IntFunction<String> bodies, PrintStream out)
            throws Exception {
        out.println("measuring " + name + ": " + p.clients() + " clients, " + p.seconds() + " s (after 3 s warm-up)");
        run(url, Math.max(1, p.clients()), 3, bodies, new long[1 << 20], new AtomicLong(), new AtomicLong());
        long[] latencies = new long[1 << 22];
        AtomicLong count = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long t0 = System.nanoTime();
        double cpu0 = AtlasLoad.processCpuSeconds();
        run(url, p.clients(), p.seconds(), bodies, latencies, count, errors);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double cpuMs = (AtlasLoad.processCpuSeconds() - cpu0) * 1e3 / Math.max(1, count.get());
        int n = (int) Math.min(count.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        return new Figures(name, count.get(), errors.get(), count.get() / elapsed, quantileMs(sorted, 0.50),
                quantileMs(sorted, 0.90), quantileMs(sorted, 0.99), quantileMs(sorted, 1.0), cpuMs);
    }

    private static double quantileMs(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) (q * (sorted.length - 1))] / 1e6;
    }

    /** {@code clients} threads, each with one kept-alive connection, posting back to back for {@code seconds}. */
    private static void run(String url, int clients, int seconds, IntFunction<String> bodies,
                            long[] latencies, AtomicLong count, AtomicLong errors) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        AtomicLong sequence = new AtomicLong();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                try (LoopbackClient http = new LoopbackClient(URI.create(url))) {
                    while (System.nanoTime() < end) {
                        String body;
                        synchronized (bodies) {
                            body = bodies.apply((int) sequence.getAndIncrement());
                        }
                        long t = System.nanoTime();
                        try {
                            LoopbackClient.Response r = http.post(body);
                            if (r.status() != 200 || r.body().contains("\"errors\"")) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        long k = count.getAndIncrement();
                        if (k < latencies.length) {
                            latencies[(int) k] = System.nanoTime() - t;
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
    }
}
