package org.saeatlas.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.store.RunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List and delete the graph runs stored in Neo4j (and whole SAEs).",
        subcommands = {RunsCommand.List.class, RunsCommand.Delete.class})
class RunsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Table of runs: id, kind, SAE, status (only complete runs are visible to the server), edges, created.")
    static class List implements Callable<Integer> {

        @Mixin
        DatabaseOptions database;

        @Option(names = "--sae", description = "Only runs of this SAE.")
        String sae;

        @Override
        public Integer call() {
            try (AtlasDatabase db = AtlasDatabase.open(database.target())) {
                java.util.List<RunStore.RunInfo> runs = new RunStore(db.cypher()).list(sae);
                System.out.print(table(runs));
                System.out.printf(Locale.ROOT, "%d run%s%n", runs.size(), runs.size() == 1 ? "" : "s");
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a run and its edges, or with --sae an SAE with its features, explanations, examples"
                    + " and runs. Deletes in batches with progress; an interrupted delete can simply be repeated.")
    static class Delete implements Callable<Integer> {

        @Mixin
        DatabaseOptions database;

        @Parameters(arity = "0..1", paramLabel = "RUN", description = "Id of the run to delete (see 'runs list').")
        String run;

        @Option(names = "--sae", paramLabel = "SAE", description = "Delete this SAE and everything of it instead of one run.")
        String sae;

        @Option(names = "--batch", defaultValue = "20000", description = "Rows deleted per transaction (default: ${DEFAULT-VALUE}).")
        int batch;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if ((run == null) == (sae == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "expected either a RUN id or --sae SAE (one of them), found " + (run == null ? "neither" : "both"));
            }
            long t0 = System.nanoTime();
            try (AtlasDatabase db = AtlasDatabase.open(database.target())) {
                RunStore store = new RunStore(db.cypher(), batch);
                ProgressPrinter progress = new ProgressPrinter(System.out);
                RunStore.Deleted d = run != null ? store.deleteRun(run, progress) : store.deleteSae(sae, progress);
                System.out.printf(Locale.ROOT, "deleted %s: %,d run%s, %,d edges, %,d features, %,d explanations,"
                                + " %,d examples, %,d community analyses, %,d comparisons in %.1fs%n",
                        run != null ? "run " + run : "SAE " + sae, d.runs(), d.runs() == 1 ? "" : "s", d.edges(),
                        d.features(), d.explanations(), d.examples(), d.analyses(), d.comparisons(),
                        (System.nanoTime() - t0) / 1e9);
            }
            return 0;
        }
    }

    static String table(java.util.List<RunStore.RunInfo> runs) {
        java.util.List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"ID", "KIND", "SAE", "STATUS", "EDGES", "CREATED"});
        for (RunStore.RunInfo r : runs) {
            rows.add(new String[] {r.id(), text(r.kind()), text(r.sae()), text(r.status()),
                    r.edges() == null ? "-" : String.format(Locale.ROOT, "%,d", r.edges()), text(r.createdAt())});
        }
        int[] width = new int[6];
        rows.forEach(row -> {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        });
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                String cell = c == 4 ? " ".repeat(width[c] - row[c].length()) + row[c] : row[c] + " ".repeat(width[c] - row[c].length());
                out.append(cell).append(c < row.length - 1 ? "  " : "");
            }
            out.append(System.lineSeparator());
        }
        return out.toString().replaceAll("(?m) +$", "");
    }

    private static String text(String s) {
        return s == null ? "-" : s;
    }

}
