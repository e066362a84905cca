package org.saeatlas.ingest.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.ingest.store.SyntheticAtlas;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.comparison.PartitionAgreement;
import org.saeatlas.ingest.analytics.AnalysisParameters;
import org.saeatlas.ingest.analytics.CommunityAlgorithm;
import org.saeatlas.ingest.analytics.RunAnalysis;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.store.AtlasLoad;
import org.saeatlas.ingest.store.BulkImport;
import org.saeatlas.schema.Vocabulary;

/**
 * End-to-end time of {@code atlas analyse} at the size: a modular synthetic atlas (default 131,072 features,
 * 1,000,000 co-activation edges, modules of 32 holding 90% of the edges; {@link SyntheticAtlas#modular}) is bulk
 * imported into a new embedded database, then analysed once: read the run's graph, GDS projection, GDS WCC, GDS
 * Leiden (or Louvain), shapes of every component and community, write-back, distributions. Prints the time of each
 * stage, the modularity and the agreement (ARI, NMI) of the communities with the planted modules. Run it with
 * {@code ./atlas bench analyse}, or this main: {@code <new folder> [features] [edges]}.
 */
public final class AnalyseBenchmark {

    /** What to run. */
    public record Parameters(int features, int edges, int moduleSize, double inside, long seed,
                             CommunityAlgorithm algorithm) {
        public Parameters {
            if (features < 2 || edges < 1 || moduleSize < 2) {
                throw new AtlasException("bench analyse: expected features >= 2, edges >= 1 and moduleSize >= 2, found "
                        + features + ", " + edges + ", " + moduleSize);
            }
        }

        public static Parameters defaults() {
            return new Parameters(131_072, 1_000_000, 32, 0.9, 42L, CommunityAlgorithm.LEIDEN);
        }
    }

    /** Measured figures; {@code analysis.stages()} holds the per-stage seconds. */
    public record Figures(double generateSeconds, double importSeconds, double openSeconds, RunAnalysis.Result analysis,
                          PartitionAgreement.Agreement planted) { }

    private AnalyseBenchmark() {
    }

    public static Figures run(Parameters p, Neo4jTarget target, PrintStream out, Progress progress) {
        if (!target.embedded() || !BulkImport.isNew(target.dataDir())) {
            throw new AtlasException("bench analyse: needs a new embedded database folder, found "
                    + (target.embedded() ? target.dataDir() + " (exists)" : "a server"));
        }
        long t0 = System.nanoTime();
        BulkImport.Content atlas = SyntheticAtlas.modular(p.features(), p.edges(), p.moduleSize(), p.inside(), p.seed());
        String run = atlas.runs().get(0).run().id();
        double generate = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "synthetic modular atlas: %,d features, %,d co-activation edges, modules of %d holding"
                + " %.0f%% of the edges (seed %d), generated in %.1fs%n", p.features(), p.edges(), p.moduleSize(),
                100 * p.inside(), p.seed(), generate);
        AtlasLoad.Result load = AtlasLoad.load(target, atlas, AtlasLoad.Mode.OFFLINE, progress);
        out.printf(Locale.ROOT, "bulk import %.1fs, database open (indexes, GDS registration) %.1fs%n",
                load.edgeSeconds(), load.openSeconds());
        try (AtlasDatabase db = load.database()) {
            AnalysisParameters params = AnalysisParameters.defaults().withAlgorithm(p.algorithm());
            RunAnalysis analysis = new RunAnalysis(db.cypher(), out);
            RunAnalysis.Result r = analysis.analyse(run, params);
            PartitionAgreement.Agreement planted = PartitionAgreement.of(planted(p), labels(db, r.analysisId(),
                    p.features()));
            print(out, p, r, planted);
            return new Figures(generate, load.edgeSeconds(), load.openSeconds(), r, planted);
        }
    }

    private static int[] planted(Parameters p) {
        int[] labels = new int[p.features()];
        int modules = p.features() / p.moduleSize();
        for (int f = 0; f < labels.length; f++) {
            labels[f] = f / p.moduleSize() < modules ? f / p.moduleSize() : -1;
        }
        return labels;
    }

    private static int[] labels(AtlasDatabase db, String analysis, int width) {
        int[] labels = new int[width];
        Arrays.fill(labels, -1);
        for (Map<String, Object> r : db.cypher().read("""
                MATCH (f:Feature)-[:MEMBER_OF {analysis: $id}]->(c:Community {kind: $kind})
                RETURN f.index AS f, c.index AS c""", Map.of("id", analysis, "kind", Vocabulary.GROUP_COMMUNITY))) {
            labels[((Number) r.get("f")).intValue()] = ((Number) r.get("c")).intValue();
        }
        return labels;
    }

    private static void print(PrintStream out, Parameters p, RunAnalysis.Result r, PartitionAgreement.Agreement a) {
        out.printf(Locale.ROOT, "analyse %s (%s, concurrency 1): %.1fs end to end%n", r.run(),
                p.algorithm().gdsName(), r.seconds());
        r.stages().forEach((stage, s) -> out.printf(Locale.ROOT, "  %-16s %7.2fs%n", stage, s));
        out.printf(Locale.ROOT, "  %,d components, %,d communities, modularity %.4f; communities vs planted modules:"
                + " ARI %.3f, NMI %.3f over %,d features%n", r.components(), r.communities(), r.modularity(), a.ari(),
                a.nmi(), a.items());
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: AnalyseBenchmark <new folder> [features] [edges]");
            System.exit(2);
        }
        Parameters d = Parameters.defaults();
        Parameters p = new Parameters(args.length > 1 ? Integer.parseInt(args[1]) : d.features(),
                args.length > 2 ? Integer.parseInt(args[2]) : d.edges(), d.moduleSize(), d.inside(), d.seed(),
                d.algorithm());
        run(p, new Neo4jTarget(null, null, null, Path.of(args[0]), 0, 0, "1g"), System.out,
                new org.saeatlas.ingest.formats.ProgressPrinter(System.out));
    }
}
