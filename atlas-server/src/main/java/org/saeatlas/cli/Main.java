package org.saeatlas.cli;

import org.saeatlas.compute.AtlasException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./atlas} command. */
@Command(name = "atlas", mixinStandardHelpOptions = true, version = org.saeatlas.schema.AtlasVersion.SOFTWARE,
        description = "SAE Feature Atlas: build, store and explore graphs over sparse-autoencoder features.",
        footer = {"", AtlasFileOptions.USAGE},
        subcommands = {DemoCommand.class, ServeCommand.class, BuildCommand.class, AddSaeCommand.class, StatusCommand.class,
            TaskCommand.class, LoadCommand.class, ComputeCommand.class,
            CalibrateCommand.class, AnalyseCommand.class, CompareCommand.class, MatchCommand.class,
            RunsCommand.class, ExportCommand.class, ImportGraphCommand.class, CheckCommand.class,
            ConnectCommand.class, PlanCommand.class, CompareErrorsCommand.class,
            CommandLine.HelpCommand.class})
public class Main implements Runnable {

    /** The {@code bench} command, from the benchmarks module. */
    static final String BENCH = "org.saeatlas.cli.BenchCommand";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // `bench` lives in the benchmarks module (benchmark code is not part of the product); ./atlas puts it on
        // the classpath, a build without it simply has no `bench` command
        try {
            cl.addSubcommand(CommandLine.defaultFactory().create(Class.forName(BENCH)));
        } catch (ClassNotFoundException absent) {
            // no benchmarks on the classpath
        } catch (Exception e) {
            throw new IllegalStateException("cannot load " + BENCH, e);
        }
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof AtlasException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            // a Bolt driver error of code that uses the driver directly: the project's message, not a stack trace
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof org.neo4j.driver.exceptions.Neo4jException n) {
                    cmd.getErr().println("error: Neo4j: " + org.saeatlas.ingest.db.BoltCypher.mapped(n).getMessage());
                    return 2;
                }
            }
            throw e;
        });
        return cl;
    }
}
