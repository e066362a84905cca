package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.neo4j.driver.Driver;
import org.saeatlas.compute.AtlasException;
import org.saeatlas.compute.ComputeEngine;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.matching.MatchParameters;
import org.saeatlas.compute.sae.SaeWeights;
import org.saeatlas.ingest.analytics.MatchLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.formats.ActivationFiles;
import org.saeatlas.ingest.formats.SaeLensFolder;
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
            "Example: ./atlas match sae-s0 sae-s1 --saelens-a s0/ --saelens-b s1/"})
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
        if ((saelensA == null) != (saelensB == null) || (activationsA == null) != (activationsB == null)) {
            throw new AtlasException("match: give --saelens-a with --saelens-b, and --activations-a with"
                    + " --activations-b");
        }
        SaeWeights wa = saelensA == null ? null : SaeLensFolder.read(saelensA);
        SaeWeights wb = saelensB == null ? null : SaeLensFolder.read(saelensB);
        SparseActivations xa = activationsA == null ? null : ActivationFiles.read(activationsA);
        SparseActivations xb = activationsB == null ? null : ActivationFiles.read(activationsB);
        if (wa != null && wa.dIn() != wb.dIn()) {
            throw new AtlasException("match: decoder cosine needs the same d_in, found " + wa.dIn() + " (" + saelensA
                    + ") and " + wb.dIn() + " (" + saelensB + "); use activation correlation across layers");
        }
        MatchParameters d = MatchParameters.defaults();
        MatchParameters params = new MatchParameters(k, minScore, splitMinScore, d.minCoFiring(), d.threads());
        try (ComputeEngine engine = wa != null ? device.engine(database.data, params.threads())
                : ComputeEngine.java(params.threads());
             AtlasDatabase db = AtlasDatabase.open(database.target())) {
            MatchLoader.Side a = side(db.driver(), saeA, wa, xa);
            MatchLoader.Side b = side(db.driver(), saeB, wb, xb);
            List<MatchLoader.Summary> done = new MatchLoader(db.driver(), System.out, engine.cosine()).load(a, b,
                    params);
            for (MatchLoader.Summary s : done) {
                System.out.printf(java.util.Locale.ROOT, "%s: match run %s, %,d assigned, %.1f%% of %s and %.1f%% of %s"
                        + " matched%n", s.similarity(), s.run(), s.assignmentMatches(), 100 * s.shareMatchedA(), saeA,
                        100 * s.shareMatchedB(), saeB);
            }
        }
        return 0;
    }

    private static MatchLoader.Side side(Driver driver, String sae, SaeWeights w, SparseActivations x) {
        int width;
        try (var session = driver.session()) {
            var rows = session.run("MATCH (s:Sae {id: $id}) RETURN s.width AS width", java.util.Map.of("id", sae)).list();
            if (rows.isEmpty()) {
                throw new AtlasException("SAE " + sae + " is not in the atlas; add it with `atlas build` first");
            }
            width = rows.get(0).get("width").asInt();
        }
        return new MatchLoader.Side(sae, width, w == null ? null : w.wDec(), w == null ? 0 : w.dIn(), x);
    }
}
