package org.saeatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.cli.AtlasCli.Run;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.formats.DType;
import org.saeatlas.ingest.formats.NpyWriter;
import org.saeatlas.ingest.formats.Safetensors;
import org.saeatlas.ingest.formats.Tensor;
import org.saeatlas.server.AtlasServer;

/**
 * {@code ./atlas add-sae}: an SAE from what is known about it, without activations. Statistics are absent (no
 * property, GraphQL null), never zero; decoder weights give a cosine run; a later build with activations fills the
 * statistics in; the real SAELens "weights missing" folder gives its training firing rates, labelled as such.
 */
class AddSaeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final int bolt = EmbeddedNeo4j.freePort();
    private final int http = EmbeddedNeo4j.freePort();

    private String[] db(String... args) {
        return AtlasCli.withDatabase(dir.resolve("data"), bolt, http, args);
    }

    private AtlasDatabase open() {
        return AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("data").resolve("neo4j"), bolt, http,
                "64m"));
    }

    static JsonNode graphql(AtlasServer server, String query) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                server.info().graphql())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", query)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertTrue(!body.has("errors"), body.toString());
        return body.get("data");
    }

    @Test
    void anSaeFromFlagsHasNoInventedStatisticsUntilActivationsFillThemIn() throws Exception {
        int width = 16;
        Path expl = dir.resolve("expl.csv");
        Files.writeString(expl, "feature,text,source\n3,mentions of lighthouses,neuronpedia\n"
                + "5,closing brackets in code,neuronpedia\n");
        Run r = AtlasCli.run(db("add-sae", "--model", "gpt2-small", "--sae", "8-res-jb", "--layer", "8",
                "--hook", "blocks.8.hook_resid_pre", "--width", String.valueOf(width), "--d-in", "4",
                "--explanations", expl.toString()));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("no activations"), r.out());
        try (AtlasDatabase db = open()) {
            try (var s = db.driver().session()) {
                var row = s.run("""
                        MATCH (s:Sae {id: '8-res-jb'})
                        RETURN s.width AS width, s.dIn AS dIn, s.hookPoint AS hook, s.layer AS layer,
                               s.histogramEdges IS NULL AS noEdges,
                               COUNT { (s)<-[:IN_SAE]-() } AS features,
                               COUNT { MATCH (f:Feature {sae: '8-res-jb'}) WHERE f.firingRate IS NOT NULL
                                       OR f.meanActivation IS NOT NULL OR f.maxActivation IS NOT NULL
                                       OR f.histogram IS NOT NULL } AS withStats,
                               COUNT { MATCH (r:Run) } AS runs""").single();
                assertEquals(width, row.get("width").asInt());
                assertEquals(4, row.get("dIn").asInt());
                assertEquals(8, row.get("layer").asInt());
                assertEquals("blocks.8.hook_resid_pre", row.get("hook").asString());
                assertTrue(row.get("noEdges").asBoolean());
                assertEquals(width, row.get("features").asInt());
                assertEquals(0, row.get("withStats").asInt(), "no statistic without activations");
                assertEquals(0, row.get("runs").asInt(), "no empty co-activation run");
            }
            AtlasServer server = AtlasServer.start(db, "127.0.0.1", EmbeddedNeo4j.freePort(), Map.of());
            try {
                JsonNode f = graphql(server, """
                        { feature(id: "8-res-jb/3") { explanation firingRate meanActivation maxActivation
                            trainingFiringRate histogram { counts } sae { featureCount runs { id } } } }""")
                        .get("feature");
                assertEquals("mentions of lighthouses", f.get("explanation").asText());
                for (String k : List.of("firingRate", "meanActivation", "maxActivation", "trainingFiringRate",
                        "histogram")) {
                    assertTrue(f.get(k).isNull(), k + " must be null, found " + f.get(k));
                }
                assertEquals(width, f.get("sae").get("featureCount").asInt());
                JsonNode hits = graphql(server, "{ search(text: \"lighthouses\") { edges { feature { id } } } }")
                        .get("search").get("edges");
                assertEquals("8-res-jb/3", hits.get(0).get("feature").get("id").asText());
            } finally {
                server.close();
            }
        }

        // activations of the same SAE later: the statistics are filled in, explanations kept
        float[] acts = new float[10 * width];
        acts[3] = 2f;
        acts[width + 3] = 4f;
        acts[2 * width + 5] = 1f;
        Path npy = dir.resolve("acts.npy");
        NpyWriter.write(npy, Tensor.ofFloats("x", DType.F32, new long[] {10, width}, acts));
        Run b = AtlasCli.run(db("build", "--model", "gpt2-small", "--sae", "8-res-jb", "--layer", "8",
                "--activations", npy.toString(), "--no-dependence", "--device", "java"));
        assertEquals(0, b.exit(), b.out() + b.err());
        try (AtlasDatabase db = open(); var s = db.driver().session()) {
            var row = s.run("""
                    MATCH (f:Feature {id: '8-res-jb/3'})
                    RETURN f.firingRate AS rate, f.meanActivation AS mean, f.maxActivation AS max,
                           f.explanation AS explanation,
                           COUNT { MATCH (g:Feature {sae: '8-res-jb'}) WHERE g.firingRate IS NULL } AS missing,
                           COLLECT { MATCH (x:Sae {id: '8-res-jb'}) RETURN x.hookPoint }[0] AS hook""").single();
            assertEquals(0.2, row.get("rate").asDouble(), 1e-12); // 2 of 10 tokens
            assertEquals(3.0, row.get("mean").asDouble(), 1e-6);
            assertEquals(4.0, row.get("max").asDouble(), 1e-6);
            assertEquals("mentions of lighthouses", row.get("explanation").asString());
            assertEquals(0, row.get("missing").asInt());
            assertEquals("blocks.8.hook_resid_pre", row.get("hook").asString(), "what add-sae knew is kept");
        }
    }

    @Test
    void decoderWeightsGiveACosineRunWithTheCosinesOfTheRows() throws Exception {
        int dIn = 4;
        int dSae = 6;
        Random rnd = new Random(3);
        float[] dec = BuildResidualsIT.gaussian(rnd, dSae * dIn, 1f);
        // feature 1 nearly parallel to feature 0
        for (int c = 0; c < dIn; c++) {
            dec[dIn + c] = dec[c] * 2 + (c == 0 ? 0.1f : 0);
        }
        Path sae = Files.createDirectories(dir.resolve("sae"));
        Files.writeString(sae.resolve("cfg.json"), "{\"architecture\":\"standard\",\"d_in\":" + dIn + ",\"d_sae\":"
                + dSae + ",\"metadata\":{\"model_name\":\"toy\",\"hook_name\":\"blocks.1.hook_resid_post\"}}");
        Safetensors.write(sae.resolve("sae_weights.safetensors"), Map.of(), List.of(
                Tensor.ofFloats("W_enc", DType.F32, new long[] {dIn, dSae}, BuildResidualsIT.gaussian(rnd, dIn * dSae, 1)),
                Tensor.ofFloats("W_dec", DType.F32, new long[] {dSae, dIn}, dec),
                Tensor.ofFloats("b_enc", DType.F32, new long[] {dSae}, new float[dSae]),
                Tensor.ofFloats("b_dec", DType.F32, new long[] {dIn}, new float[dIn])));
        Run r = AtlasCli.run(db("add-sae", "--sae", "toy-l1", "--layer", "1", "--saelens", sae.toString(),
                "--device", "java"));
        assertEquals(0, r.exit(), r.out() + r.err());
        double dot = 0;
        double n0 = 0;
        double n1 = 0;
        for (int c = 0; c < dIn; c++) {
            dot += (double) dec[c] * dec[dIn + c];
            n0 += (double) dec[c] * dec[c];
            n1 += (double) dec[dIn + c] * dec[dIn + c];
        }
        double expected = dot / Math.sqrt(n0 * n1);
        try (AtlasDatabase db = open(); var s = db.driver().session()) {
            var row = s.run("""
                    MATCH (r:Run {sae: 'toy-l1', status: 'complete'})
                    WITH collect(r.kind) AS kinds, collect(r.id)[0] AS run
                    MATCH (:Feature {id: 'toy-l1/0'})-[e:COSINE {run: run}]-(:Feature {id: 'toy-l1/1'})
                    RETURN kinds, e.cosine AS cosine,
                           COUNT { MATCH (f:Feature {sae: 'toy-l1'}) WHERE f.firingRate IS NOT NULL } AS withStats,
                           COLLECT { MATCH (s:Sae {id: 'toy-l1'}) RETURN s.model }[0] AS model""").single();
            assertEquals(List.of("cosine"), row.get("kinds").asList(v -> v.asString()));
            assertEquals(expected, row.get("cosine").asDouble(), 1e-5);
            assertTrue(expected > 0.99);
            assertEquals(0, row.get("withStats").asInt());
            assertEquals("toy", row.get("model").asString());
        }
    }

    @Test
    void aSaeLensFolderWithoutWeightsGivesItsTrainingFiringRatesLabelledAsSuch() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("saelens_partial"));
        for (String f : List.of("cfg.json", "sparsity.safetensors")) {
            try (var in = AddSaeIT.class.getResourceAsStream("/fixtures/saelens_partial/" + f)) {
                Files.copy(in, folder.resolve(f));
            }
        }
        Run r = AtlasCli.run(db("add-sae", "--sae", "mamba-130m-l12-res", "--layer", "12", "--saelens",
                folder.toString()));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("no sae_weights.safetensors"), r.out());
        try (AtlasDatabase db = open(); var s = db.driver().session()) {
            var row = s.run("""
                    MATCH (s:Sae {id: 'mamba-130m-l12-res'})
                    RETURN s.model AS model, s.hookPoint AS hook, s.dIn AS dIn, s.width AS width,
                           s.trainingFiringRateSource AS source, COUNT { (s)<-[:IN_SAE]-() } AS features,
                           COLLECT { UNWIND [0, 1, 7378, 12287] AS i MATCH (f:Feature {id: s.id + '/' + toString(i)})
                                     RETURN f.trainingFiringRate } AS rates,
                           COUNT { MATCH (f:Feature {sae: s.id}) WHERE f.firingRate IS NOT NULL } AS withStats""")
                    .single();
            assertEquals("state-spaces/mamba-130m", row.get("model").asString());
            assertEquals("blocks.12.hook_resid_post", row.get("hook").asString());
            assertEquals(768, row.get("dIn").asInt());
            assertEquals(12288, row.get("width").asInt());
            assertEquals(12288, row.get("features").asInt());
            assertTrue(row.get("source").asString().contains("sparsity.safetensors"), row.get("source").asString());
            assertEquals(0, row.get("withStats").asInt());
            // reference: python3 + numpy on the same file, 10 ** log10_sparsity - 1e-10 (SAELens adds 1e-10)
            double[] expected = {0.8309422627672809, 0.8690811425006264, 0.27946221479032096, 0.9100295260323185};
            List<Double> rates = row.get("rates").asList(v -> v.asDouble());
            for (int k = 0; k < expected.length; k++) {
                assertEquals(expected[k], rates.get(k), 1e-12);
            }
        }
        // asking for a contradiction is refused
        Run bad = AtlasCli.run(db("add-sae", "--sae", "x", "--saelens", folder.toString(), "--width", "5"));
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--width: 5 contradicts"), bad.err());
    }

    @Test
    void aDictionaryLearningCheckpointIsAddedWithItsDecoderCosines() throws Exception {
        Path pt = dir.resolve("sae.pt");
        try (var in = AddSaeIT.class.getResourceAsStream(
                "/fixtures/dictionary_learning/sae_d100_k3_lr0.0003_seed44_2layer_100dig_64d.pt")) {
            Files.copy(in, pt);
        }
        Run r = AtlasCli.run(db("add-sae", "--model", "toy-2layer", "--sae", "toy-batchtopk", "--layer", "1",
                "--sae-weights", pt.toString(), "--device", "java"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("read as pytorch: batchtopk, d_in=64, d_sae=100"), r.out());
        assertTrue(r.out().contains("not used: act_mean [64]"), r.out());
        try (AtlasDatabase db = open(); var s = db.driver().session()) {
            var row = s.run("""
                    MATCH (s:Sae {id: 'toy-batchtopk'})
                    RETURN s.architecture AS arch, s.dIn AS dIn, s.width AS width,
                           COLLECT { MATCH (r:Run {sae: s.id, status: 'complete'}) RETURN r.kind } AS kinds,
                           COUNT { MATCH ()-[e:COSINE]->() } AS edges""").single();
            assertEquals("batchtopk", row.get("arch").asString());
            assertEquals(64, row.get("dIn").asInt());
            assertEquals(100, row.get("width").asInt());
            assertEquals(List.of("cosine"), row.get("kinds").asList(v -> v.asString()));
            assertTrue(row.get("edges").asInt() >= 500, "top-10 neighbours of 100 features, each pair once");
        }
    }

    @Test
    void aWholeNeuronpediaExportStreamsInAndAReloadChangesNothing() throws Exception {
        int width = 25_000;
        Path export = Files.createDirectories(dir.resolve("export").resolve("explanations"));
        for (int b = 0; b < 3; b++) {
            try (var w = new java.io.PrintWriter(new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(
                    Files.newOutputStream(export.resolve("batch-" + b + ".jsonl.gz"))),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                for (int f = b * 10_000; f < Math.min(width, (b + 1) * 10_000); f++) {
                    w.println("{\"modelId\":\"gpt2-small\",\"layer\":\"8-res-jb\",\"index\":\"" + f
                            + "\",\"description\":\"feature " + f + (f == 24_123 ? " about lighthouses" : "")
                            + "\",\"explanationModelName\":\"gpt-4o-mini\",\"typeName\":\"oai_token-act-pair\"}");
                }
            }
        }
        String[] args = db("add-sae", "--model", "gpt2-small", "--sae", "8-res-jb", "--width", String.valueOf(width),
                "--explanations", dir.resolve("export").toString());
        Run r = AtlasCli.run(args);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("streamed 25,000 explanations"), r.out());
        assertTrue(r.out().contains("explanations 8-res-jb (bytes)") && r.out().contains("/s"), r.out());
        long revision;
        try (AtlasDatabase db = open(); var s = db.driver().session()) {
            var row = s.run("""
                    MATCH (a:AtlasState) WITH a.explanationsRevision AS revision
                    RETURN revision, COUNT { MATCH (x:Explanation {sae: '8-res-jb'}) } AS n,
                           COUNT { MATCH (f:Feature {sae: '8-res-jb'}) WHERE f.explanation IS NULL } AS without,
                           COLLECT { MATCH (f:Feature {id: '8-res-jb/24123'}) RETURN f.explanation }[0] AS text,
                           COLLECT { MATCH (x:Explanation)-[:EXPLAINS]->(:Feature {id: '8-res-jb/7'})
                                     RETURN x.source }[0] AS source""").single();
            assertEquals(25_000, row.get("n").asInt());
            assertEquals(0, row.get("without").asInt());
            assertEquals("feature 24123 about lighthouses", row.get("text").asString());
            assertEquals("gpt-4o-mini", row.get("source").asString());
            revision = row.get("revision").asLong();
        }
        Run again = AtlasCli.run(args);
        assertEquals(0, again.exit(), again.out() + again.err());
        try (AtlasDatabase db = open(); var s = db.driver().session()) {
            var row = s.run("""
                    MATCH (a:AtlasState) RETURN a.explanationsRevision AS revision,
                           COUNT { MATCH (x:Explanation {sae: '8-res-jb'}) } AS n""").single();
            assertEquals(25_000, row.get("n").asInt(), "the same ids: nothing doubled");
            assertEquals(revision, row.get("revision").asLong(), "nothing changed: the search index stays");
        }
        // a bad row names its file and line
        try (var w = new java.io.PrintWriter(new java.io.OutputStreamWriter(new java.util.zip.GZIPOutputStream(
                Files.newOutputStream(export.resolve("batch-3.jsonl.gz"))), java.nio.charset.StandardCharsets.UTF_8))) {
            w.println("{\"index\":\"3\",\"description\":\"fine\"}");
            w.println("{\"index\":\"99999\",\"description\":\"outside\"}");
        }
        Run bad = AtlasCli.run(args);
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("batch-3.jsonl.gz line 2") && bad.err().contains("feature 99999")
                && bad.err().contains("[0, 25000)"), bad.err());
    }
}
