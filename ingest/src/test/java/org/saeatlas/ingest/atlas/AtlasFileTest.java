package org.saeatlas.ingest.atlas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.errors.AtlasException;

class AtlasFileTest {

    @TempDir
    Path dir;

    @BeforeEach
    void inputs() throws IOException {
        for (String s : List.of("l0-s0", "l0-s1", "l1-s0", "l1-s1")) {
            Files.writeString(dir.resolve(s + ".npz"), "x");
            Path sae = Files.createDirectories(dir.resolve("sae-" + s));
            Files.writeString(sae.resolve("cfg.json"), "{\"d_in\": 8, \"d_sae\": 64}");
            Files.writeString(sae.resolve("sae_weights.safetensors"), "");
        }
    }

    private static final String GOOD = """
            version: 1
            defaults:
              resamples: 10
            models:
              - id: lm
                saes:
                  - id: l0-s0
                    layer: 0
                    seed: 0
                    inputs: {activations: l0-s0.npz, saelens: sae-l0-s0}
                  - id: l0-s1
                    layer: 0
                    seed: 1
                    inputs: {activations: l0-s1.npz, saelens: sae-l0-s1}
                    settings:
                      resamples: 20
                  - id: l1-s0
                    layer: 1
                    seed: 0
                    width: 64
                    inputs: {activations: l1-s0.npz, saelens: sae-l1-s0}
                  - id: l1-s1
                    layer: 1
                    seed: 1
                    inputs: {activations: l1-s1.npz, saelens: sae-l1-s1}
            matches:
              seeds: same layer
            comparisons:
              seeds: same layer
            """;

    private AtlasFile read(String yaml) throws IOException {
        Path f = dir.resolve("atlas.yaml");
        Files.writeString(f, yaml);
        return AtlasFile.read(f);
    }

    private AtlasFileError refused(String yaml) {
        return assertThrows(AtlasFileError.class, () -> read(yaml));
    }

    @Test
    void aGoodFileGivesAPlanInAFixedOrder() throws IOException {
        AtlasFile f = read(GOOD);
        assertEquals(4, f.saes().size());
        assertEquals(64, f.sae("l0-s0").width(), "width from the SAELens cfg");
        assertEquals(10, f.sae("l0-s0").settings().stability(1).resamples(), "the default");
        assertEquals(20, f.sae("l0-s1").settings().stability(1).resamples(), "the SAE's own setting");
        assertEquals(org.saeatlas.compute.stability.ThresholdRule.TOTAL,
                f.sae("l0-s0").settings().stability(1).threshold(), "the default threshold rule");
        assertEquals(dir.resolve("l0-s0.npz"), f.sae("l0-s0").inputs().activations(), "relative to the file");
        assertEquals(List.of(new AtlasFile.Pair("l0-s0", "l0-s1", "seeds: same layer"),
                new AtlasFile.Pair("l1-s0", "l1-s1", "seeds: same layer")), f.matches());
        AtlasPlan plan = AtlasPlan.of(f);
        assertEquals(List.of("sae:l0-s0", "sae:l0-s1", "sae:l1-s0", "sae:l1-s1", "analyse:l0-s0", "analyse:l0-s1",
                "analyse:l1-s0", "analyse:l1-s1", "match:l0-s0~l0-s1", "match:l1-s0~l1-s1", "compare:l0-s0~l0-s1",
                "compare:l1-s0~l1-s1"), plan.tasks().stream().map(AtlasPlan.Task::id).toList());
        assertEquals(4, plan.computeCount());
        assertEquals("sae:l1-s0", plan.computeTask(2).id());
        assertEquals(List.of("match:l0-s0~l0-s1", "analyse:l0-s0", "analyse:l0-s1"),
                plan.task("compare:l0-s0~l0-s1").dependsOn());
        assertThrows(AtlasException.class, () -> plan.computeTask(4));
        assertEquals(AtlasPlan.of(read(GOOD)).tasks(), plan.tasks(), "the same file, the same plan");
    }

    @Test
    void anUnknownKeyIsRefusedWithItsLine() {
        AtlasFileError e = refused(GOOD.replace("seed: 1\n        inputs: {activations: l0-s1.npz",
                "seed: 1\n        wdth: 64\n        inputs: {activations: l0-s1.npz"));
        assertEquals(14, e.line(), e.getMessage());
        assertEquals("models[0].saes[1].wdth", e.key());
        assertTrue(e.getMessage().contains("unknown key 'wdth'"), e.getMessage());
        assertTrue(e.getMessage().contains("atlas.yaml:14"), e.getMessage());
        AtlasFileError s = refused(GOOD.replace("  resamples: 10", "  resamplez: 10"));
        assertEquals(3, s.line());
        assertTrue(s.getMessage().contains("unknown setting"), s.getMessage());
    }

    @Test
    void aMissingInputFileIsRefusedWithItsLine() {
        AtlasFileError e = refused(GOOD.replace("activations: l1-s1.npz", "activations: l1-s9.npz"));
        assertEquals(25, e.line(), e.getMessage());
        assertEquals("models[0].saes[3].inputs.activations", e.key());
        assertTrue(e.getMessage().contains("l1-s9.npz not found"), e.getMessage());
    }

    @Test
    void aDuplicateSaeIdIsRefusedWithItsLine() {
        AtlasFileError e = refused(GOOD.replace("- id: l1-s1", "- id: l0-s0"));
        assertEquals(22, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("duplicate SAE id 'l0-s0' (first on line 7)"), e.getMessage());
    }

    @Test
    void aWidthDisagreeingWithTheSaeLensCfgIsRefused() {
        AtlasFileError e = refused(GOOD.replace("width: 64", "width: 128"));
        assertEquals(20, e.line(), e.getMessage());
        assertEquals("models[0].saes[2].width", e.key());
        assertTrue(e.getMessage().contains("d_sae = 64"), e.getMessage());
    }

    @Test
    void aCycleOfConnectionsIsRefused() {
        AtlasFileError e = refused(GOOD + """
                connections:
                  pairs:
                    - {upstream: l0-s0, downstream: l1-s0}
                    - {upstream: l1-s0, downstream: l0-s0}
                """);
        assertTrue(e.getMessage().contains("cycle: l0-s0 -> l1-s0 -> l0-s0"), e.getMessage());
        assertEquals(33, e.line(), e.getMessage());
    }

    @Test
    void anUnknownSaeInAPairAndBadValuesAreRefused() {
        AtlasFileError e = refused(GOOD.replace("  seeds: same layer\ncomparisons", "  pairs: [[l0-s0, nope]]\n"
                + "comparisons"));
        assertTrue(e.getMessage().contains("unknown SAE 'nope'"), e.getMessage());
        AtlasFileError v = refused(GOOD.replace("resamples: 20", "resamples: many"));
        assertTrue(v.getMessage().contains("expected a whole number"), v.getMessage());
        AtlasFileError n = refused(GOOD.replace("resamples: 20", "criterion: best"));
        assertTrue(n.getMessage().contains("expected one of bic, ebic, cv, found 'best'"), n.getMessage());
        AtlasFileError y = refused("models: [\n");
        assertTrue(y.getMessage().contains("not valid YAML"), y.getMessage());
    }

    @Test
    void connectionsBecomeConnectTasksUpstreamFirst() throws IOException {
        AtlasPlan plan = AtlasPlan.of(read(GOOD + "connections:\n  layers: adjacent\n"));
        assertEquals(List.of("connect:l0-s0>l1-s0", "connect:l0-s1>l1-s1"), plan.tasks().stream()
                .filter(t -> t.kind() == AtlasPlan.Kind.CONNECT).map(AtlasPlan.Task::id).toList());
        ConnectStep.checkAvailable(plan);
        AtlasPlan.Task first = plan.tasks().stream().filter(t -> t.kind() == AtlasPlan.Kind.CONNECT).findFirst()
                .orElseThrow();
        assertEquals(List.of("l0-s0", "l1-s0"), first.saes());
        assertTrue(first.dependsOn().containsAll(List.of("sae:l0-s0", "sae:l1-s0")), first.dependsOn().toString());
    }
}
