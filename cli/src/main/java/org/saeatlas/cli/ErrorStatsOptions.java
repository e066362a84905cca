package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.darkmatter.DarkMatter;
import org.saeatlas.compute.darkmatter.DarkMatterParameters;
import org.saeatlas.compute.darkmatter.DarkMatterResult;
import org.saeatlas.compute.darkmatter.ErrorMoments;
import org.saeatlas.compute.darkmatter.ErrorTokenSample;
import org.saeatlas.compute.sae.ErrorStatistics;
import org.saeatlas.ingest.ErrorProfiles;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.formats.ActivationFiles;
import org.saeatlas.ingest.formats.TokenizerVocab;
import picocli.CommandLine.Option;

/**
 * {@code build --residuals}: the SAE error statistics ("dark matter") computed while encoding, then stored with the
 * SAE ({@link ErrorProfiles}): the moments stream beside the encoder, the fit runs after it, the sample and norms are
 * written once the SAE is loaded, and the SAE is compared with every SAE already built from the same residuals.
 */
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

    private DarkMatterResult result;
    private float[] norms;

    /** The sink to give the encoder, or null when skipped. */
    ErrorMoments moments(int dIn, int threads, org.saeatlas.compute.darkmatter.GramAccumulator.Factory gram) {
        if (skip) {
            return null;
        }
        if (sampleSizes.length != 2 || sampleSizes[0] < 0 || sampleSizes[1] < 0) {
            throw new org.saeatlas.errors.AtlasException("--error-tokens: expected WORST,UNIFORM (two counts >= 0),"
                    + " found " + java.util.Arrays.toString(sampleSizes));
        }
        return new ErrorMoments(dIn, new DarkMatterParameters(heldOut, ridge, seed, threads), null, gram);
    }

    /** Fits the maps after encoding and keeps the per-token norms for {@link #store}. */
    void fit(ErrorMoments moments, ErrorStatistics encoded) {
        if (moments == null) {
            return;
        }
        long t0 = System.nanoTime();
        String where = moments.engine();
        double streamed = moments.seconds();
        try (moments) {
            result = DarkMatter.fit(moments);
        }
        double fitted = (System.nanoTime() - t0) / 1e9 - (moments.seconds() - streamed);
        norms = encoded.errorNorm();
        System.out.printf(Locale.ROOT, "  error statistics (%s) on %,d held-out of %,d tokens (ridge %.0e), moments %.1fs"
                        + " (within the encoding), fitted in %.1fs: linear share of the error R2 %.4f, norm probe R2"
                        + " %.4f, nonlinear FVU %.4f (SAE FVU %.4f)%n",
                where, result.heldOutTokens(), result.tokens(), result.ridge(), moments.seconds(), fitted,
                result.errorLinearR2(), result.errorNormProbeR2(), result.nonlinearFvu(), result.heldOutFvu());
    }

    /** Writes the statistics of SAE {@code sae} (already loaded) and compares it with SAEs of the same residuals. */
    void store(CypherExecutor cypher, String sae, SparseActivations x, ActivationFiles.Source tokens, Path vocab,
            int[] window, Path residuals) {
        if (result == null) {
            return;
        }
        int before = window.length == 2 ? window[0] : 24;
        int after = window.length == 2 ? window[1] : 8;
        ErrorTokenSample sample = ErrorTokenSample.of(norms, sampleSizes[0], sampleSizes[1], 101, seed);
        TokenizerVocab v = vocab == null ? null : TokenizerVocab.read(vocab);
        List<ErrorProfiles.TokenRow> rows = ErrorProfiles.rows(sample, x, tokens == null ? null : tokens.tokens(),
                tokens == null ? 0 : tokens.contextLength(), v, before, after, 8);
        String source = residuals.getFileName().toString() + " (" + norms.length + " tokens)";
        ErrorProfiles.write(cypher, sae, result, sample, rows, norms, source);
        System.out.printf(Locale.ROOT, "stored the error statistics of %s: %,d sampled tokens%s and %,d per-token"
                + " error norms%n", sae, rows.size(), v == null ? "" : " with context", norms.length);
        ErrorProfiles.compareWithSameSource(cypher, sae, source, norms.length, System.out);
    }
}
