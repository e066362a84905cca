package org.saeatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {

    /** `atlas compute` built alone reads like the compute command under the full tree: same usage, same errors. */
    @Test
    void computeAloneHasTheUsageAndErrorsOfComputeUnderTheFullTree() {
        CommandLine alone = Main.alone(new String[] {"compute", "--help"});
        assertNotNull(alone);
        assertEquals(Main.commandLine().getSubcommands().get("compute").getUsageMessage(), alone.getUsageMessage());
        assertEquals(exitAndErr(Main.commandLine(), "compute", "x.npz"), exitAndErr(alone, "x.npz"), "missing --out");
        assertEquals(exitAndErr(Main.commandLine(), "compute", "x.npz", "--out", "o", "--resamples", "many"),
                exitAndErr(alone, "x.npz", "--out", "o", "--resamples", "many"));
        assertNull(Main.alone(new String[] {"calibrate"}));
        assertNull(Main.alone(new String[] {}));
        assertNull(Main.alone(new String[] {"--help"}));
    }

    private static String exitAndErr(CommandLine cl, String... args) {
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return exit + ": " + err.toString().replace("atlas compute", "compute");
    }
}
