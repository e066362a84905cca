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
