package org.saeatlas.ingest.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.store.BulkImport;
import org.saeatlas.ingest.store.Rows;
import org.saeatlas.schema.Vocabulary;

/**
 * A synthetic atlas for ingest benchmarks and tests: one model, one SAE of {@code features} features and one
 * dependence run of {@code edges} distinct random pairs {@code i < j} with the properties of a dependence edge.
 * The same seed gives the same atlas.
 */
public final class SyntheticAtlas {

    public static final String MODEL = "bench-model";
    public static final String SAE = "bench-sae";

    private SyntheticAtlas() {
    }

    public static BulkImport.Content generate(int features, int edges, long seed) {
        long pairs = (long) features * (features - 1) / 2;
        if (features < 2 || edges < 0 || edges > pairs / 2) {
            throw new AtlasException("synthetic atlas: expected at least 2 features and at most half of the "
                    + pairs + " pairs as edges, found " + features + " features and " + edges + " edges");
        }
        Random random = new Random(seed);
        List<Rows.FeatureRow> rows = new ArrayList<>(features);
        for (int f = 0; f < features; f++) {
            double rate = random.nextDouble() * 1e-2;
            rows.add(new Rows.FeatureRow(f, rate, 1 + random.nextDouble(), 2 + 8 * random.nextDouble()));
        }
        return new BulkImport.Content(
                List.of(new Rows.ModelRow(MODEL, "Synthetic benchmark model")),
                List.of(new Rows.SaeRow(SAE, MODEL, "bench", 0, "blocks.0.hook_resid_post", features, (int) seed,
                        "relu", 512)),
                Map.of(SAE, rows), Map.of(), Map.of(),
                List.of(new BulkImport.RunEdges(run(seed, features, edges), Vocabulary.DEPENDS,
                        edges(features, edges, random))));
    }

    /**
     * The synthetic run, with an id of the form real runs get ({@code dependence-} and 16 hex digits of a hash of
     * what made it, see {@code SaeLoader.runId}): the id is stored on every edge, so its length matters to the store.
     */
    public static Rows.RunRow run(long seed, int features, int edges) {
        String id = Vocabulary.KIND_DEPENDENCE + "-" + org.saeatlas.ingest.formats.Checksums.of("bench", String.valueOf(seed),
                String.valueOf(features), String.valueOf(edges)).substring(0, 16);
        return new Rows.RunRow(id, Vocabulary.KIND_DEPENDENCE,
                SAE, Map.of("method", "synthetic", "parameters", "{\"seed\":" + seed + "}", "software", "sae-atlas bench"));
    }

    /**
     * A modular synthetic atlas for the analytics benchmark: one SAE of {@code features} features in planted modules
     * of {@code moduleSize} consecutive features (feature f is in module f / moduleSize) and one co-activation run
     * of {@code edges} distinct pairs, a share {@code inside} of them inside a module (weight 0.5-1) and the rest
     * between random features (weight 0.05-0.3). The same seed gives the same atlas.
     */
    public static BulkImport.Content modular(int features, int edges, int moduleSize, double inside, long seed) {
        long insidePairs = (long) (features / moduleSize) * moduleSize * (moduleSize - 1) / 2;
        if (moduleSize < 2 || features < moduleSize || !(inside >= 0 && inside <= 1)
                || inside * edges > insidePairs / 2.0 || edges > (long) features * (features - 1) / 4) {
            throw new AtlasException("synthetic modular atlas: " + features + " features in modules of " + moduleSize
                    + " hold " + insidePairs + " inside pairs; " + edges + " edges with " + inside + " inside need"
                    + " at most half of them");
        }
        Random random = new Random(seed);
        List<Rows.FeatureRow> rows = new ArrayList<>(features);
        for (int f = 0; f < features; f++) {
            rows.add(new Rows.FeatureRow(f, random.nextDouble() * 1e-2, 1 + random.nextDouble(), 2 + 8 * random.nextDouble()));
        }
        int modules = features / moduleSize;
        Set<Long> seen = new HashSet<>(edges * 2);
        List<Rows.EdgeRow> out = new ArrayList<>(edges);
        long wantInside = Math.round(inside * edges);
        while (out.size() < edges) {
            boolean in = out.size() < wantInside;
            int a;
            int b;
            if (in) {
                int m = random.nextInt(modules);
                a = m * moduleSize + random.nextInt(moduleSize);
                b = m * moduleSize + random.nextInt(moduleSize);
            } else {
                a = random.nextInt(features);
                b = random.nextInt(features);
            }
            if (a == b || !seen.add(Math.min(a, b) * (long) features + Math.max(a, b))) {
                continue;
            }
            double w = in ? 0.5 + 0.5 * random.nextDouble() : 0.05 + 0.25 * random.nextDouble();
            out.add(new Rows.EdgeRow(Math.min(a, b), Math.max(a, b), Map.of("weight", w, "correlation", w,
                    "count", 1 + random.nextInt(50), "jaccard", w / 2)));
        }
        Rows.RunRow run = new Rows.RunRow("bench-coactivation-" + seed + "-" + features + "-" + edges + "-m"
                + moduleSize, Vocabulary.KIND_COACTIVATION, SAE, Map.of("method", "synthetic-modular",
                "parameters", "{\"seed\":" + seed + ",\"moduleSize\":" + moduleSize + ",\"inside\":" + inside + "}",
                "software", "sae-atlas bench"));
        return new BulkImport.Content(
                List.of(new Rows.ModelRow(MODEL, "Synthetic benchmark model")),
                List.of(new Rows.SaeRow(SAE, MODEL, "bench", 0, "blocks.0.hook_resid_post", features, (int) seed,
                        "relu", 512)),
                Map.of(SAE, rows), Map.of(), Map.of(),
                List.of(new BulkImport.RunEdges(run, Vocabulary.COACTIVATES, out)));
    }

    private static List<Rows.EdgeRow> edges(int features, int edges, Random random) {
        Set<Long> seen = new HashSet<>(edges * 2);
        List<Rows.EdgeRow> out = new ArrayList<>(edges);
        while (out.size() < edges) {
            int a = random.nextInt(features);
            int b = random.nextInt(features);
            if (a == b || !seen.add(Math.min(a, b) * (long) features + Math.max(a, b))) {
                continue;
            }
            int replicates = 1 + random.nextInt(100);
            out.add(new Rows.EdgeRow(Math.min(a, b), Math.max(a, b), Map.of(
                    "weight", random.nextGaussian() * 0.1,
                    "replicates", replicates,
                    "nullReplicates", random.nextInt(replicates),
                    "signConsistency", 0.5 + random.nextDouble() / 2,
                    "stable", replicates >= 50)));
        }
        return out;
    }
}
