package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.saeatlas.compute.matching.MatchParameters;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.SaeMatching;
import org.saeatlas.ingest.analytics.MatchLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "match", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Match the features of two SAEs in the atlas (other seed, width or layer) and store the matches as"
                + " (:Feature)-[:MATCHES {run, method, score, rank}]->(:Feature): by decoder cosine (SAELens folders"
                + " of both) and/or by activation correlation (activations of both over the same tokens). Each gives"
                + " the one-to-one assignment, mutual nearest neighbours and, between widths, one-to-many splits;"
                + " Feature.matchedIn counts the other SAEs in which a feature has a confident match.",
            "By neighbourhood structure (--method structural): each feature's degree, strength, clustering and"
                + " neighbour degrees in a run's graph of its SAE (newest co-activation run unless --run-a/--run-b),"
                + " nearest neighbours across the two graphs; stored as a run of kind structural_match with method"
                + " structural/..., weak evidence that never counts towards seed stability or comparisons. Included"
                + " by default when both SAEs have such a run.",
            "Example: ./atlas match sae-s0 sae-s1 --saelens-a s0/ --saelens-b s1/",
            "         ./atlas match sae-s0 sae-s1 --method structural --graph dependence"})
class MatchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SAE_A", description = "First SAE id (already in the atlas).")
    String saeA;

    @Parameters(index = "1", paramLabel = "SAE_B", description = "Second SAE id.")
    String saeB;

    @Option(names = "--saelens-a", paramLabel = "DIR", description = "SAELens folder of SAE A (decoder cosine).")
    Path saelensA;

    @Option(names = "--saelens-b", paramLabel = "DIR", description = "SAELens folder of SAE B.")
    Path saelensB;

    @Option(names = "--activations-a", paramLabel = "PATH", description = "Activations of SAE A (activation correlation).")
    Path activationsA;

    @Option(names = "--activations-b", paramLabel = "PATH", description = "Activations of SAE B over the same tokens.")
    Path activationsB;

    @Option(names = "--method", split = ",", paramLabel = "METHOD",
            description = "decoder_cosine, activation_correlation and/or structural (default: every one the inputs"
                    + " allow).")
    List<String> methods;

    @Option(names = "--run-a", paramLabel = "RUN", description = "Structural matching: the run whose graph describes"
            + " SAE A's features (default: its newest complete run of --graph).")
    String runA;

    @Option(names = "--run-b", paramLabel = "RUN", description = "Structural matching: the run of SAE B.")
    String runB;

    @Option(names = "--graph", defaultValue = "coactivation", paramLabel = "KIND",
            description = "Structural matching: run kind whose graphs are compared, coactivation, dependence (stable"
                    + " edges) or cosine (default: ${DEFAULT-VALUE}).")
    String graph;

    @Option(names = "--min-score", defaultValue = "0.7",
            description = "A one-to-one match needs at least this cosine or correlation (default: ${DEFAULT-VALUE}).")
    double minScore;

    @Option(names = "--split-min-score", defaultValue = "0.5",
            description = "A one-to-many (split) partner needs at least this (default: ${DEFAULT-VALUE}).")
    double splitMinScore;

    @Option(names = "-k", defaultValue = "10", description = "Candidates per feature, each way (default: ${DEFAULT-VALUE}).")
    int k;

    @Mixin
    DatabaseOptions database;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        if ((saelensA == null) != (saelensB == null) || (activationsA == null) != (activationsB == null)
                || (runA == null) != (runB == null)) {
            throw new AtlasException("match: give --saelens-a with --saelens-b, --activations-a with"
                    + " --activations-b, and --run-a with --run-b");
        }
        Set<String> wanted = methods == null ? null : parseMethods(methods);
        MatchParameters d = MatchParameters.defaults();
        MatchParameters params = new MatchParameters(k, minScore, splitMinScore, d.minCoFiring(), d.threads());
        List<MatchLoader.Summary> done = new SaeMatching(database.target(), System.out).match(new SaeMatching.Request(
                saeA, saeB, saelensA, saelensB, activationsA, activationsB, wanted, runA, runB, graph, params),
                threads -> device.engine(database.data, threads));
        for (MatchLoader.Summary s : done) {
            System.out.printf(Locale.ROOT, "%s: match run %s, %,d assigned, %.1f%% of %s and %.1f%% of %s"
                    + " matched at score >= %.2f%s%n", s.similarity(), s.run(), s.assignmentMatches(),
                    100 * s.shareMatchedA(), saeA, 100 * s.shareMatchedB(), saeB, minScore,
                    s.similarity().equals(STRUCTURAL) ? " (weak evidence: not counted in seed stability)" : "");
        }
        return 0;
    }

    static final String DECODER_COSINE = SaeMatching.DECODER_COSINE;
    static final String ACTIVATION_CORRELATION = SaeMatching.ACTIVATION_CORRELATION;
    static final String STRUCTURAL = SaeMatching.STRUCTURAL;

    private static Set<String> parseMethods(List<String> given) {
        Set<String> out = new LinkedHashSet<>();
        for (String m : given) {
            String x = m.trim().toLowerCase(Locale.ROOT);
            if (!List.of(DECODER_COSINE, ACTIVATION_CORRELATION, STRUCTURAL).contains(x)) {
                throw new AtlasException("--method: expected decoder_cosine, activation_correlation or structural,"
                        + " found '" + m + "'");
            }
            out.add(x);
        }
        return out;
    }
}
