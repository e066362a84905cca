package org.saeatlas.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.bench.IngestBenchmark;
import org.saeatlas.ingest.db.Neo4jTarget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchCommand.Ingest.class, BenchCommand.Api.class, BenchCommand.Analyse.class,
            BenchReleaseCommand.class, BenchScaleCommand.class, ExplanationsBenchmark.class})
class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "Load a synthetic atlas (default 131,072 features, 1,000,000 edges) into a new embedded"
                    + " database (or --neo4j-uri, online only) and print nodes/s and relationships/s.")
    static class Ingest implements Callable<Integer> {

        @Option(names = "--mode", defaultValue = "online",
                description = "naive (the reference UNWIND/MERGE loader), online (AtlasWriter), offline (Neo4j's"
                        + " importer into a new database), or all: each of them in a JVM of its own, one after"
                        + " another, then a summary with the ratios to naive (default: ${DEFAULT-VALUE}).")
        String mode;

        @Option(names = "--features", defaultValue = "131072", description = "Features (default: ${DEFAULT-VALUE}).")
        int features;

        @Option(names = "--edges", defaultValue = "1000000", description = "Edges (default: ${DEFAULT-VALUE}).")
        int edges;

        @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--data", description = "Folder for the new embedded database (default: a temporary folder, deleted after).")
        Path data;

        @Option(names = "--neo4j-uri", defaultValue = "${env:NEO4J_URI}",
                description = "Benchmark against this server instead (it gets a 'bench-sae' SAE; delete it with 'runs delete --sae bench-sae').")
        String uri;

        @Option(names = "--neo4j-user", defaultValue = "${env:NEO4J_USER:-neo4j}", description = "User for --neo4j-uri.")
        String user;

        @Option(names = "--neo4j-password", defaultValue = "${env:NEO4J_PASSWORD}", description = "Password for --neo4j-uri.")
        String password;

        @Option(names = "--page-cache", defaultValue = "1g", description = "Page cache of the embedded database (default: ${DEFAULT-VALUE}).")
        String pageCache;

        @Override
        public Integer call() throws IOException {
            if (mode.equals("all")) {
                return allModes();
            }
            boolean temporary = data == null && uri == null;
            Path folder = temporary ? Files.createTempDirectory("atlas-bench") : data;
            if (uri == null && Files.exists(folder.resolve("neo4j"))) {
                throw new AtlasException("bench ingest: " + folder.resolve("neo4j") + " exists; the benchmark needs a new"
                        + " database folder (omit --data for a temporary one)");
            }
            Neo4jTarget target = uri != null ? Neo4jTarget.server(uri, user, password)
                    : new Neo4jTarget(null, null, null, folder.resolve("neo4j"), 0, 0, pageCache);
            try {
                IngestBenchmark.run(new IngestBenchmark.Parameters(mode, features, edges, seed), target, System.out,
                        new ProgressPrinter(System.out));
            } finally {
                if (temporary) {
                    deleteTree(folder);
                }
            }
            return 0;
        }

        /**
         * Each mode in a JVM of its own (so no mode runs on code the JIT compiled for another), one after another,
         * their output passed through, then the end-to-end seconds side by side. On a server: naive and online.
         */
        private int allModes() throws IOException {
            List<String> modes = uri == null ? List.of("naive", "online", "offline") : List.of("naive", "online");
            Map<String, Double> seconds = new LinkedHashMap<>();
            for (String m : modes) {
                List<String> command = new ArrayList<>();
                command.add(ProcessHandle.current().info().command()
                        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench",
                        "ingest", "--mode", m, "--features", String.valueOf(features), "--edges",
                        String.valueOf(edges), "--seed", String.valueOf(seed), "--page-cache", pageCache));
                if (data != null) {
                    command.addAll(List.of("--data", data.resolve(m).toString()));
                }
                if (uri != null) {
                    command.addAll(List.of("--neo4j-uri", uri, "--neo4j-user", user));
                }
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
                if (uri != null && password != null) { // by the environment, never on a command line others read
                    builder.environment().put("NEO4J_PASSWORD", password);
                }
                System.out.println("== " + m + " (a JVM of its own)");
                System.out.flush();
                Process child = builder.start();
                Pattern endToEnd = Pattern.compile("^" + m + " end to end: .* ready in ([0-9.]+)s");
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        System.out.println(line);
                        Matcher found = endToEnd.matcher(line);
                        if (found.find()) {
                            seconds.put(m, Double.parseDouble(found.group(1)));
                        }
                    }
                }
                int exit;
                try {
                    exit = child.waitFor();
                } catch (InterruptedException e) {
                    child.destroy();
                    Thread.currentThread().interrupt();
                    throw new AtlasException("bench ingest --mode all: interrupted during the " + m + " run");
                }
                if (exit != 0 || !seconds.containsKey(m)) {
                    throw new AtlasException("bench ingest --mode all: the " + m + " run failed (exit " + exit
                            + "); its output is above");
                }
            }
            System.out.printf(Locale.ROOT, "summary: %,d features + %,d edges, each mode alone in its own JVM,"
                    + " end to end (from memory to a ready database, DBMS start not counted):%n", features, edges);
            double naive = seconds.get("naive");
            for (Map.Entry<String, Double> e : seconds.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-8s %8.1f s  %5.1fx naive%n", e.getKey(), e.getValue(),
                        naive / e.getValue());
            }
            return 0;
        }

        private static void deleteTree(Path root) {
            try {
                org.saeatlas.ingest.formats.Folders.deleteTree(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "api", mixinStandardHelpOptions = true,
            description = "Load benchmark of the GraphQL API: concurrent clients on loopback against the server over a"
                    + " synthetic atlas (default 131,072 features, 1,000,000 edges; loaded into --data on first use),"
                    + " for a feature page, a 2-hop neighbourhood capped at 200 nodes and a search. Prints throughput"
                    + " and p50/p99 latency; --wrk measures with wrk, an outside client.")
    static class Api implements Callable<Integer> {

        @Option(names = "--data", defaultValue = "atlas-bench", description = "Folder of the benchmark atlas (default: ${DEFAULT-VALUE}).")
        Path data;

        @Option(names = "--features", defaultValue = "131072", description = "Features (default: ${DEFAULT-VALUE}).")
        int features;

        @Option(names = "--edges", defaultValue = "1000000", description = "Edges (default: ${DEFAULT-VALUE}).")
        int edges;

        @Option(names = "--clients", defaultValue = "16", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per query (default: ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--warmup", defaultValue = "30", description = "Seconds of all three queries mixed before any"
                + " is measured, so that the JIT has compiled the hot paths and the figures are the steady state"
                + " (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--only", split = ",", description = "Measure only these queries: feature, subgraph, search"
                + " (default: all three).")
        java.util.List<String> only;

        @Option(names = "--wrk", description = "Measure with wrk (https://github.com/wg/wrk), an outside client"
                + " process, instead of the built-in clients in this JVM: --clients connections, random feature ids"
                + " (a Lua script); CPU per request is then the server's alone. wrk must be installed (checked first).")
        boolean wrk;

        @Option(names = "--no-projections", description = "Read everything through Cypher and search with Neo4j's"
                + " full-text index (the server's in-memory run projections, Core API reads and search index off),"
                + " to compare.")
        boolean noProjections;

        @Override
        public Integer call() throws Exception {
            // wrk is looked for before the atlas is loaded, which can take minutes
            org.saeatlas.server.bench.WrkClient client = wrk
                    ? org.saeatlas.server.bench.WrkClient.locate(System.getenv("PATH")) : null;
            org.saeatlas.server.bench.ApiLoadBenchmark.run(data,
                    new org.saeatlas.server.bench.ApiLoadBenchmark.Parameters(features, edges, clients, seconds, warmup,
                            only == null ? java.util.List.of() : only, 42L, !noProjections),
                    client, System.out);
            return 0;
        }
    }

    @Command(name = "analyse", aliases = "analyze", mixinStandardHelpOptions = true,
            description = "Time `analyse` at the issue's size: a modular synthetic atlas (default 131,072 features,"
                    + " 1,000,000 co-activation edges, modules of 32 holding 90%% of them) bulk imported into a new"
                    + " embedded database, then GDS projection, WCC, Leiden, shapes and write-back, each timed; prints"
                    + " the modularity and the agreement of the communities with the planted modules.")
    static class Analyse implements Callable<Integer> {

        @Option(names = "--features", defaultValue = "131072", description = "Features (default: ${DEFAULT-VALUE}).")
        int features;

        @Option(names = "--edges", defaultValue = "1000000", description = "Edges (default: ${DEFAULT-VALUE}).")
        int edges;

        @Option(names = "--module-size", defaultValue = "32", description = "Planted module size (default: ${DEFAULT-VALUE}).")
        int moduleSize;

        @Option(names = "--inside", defaultValue = "0.9", description = "Share of edges inside modules (default: ${DEFAULT-VALUE}).")
        double inside;

        @Option(names = "--algorithm", defaultValue = "leiden", description = "leiden or louvain (default: ${DEFAULT-VALUE}).")
        String algorithm;

        @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--data", description = "Folder for the new embedded database (default: a temporary folder, deleted after).")
        Path data;

        @Option(names = "--page-cache", defaultValue = "1g", description = "Page cache of the embedded database (default: ${DEFAULT-VALUE}).")
        String pageCache;

        @Override
        public Integer call() throws IOException {
            org.saeatlas.ingest.analytics.CommunityAlgorithm a = switch (algorithm.toLowerCase(java.util.Locale.ROOT)) {
                case "leiden" -> org.saeatlas.ingest.analytics.CommunityAlgorithm.LEIDEN;
                case "louvain" -> org.saeatlas.ingest.analytics.CommunityAlgorithm.LOUVAIN;
                default -> throw new AtlasException("--algorithm: expected leiden or louvain, found '" + algorithm + "'");
            };
            Path folder = data == null ? Files.createTempDirectory("atlas-bench-analyse") : data;
            if (Files.exists(folder.resolve("neo4j"))) {
                throw new AtlasException("bench analyse: " + folder.resolve("neo4j") + " exists; the benchmark needs a"
                        + " new database folder (omit --data for a temporary one)");
            }
            try {
                org.saeatlas.ingest.bench.AnalyseBenchmark.run(new org.saeatlas.ingest.bench.AnalyseBenchmark.Parameters(
                        features, edges, moduleSize, inside, seed, a),
                        new Neo4jTarget(null, null, null, folder.resolve("neo4j"), 0, 0, pageCache), System.out,
                        new ProgressPrinter(System.out));
            } finally {
                if (data == null) {
                    Ingest.deleteTree(folder);
                }
            }
            return 0;
        }
    }
}
