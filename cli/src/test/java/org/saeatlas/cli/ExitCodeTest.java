package org.saeatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.errors.DatabaseException;
import org.saeatlas.errors.InputException;
import org.saeatlas.errors.StateException;
import org.saeatlas.ingest.formats.NpyReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line maps the category of the atlas's error, and only that, to its exit code; one line, no trace. */
class ExitCodeTest {

    @Command(name = "fail")
    static final class Fail implements Callable<Integer> {
        private final Supplier<RuntimeException> error;

        Fail(Supplier<RuntimeException> error) {
            this.error = error;
        }

        @Override
        public Integer call() {
            throw error.get();
        }
    }

    record Outcome(int exit, String err) { }

    static Outcome run(Supplier<RuntimeException> error) {
        CommandLine cl = Main.commandLine();
        cl.addSubcommand("fail", new Fail(error));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        return new Outcome(cl.execute("fail"), err.toString());
    }

    @Test
    void eachCategoryHasItsOwnExitCode() {
        Outcome input = run(() -> new InputException("width: expected a positive integer, found -3"));
        Outcome state = run(() -> new StateException("run r1 is still 'loading'"));
        Outcome database = run(() -> new DatabaseException("the atlas database is unavailable right now"));
        Outcome plain = run(() -> new AtlasException("acts.npz: shape: expected 2 dimensions, found 3"));
        assertEquals(2, input.exit(), input.err());
        assertEquals(3, state.exit(), state.err());
        assertEquals(4, database.exit(), database.err());
        assertEquals(2, plain.exit(), "an unclassified AtlasException is bad input, as before: " + plain.err());
        assertEquals("error: run r1 is still 'loading'", state.err().strip());
        for (Outcome o : new Outcome[] {input, state, database, plain}) {
            assertFalse(o.err().contains("\tat ") || o.err().contains("Exception"), o.err());
        }
    }

    @Test
    void picocliUsageErrorsShareTheInputCode() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(Main.INPUT, cl.execute("--no-such-option"));
    }

    @Test
    void aReaderRefusingAFileIsAnInputError(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("acts.npy");
        Files.writeString(bad, "not an npy file");
        Outcome o = run(() -> {
            try {
                NpyReader.read(bad);
                return new IllegalStateException("the reader accepted a file that is not .npy");
            } catch (AtlasException e) {
                return e;
            }
        });
        assertEquals(2, o.exit(), o.err());
        assertTrue(o.err().startsWith("error: " + bad), o.err());
    }

    @Test
    void somethingThatIsNotTheAtlassErrorIsNotMappedToACategory() {
        Outcome o = run(() -> new IllegalStateException("a bug"));
        assertNotEquals(2, o.exit());
        assertNotEquals(3, o.exit());
        assertNotEquals(4, o.exit());
    }
}
