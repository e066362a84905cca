package org.saeatlas.ingest;

import org.saeatlas.schema.AtlasVersion;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.formats.Checksums;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.compute.coactivation.CoActivationParameters;
import org.saeatlas.compute.demo.DemoAtlas;
import org.saeatlas.compute.demo.DemoAtlasGenerator;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.compute.demo.HashedTextEmbedding;
import org.saeatlas.compute.sae.CosineTopK;
import org.saeatlas.compute.sae.DecoderCosine;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.ingest.store.AtlasWriter;
import org.saeatlas.ingest.store.Rows;
import org.saeatlas.schema.Vocabulary;

/**
 * The demo atlas end to end: generate (deterministic from the seed), compute per SAE (co-activation, decoder cosine,
 * stable dependence graph), load into Neo4j. Skips everything when the same demo is already loaded, so a second
 * start is fast.
 */
public final class DemoLoader {

    /** Dimension of the demo's hashed bag-of-words explanation embeddings. */
    static final int EMBEDDING_DIMENSION = 64;

    /** Runs per demo SAE: co-activation, cosine, dependence. */
    static final int RUNS_PER_SAE = 3;

    private final CypherExecutor cypher;
    private final AtlasDatabase db;
    private final PrintStream out;
    private final Path runsDir;
    private final CosineTopK cosine;

    /** Loads through {@code cypher} (e.g. over Bolt to a server). */
    public DemoLoader(CypherExecutor cypher, PrintStream out) {
        this(cypher, null, out, null, SaeLoader.javaCosine());
    }

    /** Loads through {@code db}: in-process when it is embedded. */
    public DemoLoader(AtlasDatabase db, PrintStream out) {
        this(db.cypher(), db, out, null, SaeLoader.javaCosine());
    }

    /** {@code runsDir}: where the dependence run folders are written (null: not written). */
    public DemoLoader(AtlasDatabase db, PrintStream out, Path runsDir) {
        this(db, out, runsDir, SaeLoader.javaCosine());
    }

    /** As above, with decoder cosine (within each SAE and for matching) computed by {@code cosine}. */
    public DemoLoader(AtlasDatabase db, PrintStream out, Path runsDir, CosineTopK cosine) {
        this(db.cypher(), db, out, runsDir, cosine);
    }

    private DemoLoader(CypherExecutor cypher, AtlasDatabase db, PrintStream out, Path runsDir, CosineTopK cosine) {
        this.cypher = cypher;
        this.db = db;
        this.out = out;
        this.runsDir = runsDir;
        this.cosine = cosine;
    }

    /** A key naming this demo's content: its parameters and the software that computes it. */
    public static String key(DemoParameters params) {
        return Checksums.of("demo", params.toString(), AtlasVersion.SOFTWARE).substring(0, 16);
    }

    /** True when the demo's runs are complete and its analytics (the last step: the seed comparison) are stored. */
    public boolean loaded(DemoParameters params) {
        return Boolean.TRUE.equals(cypher.read("""
                MATCH (r:Run {demo: $key, status: $complete})
                WITH count(r) AS runs, collect(r.id) AS ids
                RETURN runs = $expected AND EXISTS { MATCH (c:Comparison) WHERE c.runA IN ids AND c.runB IN ids } AS done""",
                Map.of("key", key(params), "complete", Vocabulary.STATUS_COMPLETE, "expected", 2L * RUNS_PER_SAE))
                .get(0).get("done"));
    }


    /** The dependence-graph settings of the demo: the calibrated defaults. */
    public static StabilityParameters dependenceParameters() {
        return StabilityParameters.defaults();
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
        new AtlasWriter(cypher, new ProgressPrinter(out))
                .model(new Rows.ModelRow(atlas.modelId(), "Demo language model (generated)"));
        SaeLoader loader = db != null ? new SaeLoader(db, out, runsDir, cosine) : new SaeLoader(cypher, out, runsDir);
        for (DemoAtlas.Sae sae : atlas.saes()) {
            loader.load(input(sae), CoActivationParameters.defaults(), dependenceParameters(),
                    Map.of("demo", key(params)));
        }
        org.saeatlas.ingest.analytics.DemoAnalytics.run(cypher, out, atlas, key(params),
                new org.saeatlas.ingest.analytics.MatchLoader(cypher, out, cosine));
        out.printf(Locale.ROOT, "demo atlas ready in %.1fs%n", (System.nanoTime() - t0) / 1e9);
        return true;
    }

    static SaeInput input(DemoAtlas.Sae sae) {
        Rows.SaeRow row = new Rows.SaeRow(sae.id(), sae.modelId(), "demo", sae.layer(), sae.hookPoint(), sae.width(),
                sae.seed(), "relu", sae.dIn());
        List<Rows.ExplanationRow> explanations = new java.util.ArrayList<>();
        for (int f = 0; f < sae.width(); f++) {
            String text = sae.explanations().get(f);
            explanations.add(new Rows.ExplanationRow(f, text, "demo-generator", 1.0,
                    HashedTextEmbedding.of(text, EMBEDDING_DIMENSION)));
        }
        List<Rows.ExampleRow> examples = sae.examples().stream()
                .map(e -> new Rows.ExampleRow(e.feature(), e.rank(), e.tokens(), e.values())).toList();
        return new SaeInput(row, sae.activations(), sae.decoder(), explanations, examples,
                Checksums.of(sae.activations()));
    }
}
