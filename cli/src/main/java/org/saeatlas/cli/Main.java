package org.saeatlas.cli;

import org.saeatlas.errors.AtlasException;
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
        CommandLine alone = alone(args);
        System.exit(alone != null ? alone.execute(java.util.Arrays.copyOfRange(args, 1, args.length))
                : commandLine().execute(args));
    }

    /**
     * {@code atlas compute ...} builds the compute command alone: picocli's model of every subcommand (their options,
     * mixins and types, loaded by reflection) costs about 0.3 s of CPU at each start, a tenth of a compute run on a
     * mid-sized input. Same usage, options and error handling as under the full tree; null for any other command.
     */
    static CommandLine alone(String[] args) {
        if (args.length == 0 || !args[0].equals("compute")) {
            return null;
        }
        return handled(new CommandLine(new ComputeCommand()).setCommandName("atlas compute"));
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
        return handled(cl);
    }

    private static CommandLine handled(CommandLine cl) {
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            AtlasException atlas = atlasError(e);
            if (atlas == null) {
                throw e;
            }
            cmd.getErr().println("error: " + (atlas instanceof org.saeatlas.ingest.db.CypherException
                    && !(e instanceof AtlasException) ? "Neo4j: " : "") + atlas.getMessage());
            return exitCode(atlas);
        });
        return cl;
    }

    /** Exit code for bad input (picocli's own usage errors use it too). */
    static final int INPUT = 2;
    /** Exit code when the atlas's state does not allow the command (a missing or incomplete run, a folder in use). */
    static final int STATE = 3;
    /** Exit code when the database failed or is unavailable. */
    static final int DATABASE = 4;

    /** The exit code of an error: by its category, the one thing the command line reads of it. */
    static int exitCode(AtlasException e) {
        return switch (e.category()) {
            case INPUT -> INPUT;
            case STATE -> STATE;
            case DATABASE -> DATABASE;
        };
    }

    /**
     * The project's error in {@code e}: itself, or a Bolt driver error of code that uses the driver directly (found
     * among the causes) as the project's database error; null for anything else, which is a bug and shown as one.
     */
    static AtlasException atlasError(Throwable e) {
        if (e instanceof AtlasException a) {
            return a;
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.neo4j.driver.exceptions.Neo4jException n) {
                return org.saeatlas.ingest.db.BoltCypher.mapped(n);
            }
        }
        return null;
    }
}
