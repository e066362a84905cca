package org.saeatlas.cli;

import org.saeatlas.cli.AtlasCli.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.demo.DemoAtlas;
import org.saeatlas.compute.demo.DemoAtlasGenerator;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.formats.DType;
import org.saeatlas.ingest.formats.Safetensors;
import org.saeatlas.ingest.formats.ScipySparseNpz;
import org.saeatlas.ingest.formats.Tensor;
import org.saeatlas.ingest.runfolder.RunFolder;
import org.saeatlas.ingest.runfolder.RunFolderReader;

/** The ./atlas commands as a user runs them, on real files in real formats. */
class CommandLineIT {

    static final DemoAtlas DEMO = DemoAtlasGenerator.generate(DemoParameters.small(21));

    @TempDir
    Path dir;

    Run atlas(String... args) {
        return AtlasCli.run(args);
    }

    Path npz() {
        Path file = dir.resolve("acts.npz");
        ScipySparseNpz.write(file, DEMO.saes().get(0).activations(), true);
        return file;
    }

    @Test
    void checkRunsTheWholeInstallationInATemporaryFolderAndRemovesIt() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        java.util.Set<Path> before = checkFolders(tmp);
        Run r = atlas("check", "--device", "java");
        assertEquals(0, r.exit(), r.out() + r.err());
        List<String> ok = r.out().lines().filter(l -> l.startsWith("ok  ")).toList();
        assertEquals(4, ok.size(), r.out());
        assertTrue(ok.get(0).contains("embedded Neo4j started, schema applied"), r.out());
        assertTrue(ok.get(1).contains("small demo atlas generated, computed and loaded (2 SAEs x 512 features)"),
                r.out());
        assertTrue(ok.get(2).contains("every index and constraint the server relies on is online"), r.out());
        ok = List.of(ok.get(0), ok.get(1), ok.get(3));
        // the search hit and the size of its cosine neighbourhood come from the served atlas, not from the request
        assertTrue(java.util.regex.Pattern.compile("search found demo-lm-\\d+-res-512-s0/\\d+, (\\d+) features within 2"
                + " cosine hops\\), the web UI, Neo4j Browser").matcher(ok.get(2)).find(), r.out());
        assertTrue(r.out().contains("check passed in "), r.out());
        assertEquals(before, checkFolders(tmp), "the check's temporary folder is removed");
    }

    @Test
    void checkRefusesAWorkFolderThatIsNotAFolderAndSaysWhatItExpected() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("not-a-folder"), "x");
        Run r = atlas("check", "--device", "java", "--work", file.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("check failed: cannot make a temporary folder in " + file), r.err());
        assertTrue(r.err().contains("expected a writable folder: choose one with --work"), r.err());
        assertTrue(r.out().lines().noneMatch(l -> l.startsWith("ok  ")), r.out());
    }

    private static java.util.Set<Path> checkFolders(Path tmp) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("atlas-check-"))
                    .collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void badOptionValuesAndAnExistingRunFolderAreRefusedBeforeAnyWork() throws Exception {
        Path data = dir.resolve("untouched");
        Run r = atlas("serve", "--port", "99999", "--data", data.toString());
        assertTrue(r.exit() != 0);
        assertTrue(r.err().contains("Invalid value for option '--port': expected a port number 0-65535 (0: choose one),"
                + " found 99999"), r.err());
        r = atlas("demo", "--no-serve", "--bolt-port", "-1", "--data", data.toString());
        assertTrue(r.err().contains("Invalid value for option '--bolt-port': expected a port number 0-65535"), r.err());
        r = atlas("demo", "--no-serve", "--device", "tpu", "--data", data.toString());
        assertTrue(r.exit() != 0);
        assertTrue(r.err().contains("Invalid value for option '--device': expected auto, cpu, gpu or java, found 'tpu'"),
                r.err());
        assertFalse(java.nio.file.Files.exists(data), "nothing was created for a refused command line");
        Path existing = java.nio.file.Files.createDirectories(dir.resolve("run-exists"));
        r = atlas("compute", npz().toString(), "--out", existing.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("run folder " + existing.toAbsolutePath() + " already exists"), r.err());
        assertFalse(r.out().contains("reading "), "refused before reading the activations: " + r.out());
    }

    @Test
    void computeWritesARunFolderThatReadsBack() throws Exception {
        Path out = dir.resolve("run");
        Run r = atlas("compute", npz().toString(), "--out", out.toString(), "--resamples", "6", "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("r*"), r.out());
        List<String> header = Files.readAllLines(out.resolve("edges.csv"));
        assertTrue(header.get(0).startsWith("i,j,replicates,null_replicates,weight,sign_consistency,stable"), header.get(0));
        RunFolder folder = RunFolderReader.read(out);
        assertEquals(6, folder.fdrTable().size());
        assertEquals(6, ((Number) folder.params().get("resamples")).intValue());
        assertFalse(folder.edges().isEmpty());
        // a planted parent-child pair is among the stable edges
        int[] family = DEMO.truth().hierarchies().get(0);
        boolean found = folder.edges().stream().anyMatch(e -> e.stable()
                && Math.min(family[0], family[1]) == e.i() && Math.max(family[0], family[1]) == e.j());
        assertTrue(found, "parent " + family[0] + " - child " + family[1]);
    }

    @Test
    void uncalibratedChoicesWarnAndBadInputsSayWhatIsWrong() throws Exception {
        Run r = atlas("compute", npz().toString(), "--out", dir.resolve("p").toString(), "--resamples", "3",
                "--null", "per-trial");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("miscalibrated"), r.err());

        Path broken = dir.resolve("broken.npz");
        Files.write(broken, new byte[] {'P', 'K', 3, 4, 0, 0});
        Run bad = atlas("compute", broken.toString(), "--out", dir.resolve("x").toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("broken.npz"), bad.err());
        assertFalse(Files.exists(dir.resolve("x")), "no half-written run folder");

        Run option = atlas("compute", npz().toString(), "--out", dir.resolve("y").toString(), "--null", "sometimes");
        assertEquals(2, option.exit());
        assertTrue(option.err().contains("--null: expected one of per-trial, global"), option.err());
    }

    /** An explanations CSV (feature,text,source) of the first demo SAE's first {@code n} features. */
    private Path explanationsCsv(String name, int n) throws java.io.IOException {
        DemoAtlas.Sae sae = DEMO.saes().get(0);
        StringBuilder sb = new StringBuilder("feature,text,source\n");
        for (int f = 0; f < n; f++) {
            sb.append(f).append(",\"").append(sae.explanations().get(f).replace("\"", "\"\"")).append("\",test\n");
        }
        Path csv = dir.resolve(name);
        Files.writeString(csv, sb.toString());
        return csv;
    }

    @Test
    void buildLoadsAnSaeFromFilesIntoTheEmbeddedDatabase() throws Exception {
        DemoAtlas.Sae sae = DEMO.saes().get(0);
        Path csv = explanationsCsv("explanations.csv", 20);
        Path data = dir.resolve("data");
        int bolt = EmbeddedNeo4j.freePort();
        int http = EmbeddedNeo4j.freePort();
        Run r = atlas("build", "--model", "m", "--sae", "m-l6", "--layer", "6", "--activations", npz().toString(),
                "--explanations", csv.toString(), "--resamples", "4", "--data", data.toString(),
                "--bolt-port", String.valueOf(bolt), "--neo4j-http-port", String.valueOf(http));
        assertEquals(0, r.exit(), r.out() + r.err());
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, data.resolve("neo4j"), bolt, http, "64m"));
             var session = db.driver().session()) {
            var row = session.run("""
                    MATCH (s:Sae {id: 'm-l6'})
                    RETURN COUNT { (s)<-[:IN_SAE]-() } AS features,
                           COUNT { (:Explanation {sae: 'm-l6'}) } AS explanations,
                           COLLECT { MATCH (r:Run {sae: 'm-l6', status: 'complete'}) RETURN r.kind } AS kinds""").single();
            assertEquals(sae.width(), row.get("features").asInt());
            assertEquals(20, row.get("explanations").asInt());
            assertEquals(List.of("coactivation", "dependence"), row.get("kinds").asList(v -> v.asString()).stream().sorted().toList());
        }
        // again: nothing is recomputed
        Run again = atlas("build", "--model", "m", "--sae", "m-l6", "--layer", "6", "--activations", npz().toString(),
                "--resamples", "4", "--data", data.toString(), "--bolt-port", String.valueOf(bolt),
                "--neo4j-http-port", String.valueOf(http));
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("already loaded"), again.out());
    }

    /** What a database holds, in a form two databases can be compared by: nodes, runs and edges, without times. */
    private static Map<String, Object> snapshot(Path data, int bolt, int http) {
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, data.resolve("neo4j"), bolt, http,
                "64m"))) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            out.put("saes", db.cypher().read("MATCH (s:Sae) RETURN s {.*} AS s ORDER BY s.id", Map.of()));
            out.put("features", db.cypher().read("""
                    MATCH (f:Feature)-[:IN_SAE]->(:Sae) RETURN f {.*} AS f ORDER BY f.id""", Map.of()));
            out.put("explanations", db.cypher().read("""
                    MATCH (x:Explanation)-[:EXPLAINS]->(f:Feature) RETURN x {.*} AS x, f.id AS f ORDER BY x.id""",
                    Map.of()));
            out.put("examples", db.cypher().read("""
                    MATCH (x:Example)-[:EXAMPLE_OF]->(f:Feature) RETURN x {.*} AS x, f.id AS f ORDER BY x.id""", Map.of()));
            out.put("runs", db.cypher().read("""
                    MATCH (r:Run)-[:ON_SAE]->(s:Sae)
                    RETURN r {.*, createdAt: null, completedAt: null} AS r, s.id AS sae ORDER BY r.id""", Map.of()));
            out.put("edges", db.cypher().read("""
                    MATCH (a:Feature)-[e]->(b:Feature) WHERE e.run IS NOT NULL
                    RETURN type(e) AS type, a.id AS a, b.id AS b, e {.*} AS e ORDER BY e.run, a, b""", Map.of()));
            return out;
        }
    }

    @Test
    void anOfflineBuildStoresExactlyWhatAnOnlineBuildStores() throws Exception {
        Path csv = explanationsCsv("offline-explanations.csv", 30);
        int bolt = EmbeddedNeo4j.freePort();
        int http = EmbeddedNeo4j.freePort();
        Map<String, Path> data = new java.util.LinkedHashMap<>();
        for (String mode : List.of("online", "offline")) {
            data.put(mode, dir.resolve("build-" + mode));
            List<String> args = new java.util.ArrayList<>(List.of("build", "--model", "m", "--sae", "m-l6", "--layer",
                    "6", "--activations", npz().toString(), "--explanations", csv.toString(), "--resamples", "4",
                    "--data", data.get(mode).toString(), "--bolt-port", String.valueOf(bolt), "--neo4j-http-port",
                    String.valueOf(http)));
            if (mode.equals("offline")) {
                args.add("--offline");
            }
            Run r = atlas(args.toArray(String[]::new));
            assertEquals(0, r.exit(), r.out() + r.err());
            if (mode.equals("offline")) {
                assertTrue(r.out().contains("offline import:"), r.out());
            }
        }
        Map<String, Object> online = snapshot(data.get("online"), bolt, http);
        Map<String, Object> offline = snapshot(data.get("offline"), bolt, http);
        for (String part : online.keySet()) {
            assertEquals(online.get(part), offline.get(part), part + " differ between an online and an offline build");
        }
        assertTrue(((List<?>) online.get("edges")).size() > 100, "edges compared: " + ((List<?>) online.get("edges")).size());
        assertTrue(online.toString().contains("histogram"), "histograms compared");
        // the offline importer only writes new databases
        Run refused = atlas("build", "--model", "m", "--sae", "m-l6b", "--layer", "6", "--activations",
                npz().toString(), "--no-dependence", "--offline", "--data", data.get("offline").toString(),
                "--bolt-port", String.valueOf(bolt), "--neo4j-http-port", String.valueOf(http));
        assertTrue(refused.exit() != 0, refused.out());
        assertTrue(refused.err().contains("--offline loads a new embedded database"), refused.err());
    }

    /**
     * A delphi latent cache saved with tokens (one split file, uint32 locations, float16 activations), a
     * tokenizer.json and delphi explanation files: the examples are made from the cache's own tokens.
     */
    @Test
    void buildFromADelphiCacheMakesExamplesFromItsTokens() throws Exception {
        int ctx = 16;
        var acts = DEMO.saes().get(0).activations();
        int rows = acts.tokens() / ctx * ctx;
        acts = acts.selectRows(java.util.stream.IntStream.range(0, rows).toArray());
        long[] loc = new long[3 * acts.nnz()];
        float[] val = new float[acts.nnz()];
        for (int t = 0, k = 0; t < rows; t++) {
            for (int e = acts.rowPtr()[t]; e < acts.rowPtr()[t + 1]; e++, k++) {
                loc[3 * k] = t / ctx;
                loc[3 * k + 1] = t % ctx;
                loc[3 * k + 2] = acts.features()[e];
                val[k] = acts.values()[e];
            }
        }
        long[] tokens = new long[rows];
        for (int t = 0; t < rows; t++) {
            tokens[t] = t % 50;
        }
        Path hook = dir.resolve("latents").resolve(".gpt_neox.layers.5");
        Files.createDirectories(hook);
        Safetensors.write(hook.resolve("0_" + (acts.featureCount() - 1) + ".safetensors"), java.util.Map.of(), List.of(
                Tensor.ofLongs("locations", DType.U32, new long[] {val.length, 3}, loc),
                Tensor.ofFloats("activations", DType.F16, new long[] {val.length}, val),
                Tensor.ofLongs("tokens", DType.I64, new long[] {rows / ctx, ctx}, tokens)));
        StringBuilder vocab = new StringBuilder("{\"decoder\":{\"type\":\"ByteLevel\"},\"model\":{\"vocab\":{");
        for (int v = 0; v < 50; v++) {
            vocab.append(v == 0 ? "" : ",").append("\"\u0120w").append(v).append("\":").append(v);
        }
        Path tokenizer = dir.resolve("tokenizer.json");
        Files.writeString(tokenizer, vocab.append("}}}").toString());
        Path explanations = dir.resolve("explanations");
        Files.createDirectories(explanations);
        for (int f = 0; f < 5; f++) {
            Files.writeString(explanations.resolve(".gpt_neox.layers.5_latent" + f + ".txt"), "\"feature " + f + " text\"");
        }
        Path data = dir.resolve("data");
        int bolt = EmbeddedNeo4j.freePort();
        int http = EmbeddedNeo4j.freePort();
        Run r = atlas("build", "--model", "pythia", "--sae", "p-l5", "--layer", "5", "--activations",
                dir.resolve("latents").toString(), "--vocab", tokenizer.toString(), "--examples-per-feature", "3",
                "--example-window", "4,2", "--explanations", explanations.toString(), "--no-dependence",
                "--data", data.toString(), "--bolt-port", String.valueOf(bolt), "--neo4j-http-port", String.valueOf(http));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("activating examples from the tokens of"), r.out());
        // the strongest window of feature 0, recomputed here from the activations as stored (float16)
        acts = org.saeatlas.ingest.formats.ActivationFiles.read(dir.resolve("latents"));
        int best = -1;
        float bestValue = 0;
        for (int t = 0; t < rows; t++) {
            int e = java.util.Arrays.binarySearch(acts.features(), acts.rowPtr()[t], acts.rowPtr()[t + 1], 0);
            if (e >= 0 && acts.values()[e] > bestValue) {
                best = t;
                bestValue = acts.values()[e];
            }
        }
        int start = Math.max(best / ctx * ctx, best - 4);
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, data.resolve("neo4j"), bolt, http, "64m"));
             var session = db.driver().session()) {
            var row = session.run("""
                    MATCH (f:Feature {sae: 'p-l5', index: 0})
                    RETURN COUNT { (f)<-[:EXAMPLE_OF]-() } AS examples,
                           [(f)<-[:EXPLAINS]-(x) | x.text] AS texts,
                           [(f)<-[:EXAMPLE_OF]-(x:Example {rank: 0}) | x.tokens][0] AS top""").single();
            assertTrue(row.get("examples").asInt() >= 1 && row.get("examples").asInt() <= 3, row.toString());
            assertEquals(List.of("feature 0 text"), row.get("texts").asList(v -> v.asString()));
            List<String> top = row.get("top").asList(v -> v.asString());
            assertEquals(" w" + (start % 50), top.get(0), "tokens are the vocabulary's text for the cache's ids");
            assertEquals(" w" + (best % 50), top.get(best - start));
        }
    }

    /**
     * Two SAEs built from files, then matched (activation correlation from the command line, and structure by
     * default because both have co-activation runs), analysed (Leiden and Louvain) and compared, as a user would.
     */
    @Test
    void matchAnalyseAndCompareFromTheCommandLine() throws Exception {
        Path data = dir.resolve("data");
        String[] db = {"--data", data.toString(), "--bolt-port", String.valueOf(EmbeddedNeo4j.freePort()),
                "--neo4j-http-port", String.valueOf(EmbeddedNeo4j.freePort())};
        Path[] acts = new Path[2];
        for (int s = 0; s < 2; s++) {
            acts[s] = dir.resolve("acts-" + s + ".npz");
            ScipySparseNpz.write(acts[s], DEMO.saes().get(s).activations(), true);
            Run b = atlas(concat(new String[] {"build", "--model", "m", "--sae", "s" + s, "--layer", "6",
                    "--activations", acts[s].toString(), "--resamples", "4"}, db));
            assertEquals(0, b.exit(), b.out() + b.err());
        }
        Run m = atlas(concat(new String[] {"match", "s0", "s1", "--activations-a", acts[0].toString(),
                "--activations-b", acts[1].toString()}, db));
        assertEquals(0, m.exit(), m.out() + m.err());
        assertTrue(m.out().contains("activation_correlation: match run match-"), m.out());
        assertTrue(m.out().contains("structural: match run structural-match-")
                && m.out().contains("not counted in seed stability"), m.out());
        String coA;
        String coB;
        String structural;
        int[] truth = DEMO.truth().bOfA();
        try (AtlasDatabase atlas = AtlasDatabase.open(Neo4jTarget.embedded(data.resolve("neo4j")));
             var session = atlas.driver().session()) {
            coA = session.run("MATCH (r:Run {sae: 's0', kind: 'coactivation'}) RETURN r.id AS id").single()
                    .get("id").asString();
            coB = session.run("MATCH (r:Run {sae: 's1', kind: 'coactivation'}) RETURN r.id AS id").single()
                    .get("id").asString();
            structural = session.run("MATCH (r:Run {kind: 'structural_match'}) RETURN r.id AS id").single()
                    .get("id").asString();
            int recovered = 0;
            int shared = 0;
            for (var r : session.run("""
                    MATCH (a:Feature {sae: 's0'})-[:MATCHES {method: 'activation_correlation/assignment'}]
                          ->(b:Feature {sae: 's1'}) RETURN a.index AS a, b.index AS b""").list()) {
                recovered += truth[r.get("a").asInt()] == r.get("b").asInt() ? 1 : 0;
            }
            for (int x : truth) {
                shared += x >= 0 ? 1 : 0;
            }
            assertTrue(recovered >= 0.95 * shared, "activation correlation recovered " + recovered + " of " + shared);
            // matchedIn counts the activation-correlation match only
            long stable = session.run("MATCH (f:Feature {sae: 's0'}) WHERE f.matchedIn = 1 RETURN count(f) AS n")
                    .single().get("n").asLong();
            assertTrue(stable >= recovered && stable <= shared + 0.05 * (truth.length - shared), "matchedIn " + stable);
        }
        Run louvain = atlas(concat(new String[] {"analyse", coA, "--algorithm", "louvain"}, db));
        assertEquals(0, louvain.exit(), louvain.out() + louvain.err());
        assertTrue(louvain.out().contains(": louvain, modularity"), louvain.out());
        for (String run : List.of(coA, coB)) {
            Run leiden = atlas(concat(new String[] {"analyse", run}, db));
            assertEquals(0, leiden.exit(), leiden.out() + leiden.err());
            assertTrue(leiden.out().contains(": leiden seed 42, modularity"), leiden.out());
        }
        Run compare = atlas(concat(new String[] {"compare", coA, coB, "--baseline-seeds", "3"}, db));
        assertEquals(0, compare.exit(), compare.out() + compare.err());
        assertTrue(compare.out().contains("under match run match-"), compare.out());
        assertTrue(compare.out().contains("communities under the matching: ARI"), compare.out());
        Run refused = atlas(concat(new String[] {"compare", coA, coB, "--match-run", structural}, db));
        assertEquals(2, refused.exit(), refused.out());
        assertTrue(refused.err().contains("neighbourhood structure"), refused.err());
        Run dependence = atlas(concat(new String[] {"match", "s0", "s1", "--method", "structural", "--graph",
                "dependence"}, db));
        assertEquals(0, dependence.exit(), dependence.out() + dependence.err());
        assertTrue(dependence.out().contains("graphs of dependence-"), dependence.out());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
