package org.saeatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./atlas bench}, found by the command line on the classpath, as a user runs it. */
class BenchCommandIT {

    record Run(int exit, String out, String err) { }

    static synchronized Run atlas(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            return new Run(cl.execute(args), out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void benchIngestRunsEveryModeInAJvmOfItsOwnAndEachStoresTheWholeSyntheticAtlas() {
        Run r = atlas("bench", "ingest", "--mode", "all", "--features", "700", "--edges", "3000", "--page-cache", "64m");
        assertEquals(0, r.exit(), r.out() + r.err());
        for (String mode : List.of("naive", "online", "offline")) {
            // the counts are read back from each new database, not taken from the request
            assertTrue(r.out().contains("== " + mode + " (a JVM of its own)"), r.out());
            assertTrue(r.out().contains(mode + " end to end: 700 features + 3,000 edges ready in "), r.out());
            assertTrue(java.util.regex.Pattern.compile("(?m)^  " + mode + " +[0-9.]+ s +[0-9.]+x naive$")
                    .matcher(r.out()).find(), r.out());
        }
        assertTrue(r.out().contains("offline store on disk"), r.out());
        assertTrue(r.out().contains("summary: 700 features + 3,000 edges"), r.out());
        assertTrue(r.out().contains("  naive ") && r.out().contains("1.0x naive"), r.out());
    }

    @Test
    void benchIngestRefusesAnUnknownMode() {
        Run r = atlas("bench", "ingest", "--mode", "fast", "--features", "10", "--edges", "10");
        assertTrue(r.exit() != 0);
        assertTrue((r.out() + r.err()).contains("expected naive, online or offline, found fast"), r.out() + r.err());
    }
}
