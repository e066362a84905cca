package org.saeatlas.cli;

import java.util.concurrent.Callable;
import org.saeatlas.compute.comparison.ComparisonParameters;
import org.saeatlas.ingest.analytics.RunComparison;
import org.saeatlas.ingest.db.AtlasDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Compare the graphs of two runs (e.g. the co-activation graphs of two seeds) through the stored matches"
                + " between their SAEs: Jensen-Shannon divergence (log base 2, the divergence, not its square root)"
                + " of degree and strength distributions against Erdos-Renyi and degree-preserving random graphs"
                + " averaged over seeds, edge Jaccard under the one-to-one matching, and community agreement (ARI,"
                + " NMI) when both runs are analysed. Stored as a (:Comparison) node.",
            "Match the SAEs first (`atlas match`; the demo does it), and analyse both runs for community agreement."})
class CompareCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_A", description = "First run id.")
    String runA;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "Second run id.")
    String runB;

    @Option(names = "--match-run", paramLabel = "ID",
            description = "Match run between the two SAEs (default: the newest complete one).")
    String matchRun;

    @Option(names = "--baseline-seeds", defaultValue = "10",
            description = "Random graphs per baseline (default: ${DEFAULT-VALUE}).")
    int baselineSeeds;

    @Option(names = "--seed", defaultValue = "1", description = "First seed of the random graphs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        ComparisonParameters d = ComparisonParameters.defaults();
        ComparisonParameters p = new ComparisonParameters(baselineSeeds, seed, d.swapsPerEdge(), d.strengthBins());
        try (AtlasDatabase db = AtlasDatabase.open(database.target())) {
            RunComparison comparison = new RunComparison(db.cypher(), System.out);
            comparison.print(comparison.compare(runA, runB, matchRun, p));
        }
        return 0;
    }
}
