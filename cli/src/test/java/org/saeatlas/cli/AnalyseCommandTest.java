package org.saeatlas.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code atlas analyse export-community ID --out FILE} is a subcommand of its own; the old {@code analyse
 * --export-community ID --out FILE} still works and says it is deprecated. No database is needed to check either.
 */
class AnalyseCommandTest {

    @Test
    void exportCommunityIsASubcommandWithItsIdAndRequiredOut() {
        ParseResult parsed = Main.commandLine().parseArgs("analyse", "export-community",
                "analysis-1234/community/3", "--out", "c.json");
        ParseResult sub = parsed.subcommand().subcommand();
        assertEquals("export-community", sub.commandSpec().name());
        AnalyseCommand.ExportCommunity export = (AnalyseCommand.ExportCommunity) sub.commandSpec().userObject();
        assertEquals("analysis-1234/community/3", export.id);
        assertEquals(Path.of("c.json"), export.out);

        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertNotEquals(0, cl.execute("analyse", "export-community", "analysis-1234/community/3"));
        assertTrue(err.toString().contains("Missing required option: '--out=FILE'"), err.toString());
    }

    @Test
    void theOldFlagStillParsesAndSaysItIsDeprecated() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("analyse", "--export-community", "analysis-1234/community/3");
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("'analyse --export-community ID --out FILE' is deprecated; use"
                + " 'analyse export-community ID --out FILE'"), err.toString());
        assertTrue(err.toString().contains("--export-community needs --out FILE"), err.toString());
    }
}
