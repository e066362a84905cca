package org.saeatlas.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neo4j.driver.Driver;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.coactivation.CoActivationGraph;
import org.saeatlas.compute.coactivation.CoActivationParameters;
import org.saeatlas.compute.demo.DemoAtlas;
import org.saeatlas.compute.demo.DemoAtlasGenerator;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.compute.stats.FeatureStatistics;
import org.saeatlas.ingest.store.AtlasWriter;
import org.saeatlas.ingest.store.Rows;
import org.saeatlas.schema.Vocabulary;

/**
 * The demo atlas end to end: generate (deterministic from the seed), compute per SAE, load into Neo4j. Skips
 * everything when the same demo is already loaded, so a second start is fast.
 */
public final class DemoLoader {

    public static final String SOFTWARE = "sae-atlas 0.1.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Driver driver;
    private final PrintStream out;
    private final Progress progress;

    public DemoLoader(Driver driver, PrintStream out) {
        this.driver = driver;
        this.out = out;
        this.progress = new ProgressPrinter(out);
    }

    /** A key naming this demo's content: its parameters and the software that computes it. */
    public static String key(DemoParameters params) {
        return Checksums.of("demo", params.toString(), SOFTWARE).substring(0, 16);
    }

    public boolean loaded(DemoParameters params) {
        try (var session = driver.session()) {
            long n = session.executeRead(tx -> tx.run(
                    "MATCH (r:Run {demo: $key, status: $complete}) RETURN count(r) AS n",
                    Map.of("key", key(params), "complete", Vocabulary.STATUS_COMPLETE)).single().get("n").asLong());
            return n == 2;
        }
    }

    /** Loads the demo unless it is already there; returns true when it loaded something. */
    public boolean load(DemoParameters params) {
        if (loaded(params)) {
            out.println("demo atlas already loaded: reusing it");
            return false;
        }
        long t0 = System.nanoTime();
        out.printf(Locale.ROOT, "generating the demo atlas: 2 SAEs x %,d features, %,d tokens (seed %d)%n",
                params.features(), params.tokens(), params.seed());
        DemoAtlas atlas = DemoAtlasGenerator.generate(params);
        out.printf(Locale.ROOT, "  generated in %.1fs%n", (System.nanoTime() - t0) / 1e9);
        AtlasWriter writer = new AtlasWriter(driver, progress);
        writer.model(new Rows.ModelRow(atlas.modelId(), "Demo language model (generated)"));
        for (DemoAtlas.Sae sae : atlas.saes()) {
            loadSae(writer, params, sae);
        }
        out.printf(Locale.ROOT, "demo atlas ready in %.1fs%n", (System.nanoTime() - t0) / 1e9);
        return true;
    }

    private void loadSae(AtlasWriter writer, DemoParameters params, DemoAtlas.Sae sae) {
        out.println("SAE " + sae.id() + ":");
        FeatureStatistics stats = FeatureStatistics.of(sae.activations(), 16);
        CoActivationParameters coParams = CoActivationParameters.defaults();
        long t0 = System.nanoTime();
        CoActivationGraph.Result co = CoActivationGraph.compute(sae.activations(), coParams, progress);
        out.printf(Locale.ROOT, "  co-activation: %,d co-firing pairs, %,d edges kept (%.1fs)%n",
                co.moments().pairs(), co.edges().size(), (System.nanoTime() - t0) / 1e9);

        writer.sae(new Rows.SaeRow(sae.id(), sae.modelId(), "demo", sae.layer(), sae.hookPoint(), sae.width(),
                sae.seed(), "relu", sae.dIn()));
        List<Rows.FeatureRow> features = new ArrayList<>();
        List<Rows.ExplanationRow> explanations = new ArrayList<>();
        for (int f = 0; f < sae.width(); f++) {
            features.add(new Rows.FeatureRow(f, stats.firingRate()[f], stats.meanActive()[f], stats.max()[f]));
            explanations.add(new Rows.ExplanationRow(f, sae.explanations().get(f), "demo-generator", 1.0));
        }
        writer.features(sae.id(), features);
        writer.explanations(sae.id(), explanations);
        writer.examples(sae.id(), sae.examples().stream()
                .map(e -> new Rows.ExampleRow(e.feature(), e.rank(), e.tokens(), e.values())).toList());

        String input = Checksums.of(sae.activations());
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("minCount", coParams.minCount());
        parameters.put("minAbsCorrelation", coParams.minAbsCorrelation());
        parameters.put("topK", coParams.topK());
        String runId = "coactivation-" + Checksums.of(sae.id(), parameters.toString(), input, SOFTWARE).substring(0, 16);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("method", "pearson-cooccurrence");
        props.put("parameters", json(parameters));
        props.put("software", SOFTWARE);
        props.put("inputSha256", input);
        props.put("tokens", sae.activations().tokens());
        props.put("demo", key(params));
        List<Rows.EdgeRow> edges = co.edges().stream().map(e -> new Rows.EdgeRow(e.i(), e.j(), Map.of(
                "weight", e.pearson(), "correlation", e.pearson(), "count", e.count(), "jaccard", e.jaccard())))
                .toList();
        writer.run(new Rows.RunRow(runId, Vocabulary.KIND_COACTIVATION, sae.id(), props), Vocabulary.COACTIVATES, edges);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
