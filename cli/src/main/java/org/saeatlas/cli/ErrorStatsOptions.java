package org.saeatlas.cli;

import org.saeatlas.ingest.ErrorStatsStep;
import picocli.CommandLine.Option;

/** {@code build --residuals}: the options of the SAE error statistics ({@link ErrorStatsStep}). */
public class ErrorStatsOptions {

    @Option(names = "--no-error-stats", description = "With --residuals: skip the SAE error statistics (linear share of"
            + " the error, norm probe, nonlinear FVU, per-token error norms and worst contexts).")
    boolean skip;

    @Option(names = "--error-ridge", paramLabel = "R", defaultValue = "1e-4", description = "Ridge penalty of the"
            + " error statistics' linear maps, relative to the mean input variance [${DEFAULT-VALUE}].")
    double ridge;

    @Option(names = "--error-held-out", paramLabel = "SHARE", defaultValue = "0.2", description = "Share of tokens"
            + " held out to score the error statistics' linear maps [${DEFAULT-VALUE}].")
    double heldOut;

    @Option(names = "--error-seed", paramLabel = "N", defaultValue = "0", description = "Seed of the train/held-out"
            + " split and of the uniform token sample [${DEFAULT-VALUE}].")
    long seed;

    @Option(names = "--error-tokens", paramLabel = "WORST,UNIFORM", split = ",", defaultValue = "1000,1000",
            description = "Tokens stored with their context: the WORST by error norm and UNIFORM more drawn from the"
                    + " rest [${DEFAULT-VALUE}].")
    int[] sampleSizes;

    ErrorStatsStep.Request request() {
        return new ErrorStatsStep.Request(skip, ridge, heldOut, seed, sampleSizes);
    }
}
