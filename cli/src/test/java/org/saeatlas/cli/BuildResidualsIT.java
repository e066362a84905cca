package org.saeatlas.cli;

import org.saeatlas.cli.AtlasCli.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.EncodeResult;
import org.saeatlas.compute.sae.SaeEncoder;
import org.saeatlas.compute.stats.FeatureStatistics;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.formats.DType;
import org.saeatlas.ingest.formats.NpyWriter;
import org.saeatlas.ingest.formats.SaeLensFolder;
import org.saeatlas.ingest.formats.Safetensors;
import org.saeatlas.ingest.formats.Tensor;

/** {@code ./atlas build --saelens DIR --residuals FILE}: a SAELens folder and residuals written here, end to end. */
class BuildResidualsIT {
    static final int D_IN = 8;
    static final int D_SAE = 32;
    static final int TOKENS = 400;

    @TempDir
    Path dir;

    static Run atlas(String... args) {
        return AtlasCli.run(args);
    }

    static float[] gaussian(Random rnd, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * scale;
        }
        return v;
    }

    /** A JumpReLU SAE in the SAELens layout, stored as bfloat16 like Gemma Scope's. */
    Path saeFolder() throws Exception {
        Random rnd = new Random(17);
        Path sae = Files.createDirectories(dir.resolve("sae"));
        Files.writeString(sae.resolve("cfg.json"), "{\"architecture\":\"jumprelu\",\"d_in\":" + D_IN + ",\"d_sae\":"
                + D_SAE + ",\"dtype\":\"bfloat16\",\"apply_b_dec_to_input\":true,\"normalize_activations\":\"none\","
                + "\"metadata\":{\"model_name\":\"toy-model\",\"hook_name\":\"blocks.3.hook_resid_post\"}}");
        Safetensors.write(sae.resolve("sae_weights.safetensors"), Map.of(), List.of(
                Tensor.ofFloats("W_enc", DType.BF16, new long[] {D_IN, D_SAE}, gaussian(rnd, D_IN * D_SAE, 0.5f)),
                Tensor.ofFloats("W_dec", DType.BF16, new long[] {D_SAE, D_IN}, gaussian(rnd, D_SAE * D_IN, 0.3f)),
                Tensor.ofFloats("b_enc", DType.BF16, new long[] {D_SAE}, gaussian(rnd, D_SAE, 0.1f)),
                Tensor.ofFloats("b_dec", DType.BF16, new long[] {D_IN}, gaussian(rnd, D_IN, 0.2f)),
                Tensor.ofFloats("threshold", DType.BF16, new long[] {D_SAE}, gaussian(rnd, D_SAE, 0.2f))));
        return sae;
    }

    @Test
    void buildEncodesResidualsAndStoresFeaturesAndTheSaeErrorStatistics() throws Exception {
        Path sae = saeFolder();
        float[] x = gaussian(new Random(5), TOKENS * D_IN, 1);
        Path resid = dir.resolve("resid.npy");
        NpyWriter.write(resid, Tensor.ofFloats("x", DType.F32, new long[] {TOKENS, D_IN}, x));
        EncodeResult expected = new SaeEncoder(SaeLensFolder.read(sae), new EncodeParameters(64, 4, 1))
                .encode(x, Progress.NONE);
        FeatureStatistics stats = FeatureStatistics.of(expected.activations(), 16);

        Path data = dir.resolve("data");
        int bolt = EmbeddedNeo4j.freePort();
        int http = EmbeddedNeo4j.freePort();
        Run r = atlas("build", "--sae", "toy-l3", "--layer", "3", "--saelens", sae.toString(), "--residuals",
                resid.toString(), "--encode-batch", "50", "--threads", "2", "--no-dependence", "--device", "java",
                "--data", data.toString(), "--bolt-port", String.valueOf(bolt), "--neo4j-http-port", String.valueOf(http));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("encoding 400 tokens"), r.out());
        // the default device (DJL's PyTorch engine here) agrees with the Java reference up to float rounding
        Run auto = atlas("build", "--sae", "toy-l3-auto", "--layer", "3", "--saelens", sae.toString(), "--residuals",
                resid.toString(), "--encode-batch", "50", "--threads", "2", "--no-dependence", "--data",
                data.toString(), "--bolt-port", String.valueOf(bolt), "--neo4j-http-port", String.valueOf(http));
        assertEquals(0, auto.exit(), auto.out() + auto.err());
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, data.resolve("neo4j"), bolt, http,
                "64m")); var session = db.driver().session()) {
            var row = session.run("""
                    MATCH (s:Sae {id: 'toy-l3'})-[:OF_MODEL]->(m:Model)
                    RETURN s.l0 AS l0, s.fvu AS fvu, s.errorNorm AS errorNorm, s.architecture AS arch, s.dIn AS dIn,
                           s.hookPoint AS hook, m.id AS model,
                           COUNT { (s)<-[:IN_SAE]-() } AS features,
                           COLLECT { MATCH (f:Feature {sae: 'toy-l3'}) RETURN f.firingRate ORDER BY f.index } AS rates,
                           COLLECT { MATCH (r:Run {sae: 'toy-l3', status: 'complete'}) RETURN r.kind } AS kinds""")
                    .single();
            assertEquals(expected.statistics().meanL0(), row.get("l0").asDouble(), 0);
            assertEquals(expected.statistics().fvu(), row.get("fvu").asDouble(), 0);
            assertEquals(expected.statistics().meanErrorNorm(), row.get("errorNorm").asDouble(), 0);
            assertTrue(row.get("l0").asDouble() > 0 && row.get("fvu").asDouble() > 0);
            assertEquals("jumprelu", row.get("arch").asString());
            assertEquals(D_IN, row.get("dIn").asInt());
            assertEquals("blocks.3.hook_resid_post", row.get("hook").asString());
            assertEquals("toy-model", row.get("model").asString());
            assertEquals(D_SAE, row.get("features").asInt());
            List<Double> rates = row.get("rates").asList(v -> v.asDouble());
            for (int f = 0; f < D_SAE; f++) {
                assertEquals(stats.firingRate()[f], rates.get(f), 1e-12, "firing rate of feature " + f);
            }
            assertEquals(List.of("coactivation", "cosine"),
                    row.get("kinds").asList(v -> v.asString()).stream().sorted().toList());
            var other = session.run("MATCH (s:Sae {id: 'toy-l3-auto'}) RETURN s.l0 AS l0, s.fvu AS fvu, s.errorNorm AS e")
                    .single();
            assertEquals(expected.statistics().meanL0(), other.get("l0").asDouble(), 0.01);
            assertEquals(expected.statistics().fvu(), other.get("fvu").asDouble(), 1e-5);
            assertEquals(expected.statistics().meanErrorNorm(), other.get("e").asDouble(), 1e-5);
        }
    }

    @Test
    void badResidualsNameTheFileAndWriteNothing() throws Exception {
        Path sae = saeFolder();
        Path data = dir.resolve("data");
        Path wide = dir.resolve("wide.npy");
        NpyWriter.write(wide, Tensor.ofFloats("x", DType.F32, new long[] {3, 6}, new float[18]));
        Run r = atlas("build", "--sae", "s", "--saelens", sae.toString(), "--residuals", wide.toString(),
                "--data", data.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("wide.npy has 6 columns") && r.err().contains("the SAE's d_in is 8"), r.err());

        float[] x = new float[3 * D_IN];
        x[D_IN + 5] = Float.POSITIVE_INFINITY;
        Path inf = dir.resolve("inf.npy");
        NpyWriter.write(inf, Tensor.ofFloats("x", DType.F32, new long[] {3, D_IN}, x));
        Run bad = atlas("build", "--sae", "s", "--saelens", sae.toString(), "--residuals", inf.toString(),
                "--data", data.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("inf.npy") && bad.err().contains("token 1, column 5"), bad.err());

        Run both = atlas("build", "--sae", "s", "--residuals", inf.toString(), "--data", data.toString());
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("--residuals: needs --saelens"), both.err());
        assertTrue(!Files.exists(data.resolve("neo4j")), "no database was created for failed builds");
    }

    @Test
    void buildTakesTheSameWeightsAsAPlainSafetensorsFileThroughSaeWeights() throws Exception {
        Path sae = saeFolder();
        // the same tensors without the SAELens folder: the layout is recognised by the tensor names
        Path flat = dir.resolve("weights.safetensors");
        Files.copy(sae.resolve("sae_weights.safetensors"), flat);
        float[] x = gaussian(new Random(5), TOKENS * D_IN, 1);
        Path resid = dir.resolve("resid.npy");
        NpyWriter.write(resid, Tensor.ofFloats("x", DType.F32, new long[] {TOKENS, D_IN}, x));
        EncodeResult expected = new SaeEncoder(SaeLensFolder.read(sae), new EncodeParameters(64, 4, 1))
                .encode(x, Progress.NONE);
        Path data = dir.resolve("data");
        int bolt = EmbeddedNeo4j.freePort();
        int http = EmbeddedNeo4j.freePort();
        Run r = atlas("build", "--model", "toy-model", "--sae", "toy-flat", "--layer", "3", "--sae-weights",
                flat.toString(), "--residuals", resid.toString(), "--no-dependence", "--device", "java", "--data",
                data.toString(), "--bolt-port", String.valueOf(bolt), "--neo4j-http-port", String.valueOf(http));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("read as safetensors: jumprelu, d_in=8, d_sae=32"), r.out());
        try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, data.resolve("neo4j"), bolt, http,
                "64m")); var session = db.driver().session()) {
            var row = session.run("MATCH (s:Sae {id: 'toy-flat'}) RETURN s.l0 AS l0, s.fvu AS fvu").single();
            assertEquals(expected.statistics().meanL0(), row.get("l0").asDouble(), 0);
            assertEquals(expected.statistics().fvu(), row.get("fvu").asDouble(), 0);
        }
    }
}
