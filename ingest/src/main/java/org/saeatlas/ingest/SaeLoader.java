package org.saeatlas.ingest;

import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.schema.AtlasVersion;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.coactivation.CoActivationGraph;
import org.saeatlas.compute.coactivation.CoActivationParameters;
import org.saeatlas.compute.sae.CosineNeighbours;
import org.saeatlas.compute.sae.CosineTopK;
import org.saeatlas.compute.sae.DecoderCosine;
import org.saeatlas.compute.stability.StabilityGraph;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.compute.stability.StabilityResult;
import org.saeatlas.compute.stability.StableEdge;
import org.saeatlas.compute.stats.FeatureStatistics;
import org.saeatlas.ingest.runfolder.RunFolderWriter;
import org.saeatlas.ingest.runfolder.RunInput;
import org.saeatlas.ingest.store.AtlasSink;
import org.saeatlas.ingest.store.AtlasWriter;
import org.saeatlas.ingest.store.Rows;
import org.saeatlas.schema.Vocabulary;

/**
 * Computes and loads one SAE: features with statistics, explanations, examples, and three runs — the co-activation
 * graph, the decoder-cosine top-k graph (when the decoder is given) and the stable dependence graph (when its
 * parameters are given). Runs already complete in the database are neither recomputed nor reloaded.
 */
public final class SaeLoader {

    public static final int COSINE_TOP_K = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CypherExecutor writes;
    private final PrintStream out;
    private final Progress progress;
    private final Path runsDir;
    private final CosineTopK cosine;

    /** {@code runsDir}: where dependence run folders are written (null: not written). Writes go to {@code cypher}. */
    public SaeLoader(CypherExecutor cypher, PrintStream out, Path runsDir) {
        this(cypher, out, runsDir, javaCosine());
    }

    /** Writes go through {@code db.cypher()}: in-process when the database is embedded. Decoder cosine in Java. */
    public SaeLoader(AtlasDatabase db, PrintStream out, Path runsDir) {
        this(db, out, runsDir, javaCosine());
    }

    /** As above, with decoder cosine top-k computed by {@code cosine} (e.g. the DJL engine). */
    public SaeLoader(AtlasDatabase db, PrintStream out, Path runsDir, CosineTopK cosine) {
        this(db.cypher(), out, runsDir, cosine);
    }

    static CosineTopK javaCosine() {
        return DecoderCosine.inJava(Runtime.getRuntime().availableProcessors());
    }

    private SaeLoader(CypherExecutor writes, PrintStream out, Path runsDir, CosineTopK cosine) {
        this.writes = writes;
        this.out = out;
        this.progress = new ProgressPrinter(out);
        this.runsDir = runsDir;
        this.cosine = cosine;
    }

    public void load(SaeInput in, CoActivationParameters co, StabilityParameters dependence,
                     Map<String, Object> runTags) {
        load(in, co, dependence, runTags, new AtlasWriter(writes, progress));
    }

    /**
     * A loader that writes nothing itself: {@link #load(SaeInput, CoActivationParameters, StabilityParameters, Map,
     * AtlasSink)} puts everything into the sink (for a first load through Neo4j's offline importer).
     */
    public static SaeLoader offline(PrintStream out, Path runsDir, CosineTopK cosine) {
        return new SaeLoader((CypherExecutor) null, out, runsDir, cosine);
    }

    /** Computes everything of one SAE and puts it into {@code writer}. */
    public void load(SaeInput in, CoActivationParameters co, StabilityParameters dependence,
                     Map<String, Object> runTags, AtlasSink writer) {
        String sae = in.sae().id();
        if (in.activations() == null) {
            // what is known without activations: the SAE, its features (no statistics: absent, not zero), its
            // explanations and examples, and decoder cosine when the weights are given
            out.println("SAE " + sae + ": " + in.sae().width() + " features, no activations (no statistics, no"
                    + " co-activation or dependence graph)");
            writer.sae(in.sae());
            List<Rows.FeatureRow> features = new ArrayList<>(in.sae().width());
            for (int f = 0; f < in.sae().width(); f++) {
                features.add(new Rows.FeatureRow(f, null, null, null, null));
            }
            writer.features(sae, features);
            writer.explanations(sae, in.explanations());
            writer.examples(sae, in.examples());
            writer.logits(sae, in.logits());
            if (in.decoder() != null) {
                loadCosine(writer, in, runTags);
            }
            return;
        }
        out.println("SAE " + sae + ": " + in.activations().tokens() + " tokens x " + in.sae().width() + " features, "
                + String.format(Locale.ROOT, "%.2f", in.activations().nnz() / (double) Math.max(1, in.activations().tokens()))
                + " active per token");
        writer.sae(in.sae());
        FeatureStatistics stats = FeatureStatistics.of(in.activations(), 16);
        List<Rows.FeatureRow> features = new ArrayList<>();
        for (int f = 0; f < in.sae().width(); f++) {
            features.add(new Rows.FeatureRow(f, stats.firingRate()[f], stats.meanActive()[f], stats.max()[f],
                    java.util.Arrays.stream(stats.histogram()[f]).asLongStream().toArray()));
        }
        writer.features(sae, features);
        writer.histogramEdges(sae, stats.histogramEdges());
        writer.explanations(sae, in.explanations());
        writer.examples(sae, in.examples());
        writer.logits(sae, in.logits());
        loadCoActivation(writer, in, co, runTags);
        if (in.decoder() != null) {
            loadCosine(writer, in, runTags);
        }
        if (dependence != null) {
            loadDependence(writer, in, dependence, runTags);
        }
    }

    private void loadCoActivation(AtlasSink writer, SaeInput in, CoActivationParameters co, Map<String, Object> tags) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("minCount", co.minCount());
        params.put("minAbsCorrelation", co.minAbsCorrelation());
        params.put("topK", co.topK());
        String runId = runId(Vocabulary.KIND_COACTIVATION, in, params);
        if (complete(runId)) {
            out.println("  co-activation run " + runId + " already loaded");
            return;
        }
        long t0 = System.nanoTime();
        CoActivationGraph.Result result = CoActivationGraph.compute(in.activations(), co, progress);
        out.printf(Locale.ROOT, "  co-activation: %,d co-firing pairs, %,d edges kept (%.1fs)%n",
                result.moments().cofiring(), result.edges().size(), seconds(t0));
        List<Rows.EdgeRow> edges = result.edges().stream().map(e -> new Rows.EdgeRow(e.i(), e.j(), Map.<String, Object>of(
                "weight", e.pearson(), "correlation", e.pearson(), "count", e.count(), "jaccard", e.jaccard())))
                .toList();
        writer.run(run(runId, Vocabulary.KIND_COACTIVATION, "pearson-cooccurrence", in, params, tags),
                Vocabulary.COACTIVATES, edges);
    }

    private void loadCosine(AtlasSink writer, SaeInput in, Map<String, Object> tags) {
        Map<String, Object> params = Map.of("topK", COSINE_TOP_K);
        String runId = runId("cosine", in, params);
        if (complete(runId)) {
            out.println("  cosine run " + runId + " already loaded");
            return;
        }
        long t0 = System.nanoTime();
        CosineNeighbours nn = cosine.within(in.decoder(), in.sae().width(), in.dIn(), COSINE_TOP_K, progress);
        // each feature's top-k, as undirected edges i < j (a pair in both lists appears once)
        Map<Long, Rows.EdgeRow> edges = new LinkedHashMap<>();
        for (int f = 0; f < nn.features(); f++) {
            for (int r = 0; r < nn.k(); r++) {
                int g = nn.neighbour(f, r);
                if (g < 0) {
                    continue;
                }
                int i = Math.min(f, g);
                int j = Math.max(f, g);
                double c = nn.cosine(f, r);
                edges.putIfAbsent((long) i << 32 | j, new Rows.EdgeRow(i, j, Map.of("weight", c, "cosine", c)));
            }
        }
        out.printf(Locale.ROOT, "  decoder cosine: top-%d neighbours, %,d edges (%.1fs, %s)%n", COSINE_TOP_K,
                edges.size(), seconds(t0), cosine.name());
        Rows.RunRow run = run(runId, "cosine", "decoder-cosine-topk", in, params, tags);
        run.properties().put("engine", cosine.name()); // provenance only: engines agree up to float rounding
        writer.run(run, Vocabulary.COSINE, new ArrayList<>(edges.values()));
    }

    private void loadDependence(AtlasSink writer, SaeInput in, StabilityParameters params, Map<String, Object> tags) {
        Map<String, Object> identity = new LinkedHashMap<>(params.asMap());
        identity.remove("threads"); // the output does not depend on it
        String runId = runId(Vocabulary.KIND_DEPENDENCE, in, identity);
        if (complete(runId)) {
            out.println("  dependence run " + runId + " already loaded");
            return;
        }
        if (!params.calibrated()) {
            out.println("  warning: per-trial nulls on overlapping subsamples underestimate the FDR many-fold"
                    + " (see README, calibration); prefer --null global or --resampling disjoint");
        }
        long t0 = System.nanoTime();
        StabilityResult result = StabilityGraph.run(in.activations(), params, progress);
        out.printf(Locale.ROOT, "  dependence graph: %,d edges seen, r* = %s, %,d stable (%.1fs)%n",
                result.edges().size(), result.rStar().isPresent() ? result.rStar().getAsInt() : "none",
                result.stableEdges().size(), seconds(t0));
        if (runsDir != null) {
            Path folder = runsDir.resolve(runId);
            if (!Files.exists(folder)) {
                RunFolderWriter.write(folder, result, new RunInput(in.sae().id(), in.inputSha256(),
                        in.activations().tokens(), in.activations().featureCount()), AtlasVersion.SOFTWARE);
                out.println("  run folder: " + folder);
            }
        }
        List<StableEdge> found = result.edges();
        float[] cosine = null;
        if (in.decoder() != null) {
            int[] is = found.stream().mapToInt(StableEdge::i).toArray();
            int[] js = found.stream().mapToInt(StableEdge::j).toArray();
            cosine = DecoderCosine.pairs(in.decoder(), in.sae().width(), in.dIn(), is, js);
        }
        List<Rows.EdgeRow> edges = new ArrayList<>(found.size());
        for (int k = 0; k < found.size(); k++) {
            StableEdge e = found.get(k);
            Map<String, Object> p = new HashMap<>();
            p.put("weight", e.weight());
            p.put("medianWeight", e.medianWeight());
            p.put("replicates", e.replicates());
            p.put("nullReplicates", e.nullReplicates());
            p.put("signConsistency", e.signConsistency());
            p.put("stable", e.stable());
            if (cosine != null) {
                p.put("cosine", (double) cosine[k]);
            }
            edges.add(new Rows.EdgeRow(e.i(), e.j(), p));
        }
        Rows.RunRow run = run(runId, Vocabulary.KIND_DEPENDENCE, RunFolderWriter.METHOD, in, params.asMap(), tags);
        if (cosine != null) {
            // the published finding: decoder cosine and edge strength are only weakly aligned on stable edges
            Double r = cosineStrengthCorrelation(found, cosine);
            run.properties().put("cosineStrengthCorrelation", r);
            out.println("  |cosine| vs |weight| over stable edges: Pearson r = "
                    + (r == null ? "n/a (fewer than 3 stable edges)" : String.format(Locale.ROOT, "%.3f", r)));
        }
        run.properties().put("rStar", result.rStar().isPresent() ? result.rStar().getAsInt() : null);
        run.properties().put("stableEdges", result.stableEdges().size());
        run.properties().put("fdrTable", json(Rows.fdrRows(result.fdrTable(), true)));
        RunThreshold.put(run.properties(), result);
        run.properties().put("trials", json(result.trials()));
        writer.run(run, Vocabulary.DEPENDS, edges);
    }

    /** Pearson correlation of |decoder cosine| with |weight| over the stable edges; null below 3 edges. */
    static Double cosineStrengthCorrelation(List<StableEdge> edges, float[] cosine) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int k = 0; k < edges.size(); k++) {
            if (!edges.get(k).stable()) {
                continue;
            }
            double x = Math.abs(cosine[k]);
            double y = Math.abs(edges.get(k).weight());
            n++;
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }
        if (n < 3) {
            return null;
        }
        double cov = sxy / n - sx / n * sy / n;
        double vx = sxx / n - sx / n * sx / n;
        double vy = syy / n - sy / n * sy / n;
        return vx <= 0 || vy <= 0 ? null : cov / Math.sqrt(vx * vy);
    }

    private Rows.RunRow run(String id, String kind, String method, SaeInput in, Map<String, Object> params,
                            Map<String, Object> tags) {
        Map<String, Object> props = new LinkedHashMap<>(tags);
        props.put("method", method);
        props.put("parameters", json(params));
        props.put("software", AtlasVersion.SOFTWARE);
        props.put("inputSha256", in.inputSha256());
        if (in.activations() != null) {
            props.put("tokens", in.activations().tokens());
        }
        return new Rows.RunRow(id, kind, in.sae().id(), props);
    }

    /** A run's id: its kind and a hash of SAE, parameters, input and software, so the same run is the same id. */
    static String runId(String kind, SaeInput in, Map<String, Object> params) {
        return kind + "-" + Checksums.of(in.sae().id(), json(params), in.inputSha256(), AtlasVersion.SOFTWARE).substring(0, 16);
    }

    private boolean complete(String runId) {
        if (writes == null) {
            return false; // offline: a new database holds no runs
        }
        return ((Number) writes.read("MATCH (r:Run {id: $id, status: $complete}) RETURN count(r) AS n",
                Map.of("id", runId, "complete", Vocabulary.STATUS_COMPLETE)).get(0).get("n")).longValue() > 0;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
