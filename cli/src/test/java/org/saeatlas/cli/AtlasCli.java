package org.saeatlas.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine;

/** The {@code ./atlas} command line run in this JVM for tests, with what it prints captured. */
final class AtlasCli {

    /** Exit code, standard output, and picocli's error stream followed by what went to System.err. */
    record Run(int exit, String out, String err) { }

    private AtlasCli() {
    }

    static synchronized Run run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        PrintStream savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err + errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
            System.setErr(savedErr);
        }
    }

    /** {@code args} followed by the options of an embedded database in {@code data} on the given ports. */
    static String[] withDatabase(Path data, int bolt, int http, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 6);
        System.arraycopy(new String[] {"--data", data.toString(), "--bolt-port", String.valueOf(bolt),
            "--neo4j-http-port", String.valueOf(http)}, 0, all, args.length, 6);
        return all;
    }
}
