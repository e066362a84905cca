package org.saeatlas.ingest.analytics;

import org.saeatlas.schema.AtlasVersion;
import static org.saeatlas.schema.Vocabulary.featureId;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.matching.FeatureMatcher;
import org.saeatlas.compute.matching.FeatureMatches;
import org.saeatlas.compute.matching.Match;
import org.saeatlas.compute.matching.MatchParameters;
import org.saeatlas.compute.matching.MatchResult;
import org.saeatlas.compute.matching.Similarity;
import org.saeatlas.compute.matching.StructuralMatcher;
import org.saeatlas.compute.sae.CosineTopK;
import org.saeatlas.compute.sae.DecoderCosine;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.CypherRow;
import org.saeatlas.ingest.store.RunLoading;
import org.saeatlas.ingest.store.RunStore;
import org.saeatlas.schema.Vocabulary;

/**
 * Matches the features of two SAEs already in the atlas ({@link FeatureMatcher}) and stores them:
 * {@code (:Feature)-[:MATCHES {run, method, score, rank}]->(:Feature)} from SAE A to SAE B, one match run per
 * similarity ({@code decoder_cosine} when both decoders are given, {@code activation_correlation} when both SAEs'
 * activations over the same tokens are given). Each run holds the one-to-one assignment ({@code method =
 * '<similarity>/assignment'}), the mutual nearest neighbours ({@code '<similarity>/mutual_nearest'}) and, when the
 * widths differ, the one-to-many split matches ({@code '<similarity>/one_to_many'}).
 *
 * <p>Runs follow the atlas protocol: identified by content (both SAEs, similarity, parameters, input checksums,
 * software), {@code loading} while edges are written and {@code complete} when all are in; loading again is a no-op.
 * After each run, the seed stability {@code Feature.matchedIn} of both SAEs' features is recomputed: the number of
 * other SAEs in which the feature has a one-to-one assignment match in some complete match run.
 *
 * <p>Matching by neighbourhood structure ({@link #loadStructural}) compares two runs' graphs instead and is stored
 * as a run of its own kind, {@value Vocabulary#KIND_STRUCTURAL_MATCH}, which seed stability and comparisons leave
 * out (only {@code match} runs are counted).
 */
public final class MatchLoader {

    /** Pairing names stored in {@code MATCHES.method} after the similarity. */
    public static final String ASSIGNMENT = RunStore.MATCH_ASSIGNMENT;
    public static final String MUTUAL_NEAREST = "mutual_nearest";
    public static final String ONE_TO_MANY = "one_to_many";

    private final CypherExecutor db;
    private final PrintStream out;
    private final Progress progress;
    private final CosineTopK cosine;
    private final RunLoading loading;

    /** Decoder cosine in Java. */
    public MatchLoader(CypherExecutor db, PrintStream out) {
        this(db, out, DecoderCosine.inJava(MatchParameters.defaults().threads()));
    }

    /** Decoder cosine top-k (both directions, one pass) computed by {@code cosine}, e.g. the DJL engine. */
    public MatchLoader(CypherExecutor db, PrintStream out, CosineTopK cosine) {
        this.db = db;
        this.out = out;
        this.progress = new ProgressPrinter(out);
        this.cosine = cosine;
        this.loading = new RunLoading(db, progress);
    }

    /**
     * One SAE's inputs to matching.
     *
     * @param sae         the SAE's id in the atlas
     * @param width       its number of features
     * @param decoder     decoder rows [width, dIn] row-major, or null
     * @param dIn         decoder row length (0 without a decoder)
     * @param activations activations over the token sample shared with the other SAE, or null
     */
    public record Side(String sae, int width, float[] decoder, int dIn, SparseActivations activations) {
        public Side {
            if (decoder != null && (dIn < 1 || decoder.length != (long) width * dIn)) {
                throw new AtlasException("SAE " + sae + ": decoder has " + decoder.length + " values, expected width"
                        + " x d_in = " + width + " x " + dIn);
            }
            if (activations != null && activations.featureCount() != width) {
                throw new AtlasException("SAE " + sae + ": activations have " + activations.featureCount()
                        + " feature columns but the SAE has width " + width);
            }
        }
    }

    /** What one match run stored (or found stored: {@code computed = false}). */
    public record Summary(String run, String similarity, boolean computed, long edges, int assignmentMatches,
                          int mutualNearestMatches, int oneToManyMatches, double shareMatchedA, double shareMatchedB,
                          double seconds) { }

    /** Every similarity both sides allow: decoder cosine, activation correlation, or both. */
    public List<Summary> load(Side a, Side b, MatchParameters params) {
        List<Summary> done = new ArrayList<>();
        if (a.decoder() != null && b.decoder() != null) {
            done.add(load(a, b, Similarity.DECODER_COSINE, params));
        }
        if (a.activations() != null && b.activations() != null) {
            done.add(load(a, b, Similarity.ACTIVATION_CORRELATION, params));
        }
        if (done.isEmpty()) {
            throw new AtlasException("matching " + a.sae() + " with " + b.sae() + ": give both decoders (decoder"
                    + " cosine) or both SAEs' activations over the same tokens (activation correlation)");
        }
        return done;
    }

    public Summary load(Side a, Side b, Similarity similarity, MatchParameters params) {
        if (similarity == Similarity.STRUCTURAL) {
            throw new AtlasException("matching by structure compares two runs' graphs: use loadStructural(runA, runB,"
                    + " params)");
        }
        String name = similarity.name().toLowerCase(Locale.ROOT);
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("k", params.k());
        identity.put("minScore", params.minScore());
        identity.put("splitMinScore", params.splitMinScore());
        if (similarity == Similarity.ACTIVATION_CORRELATION) {
            identity.put("minCoFiring", params.minCoFiring());
        }
        String inputs = inputSha(a, b, similarity);
        String runId = "match-" + Checksums.of(a.sae(), b.sae(), name, RunAnalysis.json(identity), inputs,
                AtlasVersion.SOFTWARE).substring(0, 16);
        Target t = new Target(runId, Vocabulary.KIND_MATCH, a.sae(), b.sae(), a.width(), b.width(), name, identity,
                inputs, List.of());
        return store(t, params, () -> similarity == Similarity.DECODER_COSINE
                ? FeatureMatcher.byDecoderCosine(cosine, a.decoder(), a.width(), b.decoder(), b.width(), a.dIn(), params,
                        progress)
                : FeatureMatcher.byActivationCorrelation(a.activations(), b.activations(), params, progress));
    }

    /**
     * Matching by neighbourhood structure ({@link StructuralMatcher}) of the features of two runs' graphs, on two
     * different SAEs: stored as a run of kind {@value Vocabulary#KIND_STRUCTURAL_MATCH} (not {@code match}) with
     * {@code method = 'structural'}, {@code graphRuns = [runA, runB]} and the statistics in its parameters; its
     * {@code MATCHES} edges read {@code structural/assignment} etc. Structure is weak evidence, so these matches do
     * not count towards {@code Feature.matchedIn}, edge seed stability or comparisons (which refuse such a run).
     */
    public Summary loadStructural(String runA, String runB, MatchParameters params) {
        WeightedRunGraph.Info ia = WeightedRunGraph.info(db, runA);
        WeightedRunGraph.Info ib = WeightedRunGraph.info(db, runB);
        if (ia.sae().equals(ib.sae())) {
            throw new AtlasException("matching by structure: runs " + runA + " and " + runB + " are both on SAE "
                    + ia.sae() + "; expected runs on two different SAEs");
        }
        String name = Similarity.STRUCTURAL.name().toLowerCase(Locale.ROOT);
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("k", params.k());
        identity.put("minScore", params.minScore());
        identity.put("splitMinScore", params.splitMinScore());
        identity.put("graphRuns", List.of(runA, runB));
        identity.put("statistics", List.of("log1p(degree)", "log1p(strength)", "clustering",
                "log1p(mean neighbour degree)", "log1p(max neighbour degree)"));
        identity.put("standardisation", "z-scores pooled over the nodes with edges of both graphs");
        identity.put("score", "1 / (1 + Euclidean distance), exact k nearest both ways (k-d tree)");
        identity.put("weights", "|weight|; dependence runs: stable edges only");
        String inputs = Checksums.of(runA, runB);
        String runId = "structural-match-" + Checksums.of(ia.sae(), ib.sae(), name, RunAnalysis.json(identity), inputs,
                AtlasVersion.SOFTWARE).substring(0, 16);
        Target t = new Target(runId, Vocabulary.KIND_STRUCTURAL_MATCH, ia.sae(), ib.sae(), ia.width(), ib.width(),
                name, identity, inputs, List.of(runA, runB));
        return store(t, params, () -> {
            WeightedRunGraph ga = WeightedRunGraph.read(db, runA);
            WeightedRunGraph gb = WeightedRunGraph.read(db, runB);
            return StructuralMatcher.match(ga.graph(), gb.graph(), params, progress);
        });
    }

    /** The newest complete run of {@code kind} on {@code sae} (a graph to match by structure), or null. */
    public String newestRun(String sae, String kind) {
        List<Map<String, Object>> rows = db.read("""
                MATCH (r:Run {sae: $sae, kind: $kind, status: $complete})
                RETURN r.id AS id ORDER BY r.completedAt DESC, r.id LIMIT 1""",
                Map.of("sae", sae, "kind", kind, "complete", Vocabulary.STATUS_COMPLETE));
        return rows.isEmpty() ? null : (String) rows.get(0).get("id");
    }

    /** The number of features of an SAE in the atlas; fails clearly when the SAE is not there. */
    public int width(String sae) {
        List<CypherRow> rows = CypherRow.of(db.read("MATCH (s:Sae {id: $id}) RETURN s.width AS width",
                Map.of("id", sae)));
        if (rows.isEmpty()) {
            throw new AtlasException("SAE " + sae + " is not in the atlas; add it with `atlas build` first");
        }
        return rows.get(0).asInt("width");
    }

    /** Where one match run goes: its id, kind, SAEs, similarity, identity and provenance. */
    private record Target(String runId, String kind, String saeA, String saeB, int widthA, int widthB,
                          String similarity, Map<String, Object> identity, String inputs, List<String> graphRuns) { }

    private Summary store(Target t, MatchParameters params, Supplier<FeatureMatches> compute) {
        long t0 = System.nanoTime();
        String runId = t.runId();
        String name = t.similarity();
        RunLoading.Load load = begin(t);
        if (load.alreadyComplete()) {
            CypherRow run = new CypherRow(load.stored());
            out.println("  match run " + runId + " (" + name + ") already loaded");
            return new Summary(runId, name, false, run.asLong("edgeCount"), run.asInt("assignmentMatches"),
                    run.asInt("mutualNearestMatches"), run.asInt("oneToManyMatches"),
                    run.asDouble("shareMatchedA"), run.asDouble("shareMatchedB"), 0);
        }
        load.clearEdges(List.of(Vocabulary.MATCHES));
        long tCompute = System.nanoTime();
        FeatureMatches m = compute.get();
        long tWrite = System.nanoTime();
        List<Match> edges = new ArrayList<>(m.assignment().matches());
        edges.addAll(m.mutualNearest().matches());
        boolean split = t.widthA() != t.widthB();
        if (split) {
            edges.addAll(m.oneToMany().matches());
        }
        loading.write("matches " + name, edges, """
                UNWIND $rows AS row
                MATCH (a:Feature {id: row.a}), (b:Feature {id: row.b})
                CREATE (a)-[e:MATCHES]->(b)
                SET e.run = $run, e.method = row.method, e.score = row.score, e.rank = row.rank""",
                Map.of("run", runId), x -> Map.of("a", featureId(t.saeA(), x.a()), "b", featureId(t.saeB(), x.b()),
                        "method", x.method(), "score", x.score(), "rank", x.rank()));
        MatchResult as = m.assignment();
        Map<String, Object> done = new HashMap<>();
        done.put("edgeCount", edges.size());
        done.put("assignmentMatches", as.matches().size());
        done.put("mutualNearestMatches", m.mutualNearest().matches().size());
        done.put("oneToManyMatches", split ? m.oneToMany().matches().size() : 0);
        done.put("shareMatchedA", as.shareMatchedA());
        done.put("shareMatchedB", as.shareMatchedB());
        done.put("mutualNearestShareA", m.mutualNearest().shareMatchedA());
        done.put("mutualNearestShareB", m.mutualNearest().shareMatchedB());
        done.put("candidatePairs", m.candidates().size());
        done.put("engine", Similarity.DECODER_COSINE.name().toLowerCase(Locale.ROOT).equals(name) ? cosine.name() : "java");
        load.complete(done);
        long tStability = System.nanoTime();
        if (Vocabulary.KIND_MATCH.equals(t.kind())) {
            updateMatchedIn(t.saeA());
            updateMatchedIn(t.saeB());
        }
        long tEnd = System.nanoTime();
        double seconds = (tEnd - t0) / 1e9;
        out.printf(Locale.ROOT, "  %s matches %s -> %s: %,d assigned (%.1f%% of A, %.1f%% of B at score >= %.2f),"
                + " %,d mutual nearest%s (%.1fs: compute %.1fs, write %.1fs, matchedIn %s)%n", name, t.saeA(),
                t.saeB(), as.matches().size(), 100 * as.shareMatchedA(), 100 * as.shareMatchedB(), params.minScore(),
                m.mutualNearest().matches().size(),
                split ? String.format(Locale.ROOT, ", %,d one-to-many", m.oneToMany().matches().size()) : "", seconds,
                (tWrite - tCompute) / 1e9, (tStability - tWrite) / 1e9, Vocabulary.KIND_MATCH.equals(t.kind())
                        ? String.format(Locale.ROOT, "%.1fs", (tEnd - tStability) / 1e9)
                        : "not counted: structural matches are not seed stability");
        return new Summary(runId, name, true, edges.size(), as.matches().size(), m.mutualNearest().matches().size(),
                split ? m.oneToMany().matches().size() : 0, as.shareMatchedA(), as.shareMatchedB(), seconds);
    }

    private static String inputSha(Side a, Side b, Similarity similarity) {
        return similarity == Similarity.DECODER_COSINE
                ? Checksums.of(Hashes.of(a.decoder(), a.width(), a.dIn()), Hashes.of(b.decoder(), b.width(), b.dIn()))
                : Checksums.of(Checksums.of(a.activations()), Checksums.of(b.activations()));
    }

    private RunLoading.Load begin(Target t) {
        return loading.begin("Run", t.runId(), """
                MATCH (sa:Sae {id: $a}), (sb:Sae {id: $b})
                MERGE (r:Run {id: $id})
                ON CREATE SET r.kind = $kind, r.sae = $a, r.saeB = $b, r.saes = [$a, $b], r.method = $method,
                              r.parameters = $parameters, r.software = $software, r.inputSha256 = $inputs,
                              r.graphRuns = $graphRuns, r.status = $loading, r.createdAt = toString(datetime())
                MERGE (r)-[:ON_SAE]->(sa)
                MERGE (r)-[:ON_SAE]->(sb)
                RETURN r.status AS status""", RunAnalysis.params("a", t.saeA(), "b", t.saeB(),
                "kind", t.kind(), "method", t.similarity(), "parameters", RunAnalysis.json(t.identity()),
                "software", AtlasVersion.SOFTWARE, "inputs", t.inputs(),
                "graphRuns", t.graphRuns().isEmpty() ? null : t.graphRuns()),
                () -> "matching " + t.saeA() + " with " + t.saeB() + ": both SAEs must be in the atlas"
                        + " first (load them with `atlas build` or the demo)");
    }

    /** {@code matchedIn} of every feature of an SAE: other SAEs holding an assignment match in a complete run. */
    private void updateMatchedIn(String sae) {
        RunStore.updateMatchedIn(db, sae, loading.batch());
    }
}
