package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saeatlas.cli.check.InstallationCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./atlas check}: the whole installation, end to end and offline, in a temporary folder: an embedded Neo4j,
 * a small demo atlas generated, computed and loaded, the server answering GraphQL and the web UI, Neo4j Browser;
 * then the folder is removed. Each step prints its seconds; the first failure names the step and exits 1. The
 * launcher also runs it once after each build to record the classes a run loads (a class-data archive that makes
 * every later start faster).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Check this installation end to end, offline, in a temporary folder: start an embedded Neo4j,"
                + " generate, compute and load a small demo atlas (2 SAEs x 512 features), serve it and ask GraphQL,"
                + " the web UI and Neo4j Browser, then remove the folder. Prints each step's seconds; exits 1 at the"
                + " first failure, naming it.")
class CheckCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions device;

    @Option(names = "--verbose", description = "Show the loader's own progress lines too.")
    boolean verbose;

    @Option(names = "--cache", defaultValue = "${env:ATLAS_DATA:-atlas-data}",
            description = "Folder whose djl-cache holds the unpacked native library of the compute engine, shared with"
                    + " the demo so it is unpacked once (default: ${DEFAULT-VALUE}; env ATLAS_DATA).")
    Path cache;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Where to make the temporary folder (default: the JVM's temporary folder, java.io.tmpdir).")
    Path work;

    @Override
    public Integer call() {
        InstallationCheck.Result r = new InstallationCheck(System.out, System.err).run(
                new InstallationCheck.Request(work, verbose), threads -> device.engine(cache, threads));
        if (r.passed()) {
            System.out.printf(Locale.ROOT, "check passed in %.1fs%n", r.seconds());
            return 0;
        }
        System.err.println(r.failedStep() == null ? "check failed: " + r.message()
                : "check failed while " + r.failedStep() + ": " + r.message());
        return 1;
    }
}
