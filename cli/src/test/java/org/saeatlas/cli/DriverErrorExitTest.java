package org.saeatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A Bolt driver error that reaches the command line from code using the driver directly is printed as the project's
 * one-line error with the database exit code (4), never as a stack trace.
 */
class DriverErrorExitTest {

    @Command(name = "boom")
    static class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("while reading a run",
                    new ServiceUnavailableException("Connection to the database terminated"));
        }
    }

    /** A real export through the Bolt executor to a port where no database listens. */
    @Command(name = "export-away")
    static class ExportAway implements Callable<Integer> {
        final java.nio.file.Path out;

        ExportAway(java.nio.file.Path out) {
            this.out = out;
        }

        @Override
        public Integer call() {
            String uri = "bolt://127.0.0.1:" + org.saeatlas.ingest.db.EmbeddedNeo4j.freePort();
            try (org.neo4j.driver.Driver driver = org.neo4j.driver.GraphDatabase.driver(uri,
                    org.neo4j.driver.AuthTokens.none(), org.neo4j.driver.Config.builder().withoutEncryption()
                            .withConnectionTimeout(2, java.util.concurrent.TimeUnit.SECONDS)
                            .withMaxTransactionRetryTime(0, java.util.concurrent.TimeUnit.SECONDS).build())) {
                org.saeatlas.ingest.export.RunExport.write(new org.saeatlas.ingest.db.BoltCypher(driver, uri), "run-a",
                        org.saeatlas.ingest.export.RunExport.Format.CSV, out, org.saeatlas.compute.Progress.NONE);
            }
            return 0;
        }
    }

    /**
     * The export reads through {@code CypherExecutor}, so a database that is away reaches the command line as the
     * project's own error (no "Neo4j:" fallback, no driver exception): one line, the database exit code (4).
     */
    @Test
    void anExportWhoseDatabaseIsAwayFailsWithTheProjectsError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("export-away", new ExportAway(dir.resolve("run.csv")));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("export-away");
        assertEquals(4, exit, err.toString());
        String text = err.toString();
        assertTrue(text.startsWith("error: the atlas database is unavailable right now ("), text);
        assertFalse(text.contains("\tat ") || text.contains("Exception"), text);
        assertFalse(java.nio.file.Files.exists(dir.resolve("run.csv")), "nothing written");
    }

    @Test
    void aDriverErrorIsOneLineAndTheDatabaseExitCode() {
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("boom", new Boom());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("boom");
        assertEquals(Main.DATABASE, exit, err.toString());
        assertEquals(4, exit);
        String text = err.toString();
        assertTrue(text.startsWith("error: Neo4j: the atlas database is unavailable right now (Connection to the"
                + " database terminated); retry shortly"), text);
        assertFalse(text.contains("\tat ") || text.contains("Exception"), text);
    }
}
