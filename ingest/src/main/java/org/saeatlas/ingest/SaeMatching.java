package org.saeatlas.ingest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.matching.MatchParameters;
import org.saeatlas.compute.matching.Similarity;
import org.saeatlas.compute.sae.SaeWeights;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.analytics.MatchLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.formats.ActivationFiles;
import org.saeatlas.ingest.formats.SaeLensFolder;

/**
 * The features of two SAEs in the atlas matched ({@code ./atlas match}): by decoder cosine from both SAELens folders,
 * by activation correlation from both SAEs' activations over the same tokens, and by neighbourhood structure in a
 * run's graph of each; each method a match run ({@link MatchLoader}).
 */
public final class SaeMatching {

    public static final String DECODER_COSINE = "decoder_cosine";
    public static final String ACTIVATION_CORRELATION = "activation_correlation";
    public static final String STRUCTURAL = "structural";

    /**
     * The two SAEs, their SAELens folders and activations (each pair both given or both null), the methods wanted
     * (null: every one the inputs allow), the runs whose graphs are compared by structure (null: each SAE's newest
     * complete run of kind {@code graph}) and the matching parameters.
     */
    public record Request(String saeA, String saeB, Path saelensA, Path saelensB, Path activationsA,
            Path activationsB, Set<String> methods, String runA, String runB, String graph, MatchParameters params) {
    }

    private final Neo4jTarget target;
    private final PrintStream out;

    public SaeMatching(Neo4jTarget target, PrintStream out) {
        this.target = target;
        this.out = out;
    }

    /**
     * Stores a match run per method and returns their summaries; {@code engines} gives the compute engine of decoder
     * cosine (its argument: threads).
     */
    public List<MatchLoader.Summary> match(Request r, IntFunction<ComputeEngine> engines) {
        Set<String> wanted = r.methods();
        boolean cosine = wanted == null ? r.saelensA() != null : wanted.contains(DECODER_COSINE);
        boolean correlation = wanted == null ? r.activationsA() != null : wanted.contains(ACTIVATION_CORRELATION);
        if (cosine && r.saelensA() == null) {
            throw new AtlasException("match --method " + DECODER_COSINE + " needs --saelens-a and --saelens-b");
        }
        if (correlation && r.activationsA() == null) {
            throw new AtlasException("match --method " + ACTIVATION_CORRELATION + " needs --activations-a and"
                    + " --activations-b (both SAEs' activations over the same tokens)");
        }
        SaeWeights wa = cosine ? SaeLensFolder.read(r.saelensA()) : null;
        SaeWeights wb = cosine ? SaeLensFolder.read(r.saelensB()) : null;
        SparseActivations xa = correlation ? ActivationFiles.read(r.activationsA()) : null;
        SparseActivations xb = correlation ? ActivationFiles.read(r.activationsB()) : null;
        if (wa != null && wa.dIn() != wb.dIn()) {
            throw new AtlasException("match: decoder cosine needs the same d_in, found " + wa.dIn() + " ("
                    + r.saelensA() + ") and " + wb.dIn() + " (" + r.saelensB() + "); use activation correlation across"
                    + " layers");
        }
        MatchParameters params = r.params();
        try (ComputeEngine engine = wa != null ? engines.apply(params.threads()) : ComputeEngine.java(params.threads());
             AtlasDatabase db = AtlasDatabase.open(target)) {
            MatchLoader loader = new MatchLoader(db.cypher(), out, engine.cosine());
            MatchLoader.Side a = side(loader, r.saeA(), wa, xa);
            MatchLoader.Side b = side(loader, r.saeB(), wb, xb);
            List<MatchLoader.Summary> done = new ArrayList<>();
            if (cosine) {
                done.add(loader.load(a, b, Similarity.DECODER_COSINE, params));
            }
            if (correlation) {
                done.add(loader.load(a, b, Similarity.ACTIVATION_CORRELATION, params));
            }
            String[] graphs = structuralRuns(loader, r);
            if (graphs != null) {
                out.println("matching by structure: graphs of " + graphs[0] + " and " + graphs[1]);
                done.add(loader.loadStructural(graphs[0], graphs[1], params));
            }
            if (done.isEmpty()) {
                throw new AtlasException("match: nothing to match " + r.saeA() + " and " + r.saeB() + " by: give both"
                        + " SAELens folders (decoder cosine), both SAEs' activations (activation correlation), or load"
                        + " a " + r.graph() + " run of each SAE (structural)");
            }
            return done;
        }
    }

    /** The two runs to match by structure, or null when structure is not wanted (or, by default, not possible). */
    private static String[] structuralRuns(MatchLoader loader, Request r) {
        boolean asked = r.methods() != null && r.methods().contains(STRUCTURAL);
        if (r.methods() != null && !asked) {
            return null;
        }
        if (r.runA() != null) {
            return new String[] {r.runA(), r.runB()};
        }
        String ra = loader.newestRun(r.saeA(), r.graph());
        String rb = loader.newestRun(r.saeB(), r.graph());
        if (ra != null && rb != null) {
            return new String[] {ra, rb};
        }
        if (asked) {
            throw new AtlasException("match --method structural: " + (ra == null ? r.saeA() : r.saeB()) + " has no"
                    + " complete " + r.graph() + " run; load one, or name the runs with --run-a and --run-b");
        }
        return null;
    }

    private static MatchLoader.Side side(MatchLoader loader, String sae, SaeWeights w, SparseActivations x) {
        return new MatchLoader.Side(sae, loader.width(sae), w == null ? null : w.wDec(), w == null ? 0 : w.dIn(), x);
    }
}
