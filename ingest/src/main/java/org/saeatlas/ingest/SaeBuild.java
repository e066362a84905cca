package org.saeatlas.ingest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.coactivation.CoActivationParameters;
import org.saeatlas.compute.darkmatter.ErrorMoments;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.EncodeResult;
import org.saeatlas.compute.sae.ErrorStatistics;
import org.saeatlas.compute.sae.SaeWeights;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.formats.ActivationFiles;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.formats.ResidualFiles;
import org.saeatlas.ingest.formats.SaeCheckpoints;
import org.saeatlas.ingest.formats.SaeLensFolder;
import org.saeatlas.ingest.formats.TokenIds;
import org.saeatlas.ingest.store.AtlasLoad;
import org.saeatlas.ingest.store.AtlasWriter;
import org.saeatlas.ingest.store.BulkImport;
import org.saeatlas.ingest.store.ContentCollector;
import org.saeatlas.ingest.store.Rows;

/**
 * One SAE built from the files a user has ({@code ./atlas build --sae ...}): its activations read, or its residuals
 * encoded through its weights (with the error statistics), its explanations and examples read, then computed and
 * loaded by {@link SaeLoader}, online into the database or, for a new embedded database, with the offline importer.
 */
public final class SaeBuild {

    /**
     * What to build: the SAE's ids ({@code model} may be null when its SAELens cfg names it), exactly one of
     * {@code activations} (feature activations) and {@code residuals} (encoded through {@code saelens} or
     * {@code saeWeights}), its annotations, examples made from {@code tokens} with {@code vocab}
     * ({@code exampleWindow}: tokens before and after the peak), the dependence graph's parameters (null: none),
     * the encoder's threads (null: its default), whether to load with the offline importer, and the error statistics.
     */
    public record Request(String model, String sae, Integer layer, String release, Integer seed, Path activations,
            Path residuals, String residualTensor, int encodeBatch, Path saelens, Path saeWeights,
            List<Path> explanations, List<Path> examples, Path vocab, Path tokens, int examplesPerFeature,
            int[] exampleWindow, StabilityParameters dependence, Integer threads, boolean offline,
            ErrorStatsStep.Request errorStats) {

        /** Whether the build runs the SAE itself (encoding, decoder cosine), so the chosen compute engine matters. */
        public boolean runsTheSae() {
            return residuals != null || saelens != null || saeWeights != null;
        }
    }

    /** The SAE that is now in the atlas, and its model. */
    public record Result(String sae, String model) {
    }

    private final Neo4jTarget target;
    private final Path data;
    private final PrintStream out;

    /** Builds into the database of {@code target}; {@code data} holds the run folders ({@code data/runs}). */
    public SaeBuild(Neo4jTarget target, Path data, PrintStream out) {
        this.target = target;
        this.data = data;
        this.out = out;
    }

    public Result build(Request r, ComputeEngine engine) {
        if ((r.activations() == null) == (r.residuals() == null)) {
            throw new AtlasException("build: give exactly one of --activations (feature activations) and --residuals"
                    + " (residual-stream activations to encode with --saelens)");
        }
        if (r.saelens() != null && r.saeWeights() != null) {
            throw new AtlasException("build: give one of --saelens and --sae-weights");
        }
        if (r.residuals() != null && r.saelens() == null && r.saeWeights() == null) {
            throw new AtlasException("--residuals: needs --saelens, the SAE folder to encode " + r.residuals()
                    + " with (or --sae-weights)");
        }
        SaeWeights weights = r.saelens() != null ? SaeLensFolder.read(r.saelens()) : r.saeWeights() != null
                ? Checkpoints.describe(SaeCheckpoints.read(r.saeWeights(), null), out) : null;
        ErrorStatsStep errorStats = new ErrorStatsStep(r.errorStats(), out);
        ErrorStatistics errors = null;
        SparseActivations x;
        ActivationFiles.Source source = null;
        if (r.residuals() != null) {
            EncodeResult encoded = encode(r, engine, weights, errorStats);
            x = encoded.activations();
            errors = encoded.statistics();
        } else {
            source = ActivationFiles.readSource(r.activations());
            x = source.activations();
        }
        if (weights != null && weights.dSae() != x.featureCount()) {
            throw new AtlasException(r.activations() + ": activations have " + x.featureCount() + " feature columns"
                    + " but the SAE in " + (r.saelens() != null ? r.saelens() : r.saeWeights()) + " declares d_sae="
                    + weights.dSae());
        }
        String modelId = r.model() != null ? r.model() : weights != null ? weights.modelName() : null;
        if (modelId == null || modelId.isBlank()) {
            throw new AtlasException("--model: required when no SAELens folder names the model");
        }
        SaeInputs.Annotations notes = SaeInputs.annotations(r.explanations(), r.examples(), r.vocab());
        List<Rows.ExplanationRow> expl = notes.explanations();
        List<Rows.ExampleRow> ex = new ArrayList<>(notes.examples());
        if (r.tokens() != null) {
            source = TokenIds.attach(r.tokens(), x);
        }
        int[] window = r.exampleWindow();
        if (r.vocab() != null) {
            if (source == null) {
                throw new AtlasException("--vocab: needs token ids: --tokens, or --activations from a delphi cache"
                        + " saved with tokens");
            }
            if (source.tokens() == null) {
                throw new AtlasException("--vocab: " + r.activations() + " carries no token ids; give them with"
                        + " --tokens");
            }
            if (window.length != 2 || window[0] < 0 || window[1] < 0) {
                throw new AtlasException("--example-window: expected BEFORE,AFTER (two non-negative token counts),"
                        + " found " + java.util.Arrays.toString(window));
            }
            Path tokenFile = r.tokens() != null ? r.tokens() : r.activations();
            int made = SaeInputs.addTokenExamples(ex, tokenFile, source, r.vocab(), r.examplesPerFeature(), window[0],
                    window[1]);
            out.printf(Locale.ROOT, "made %,d activating examples from the tokens of %s with %s%n", made, tokenFile,
                    r.vocab());
        } else if (source != null && source.tokens() != null && r.examples().isEmpty()) {
            out.println("hint: " + r.activations() + " has token ids; give --vocab tokenizer.json to turn each"
                    + " feature's top activating windows into examples");
        }
        Rows.SaeRow row = SaeInputs.saeRow(r.sae(), modelId, r.release(), r.layer(), null, x.featureCount(), r.seed(),
                null, weights, errors);
        SaeInput input = new SaeInput(row, x, weights != null ? weights.wDec() : null, expl, ex, Checksums.of(x),
                notes.logits());
        if (r.offline()) {
            if (!target.embedded() || !BulkImport.isNew(target.dataDir())) {
                throw new AtlasException("--offline loads a new embedded database: " + (target.embedded()
                        ? target.dataDir() + " already holds one (load into it without --offline)"
                        : "not with --neo4j-uri (a server loads online, or with its own neo4j-admin import)"));
            }
            ContentCollector content = new ContentCollector();
            content.model(new Rows.ModelRow(modelId, modelId));
            SaeLoader.offline(out, data.resolve("runs"), engine.cosine()).load(input,
                    CoActivationParameters.defaults(), r.dependence(), Map.of(), content);
            AtlasLoad.Result loaded = AtlasLoad.load(target, content.content(), AtlasLoad.Mode.OFFLINE,
                    new ProgressPrinter(out));
            errorStats.store(loaded.database().cypher(), r.sae(), x, source, r.vocab(), window, r.residuals());
            // the importer's collector drops logit tables (AtlasSink.logits): set them on the new database
            new AtlasWriter(loaded.database().cypher(), new ProgressPrinter(out)).logits(r.sae(), input.logits());
            loaded.database().close();
            out.printf(Locale.ROOT, "offline import: %,d nodes and %,d relationships (%,d run edges) in %.1f s,"
                    + " first open with indexes %.1f s%n", loaded.nodes(), loaded.relationships(), loaded.edges(),
                    loaded.nodeSeconds(), loaded.openSeconds());
        } else {
            try (AtlasDatabase db = AtlasDatabase.open(target)) {
                new AtlasWriter(db.cypher(), new ProgressPrinter(out)).model(new Rows.ModelRow(modelId, modelId));
                new SaeLoader(db, out, data.resolve("runs"), engine.cosine()).load(input,
                        CoActivationParameters.defaults(), r.dependence(), Map.of());
                errorStats.store(db.cypher(), r.sae(), x, source, r.vocab(), window, r.residuals());
            }
        }
        return new Result(r.sae(), modelId);
    }

    private EncodeResult encode(Request r, ComputeEngine engine, SaeWeights weights, ErrorStatsStep errorStats) {
        ResidualFiles file = ResidualFiles.open(r.residuals(), r.residualTensor(), weights.dIn(), r.encodeBatch());
        EncodeParameters defaults = EncodeParameters.defaults();
        EncodeParameters params = new EncodeParameters(r.encodeBatch(), defaults.blockSize(),
                r.threads() != null ? r.threads() : defaults.threads());
        out.printf(Locale.ROOT, "encoding %,d tokens of %s (%s) through the %s SAE (d_in=%d, d_sae=%d), %d"
                        + " threads, engine %s%n", file.tokens(), r.residuals(), file.dtype(), weights.architecture()
                        .name().toLowerCase(Locale.ROOT), weights.dIn(), weights.dSae(), params.threads(),
                engine.name());
        long t0 = System.nanoTime();
        ErrorMoments moments = errorStats.moments(weights.dIn(), params.threads(), engine.gram());
        EncodeResult encoded = engine.encoder(weights, params).encode(file, file.tokens(), new ProgressPrinter(out),
                moments);
        ErrorStatistics s = encoded.statistics();
        double secs = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "  encoded in %.1fs (%.0f tokens/s): mean L0 %.2f, FVU %.4f (explained variance"
                + " %.4f), mean error norm %.4g%n", secs, s.tokens() / secs, s.meanL0(), s.fvu(),
                s.explainedVariance(), s.meanErrorNorm());
        errorStats.fit(moments, s);
        return encoded;
    }
}
