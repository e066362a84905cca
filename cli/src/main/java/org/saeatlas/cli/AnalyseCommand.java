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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "analyse", aliases = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = AnalyseCommand.ExportCommunity.class,
        description = {
            "Connected components (GDS WCC) and communities (GDS Leiden, seeded; or Louvain) of one run's graph, in"
                + " Neo4j: the co-activation graph, the decoder-cosine graph, or the stable edges of a dependence run."
                + " Each component and community gets its shape (size, density, degrees, centralisation, clustering,"
                + " diameter, type: near_clique, hub_and_spoke, chain, mixed, too_small, with the scores that decided"
                + " it), the mean decoder cosine of its edges and a near-duplicate flag; the run gets its degree and"
                + " strength distributions. Stored as (:Community) nodes and MEMBER_OF relationships under an"
                + " (:Analysis); analysing again with the same settings changes nothing.",
            "Export one community as networkx node-link JSON: ./atlas analyse export-community <id> --out c.json"})
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

    /** Deprecated: {@code analyse export-community ID --out FILE} does it; kept so old scripts keep working. */
    @Option(names = "--export-community", paramLabel = "ID", hidden = true,
            description = "Deprecated: use 'analyse export-community ID --out FILE'.")
    String exportCommunity;

    @Option(names = "--out", paramLabel = "FILE", hidden = true, description = "Output file of --export-community.")
    Path out;

    @Mixin
    DatabaseOptions database;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (exportCommunity != null) {
            spec.commandLine().getErr().println("note: 'analyse --export-community ID --out FILE' is deprecated; use"
                    + " 'analyse export-community ID --out FILE'");
            if (out == null) {
                throw new AtlasException("--export-community needs --out FILE");
            }
            return ExportCommunity.export(database, exportCommunity, out);
        }
        if (run == null) {
            throw new AtlasException("analyse: give a RUN id (or: analyse export-community ID --out FILE)");
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

    @Command(name = "export-community", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Write one community (or component) of a stored analysis as networkx node-link JSON: its"
                    + " members with their explanations and statistics, the run's edges between them, its shape as"
                    + " graph attributes. Ids look like 'analysis-<hash>/community/3'; 'atlas analyse RUN' prints them.")
    static class ExportCommunity implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "ID", description = "Community (or component) id.")
        String id;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "The JSON file to write.")
        Path out;

        @Mixin
        DatabaseOptions database;

        @Override
        public Integer call() {
            return export(database, id, out);
        }

        static Integer export(DatabaseOptions database, String id, Path out) {
            try (AtlasDatabase db = AtlasDatabase.open(database.target())) {
                int nodes = CommunityExport.write(db.cypher(), id, out);
                System.out.println("wrote " + out + " (" + nodes + " features, networkx node-link JSON)");
            }
            return 0;
        }
    }
}
