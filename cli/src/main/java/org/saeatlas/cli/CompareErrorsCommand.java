package org.saeatlas.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.saeatlas.compute.darkmatter.ErrorNormPair;
import org.saeatlas.ingest.ErrorProfiles;
import org.saeatlas.ingest.db.AtlasDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "compare-errors", mixinStandardHelpOptions = true,
        description = {"How well one SAE's per-token error norms predict another's over the same tokens (R2 of the"
                + " fit with an intercept and of the scalar fit through the origin), from the norms `build"
                + " --residuals` stored; the results are stored as COMPARES_ERRORS relationships (both directions).",
            "SAEs built from the same residuals file are compared automatically by build; use this for SAEs whose"
                + " residuals came from different files over the same tokens (e.g. other layers).",
            "Example: ./atlas compare-errors gemma-l12-16k gemma-l12-65k"})
class CompareErrorsCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SAE_A", description = "The predicting SAE.")
    String a;

    @Parameters(index = "1", paramLabel = "SAE_B", description = "The predicted SAE.")
    String b;

    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() {
        try (AtlasDatabase db = AtlasDatabase.open(database.target())) {
            ErrorNormPair p = ErrorProfiles.compare(db.cypher(), a, b);
            System.out.printf(Locale.ROOT, "error norms of %s predict %s's over %,d tokens: R2 %.4f (slope %.4g,"
                    + " intercept %.4g); through the origin R2 %.4f (c = %.4g)%n", a, b, p.tokens(), p.r2(), p.slope(),
                    p.intercept(), p.originR2(), p.originSlope());
        }
        return 0;
    }
}
