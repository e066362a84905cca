package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.analytics.AnalysisParameters;
import org.saeatlas.ingest.analytics.CommunityAlgorithm;
import org.saeatlas.ingest.analytics.CommunityExport;
import org.saeatlas.ingest.analytics.RunAnalysis;
import org.saeatlas.ingest.db.AtlasDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "analyse", aliases = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Connected components (GDS WCC) and communities (GDS Leiden, seeded; or Louvain) of one run's graph, in"
                + " Neo4j: the co-activation graph, the decoder-cosine graph, or the stable edges of a dependence run."
                + " Each component and community gets its shape (size, density, degrees, centralisation, clustering,"
                + " diameter, type: near_clique, hub_and_spoke, chain, mixed, too_small, with the scores that decided"
                + " it), the mean decoder cosine of its edges and a near-duplicate flag; the run gets its degree and"
                + " strength distributions. Stored as (:Community) nodes and MEMBER_OF relationships under an"
                + " (:Analysis); analysing again with the same settings changes nothing.",
            "Export one community as networkx node-link JSON: ./atlas analyse --export-community <id> --out c.json"})
class AnalyseCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "Run id (e.g. coactivation-1a2b...).")
    String run;

    @Option(names = "--algorithm", defaultValue = "leiden",
            description = "Community detection: leiden or louvain (default: ${DEFAULT-VALUE}).")
    String algorithm;

    @Option(names = "--seed", defaultValue = "42", description = "Leiden's random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--gamma", defaultValue = "1.0",
            description = "Leiden's resolution: higher gives more, smaller communities (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(names = "--top", defaultValue = "5", description = "Largest communities to print (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--export-community", paramLabel = "ID",
            description = "Write this community (or component) as node-link JSON to --out instead of analysing.")
    String exportCommunity;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file of --export-community.")
    Path out;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        if (exportCommunity != null) {
            return export();
        }
        if (run == null) {
            throw new AtlasException("analyse: give a RUN id (or --export-community ID --out FILE)");
        }
        CommunityAlgorithm a = switch (algorithm.toLowerCase(Locale.ROOT)) {
            case "leiden" -> CommunityAlgorithm.LEIDEN;
            case "louvain" -> CommunityAlgorithm.LOUVAIN;
            default -> throw new AtlasException("--algorithm: expected leiden or louvain, found '" + algorithm + "'");
        };
        AnalysisParameters params = AnalysisParameters.defaults().withAlgorithm(a).withSeed(seed).withGamma(gamma);
        try (AtlasDatabase db = AtlasDatabase.open(database.target())) {
            RunAnalysis analysis = new RunAnalysis(db.cypher(), System.out);
            RunAnalysis.Result r = analysis.analyse(run, params);
            if (!r.computed()) {
                System.out.println("already analysed with these settings: " + r.analysisId());
            } else {
                System.out.printf(Locale.ROOT, "analysed in %.1fs%n", r.seconds());
            }
            analysis.printSummary(r.analysisId(), top);
        }
        return 0;
    }

    private Integer export() {
        if (out == null) {
            throw new AtlasException("--export-community needs --out FILE");
        }
        try (AtlasDatabase db = AtlasDatabase.open(database.target())) {
            int nodes = CommunityExport.write(db.cypher(), exportCommunity, out);
            System.out.println("wrote " + out + " (" + nodes + " features, networkx node-link JSON)");
        }
        return 0;
    }
}
