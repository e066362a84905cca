package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.export.RunExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a complete run's graph: csv (edge list i,j,<edge properties>; pandas/networkx), graphml"
                + " (Gephi, networkx, igraph) or nodelink (networkx node-link JSON).")
class ExportCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Parameters(paramLabel = "RUN", description = "Id of the run (see 'runs list').")
    String run;

    @Option(names = "--format", defaultValue = "csv", description = "csv, graphml or nodelink (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", required = true, description = "File to write (replaced when it exists).")
    Path out;

    @Override
    public Integer call() {
        RunExport.Format f = RunExport.Format.parse(format);
        long t0 = System.nanoTime();
        try (AtlasDatabase db = AtlasDatabase.open(database.target())) {
            RunExport.Summary s = RunExport.write(db.cypher(), run, f, out, new ProgressPrinter(System.out));
            String nodes = f == RunExport.Format.CSV ? "" : String.format(Locale.ROOT, "%,d nodes, ", s.nodes());
            System.out.printf(Locale.ROOT, "wrote %s: %s%,d edges (%s) in %.1fs%n", s.file(), nodes, s.edges(),
                    f.name().toLowerCase(Locale.ROOT), (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
