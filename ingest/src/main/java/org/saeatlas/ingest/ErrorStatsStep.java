package org.saeatlas.ingest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.darkmatter.DarkMatter;
import org.saeatlas.compute.darkmatter.DarkMatterParameters;
import org.saeatlas.compute.darkmatter.DarkMatterResult;
import org.saeatlas.compute.darkmatter.ErrorMoments;
import org.saeatlas.compute.darkmatter.ErrorTokenSample;
import org.saeatlas.compute.darkmatter.GramAccumulator;
import org.saeatlas.compute.sae.ErrorStatistics;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.formats.ActivationFiles;
import org.saeatlas.ingest.formats.TokenizerVocab;

/**
 * {@code build --residuals}: the SAE error statistics ("dark matter") computed while encoding, then stored with the
 * SAE ({@link ErrorProfiles}): the moments stream beside the encoder, the fit runs after it, the sample and norms are
 * written once the SAE is loaded, and the SAE is compared with every SAE already built from the same residuals.
 * One instance per encoding.
 */
public final class ErrorStatsStep {

    /**
     * What to compute: {@code skip} leaves it out; {@code ridge} relative to the mean input variance; {@code heldOut}
     * share of tokens scoring the maps; {@code seed} of the split and the token sample; {@code sampleSizes} the WORST
     * and UNIFORM token counts stored with context.
     */
    public record Request(boolean skip, double ridge, double heldOut, long seed, int[] sampleSizes) {
    }

    private final Request request;
    private final PrintStream out;
    private DarkMatterResult result;
    private float[] norms;

    public ErrorStatsStep(Request request, PrintStream out) {
        this.request = request;
        this.out = out;
    }

    /** The sink to give the encoder, or null when skipped. */
    public ErrorMoments moments(int dIn, int threads, GramAccumulator.Factory gram) {
        if (request.skip()) {
            return null;
        }
        int[] sizes = request.sampleSizes();
        if (sizes.length != 2 || sizes[0] < 0 || sizes[1] < 0) {
            throw new AtlasException("--error-tokens: expected WORST,UNIFORM (two counts >= 0),"
                    + " found " + java.util.Arrays.toString(sizes));
        }
        return new ErrorMoments(dIn, new DarkMatterParameters(request.heldOut(), request.ridge(), request.seed(),
                threads), null, gram);
    }

    /** Fits the maps after encoding and keeps the per-token norms for {@link #store}. */
    public void fit(ErrorMoments moments, ErrorStatistics encoded) {
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
        out.printf(Locale.ROOT, "  error statistics (%s) on %,d held-out of %,d tokens (ridge %.0e), moments %.1fs"
                        + " (within the encoding), fitted in %.1fs: linear share of the error R2 %.4f, norm probe R2"
                        + " %.4f, nonlinear FVU %.4f (SAE FVU %.4f)%n",
                where, result.heldOutTokens(), result.tokens(), result.ridge(), moments.seconds(), fitted,
                result.errorLinearR2(), result.errorNormProbeR2(), result.nonlinearFvu(), result.heldOutFvu());
    }

    /** Writes the statistics of SAE {@code sae} (already loaded) and compares it with SAEs of the same residuals. */
    public void store(CypherExecutor cypher, String sae, SparseActivations x, ActivationFiles.Source tokens, Path vocab,
            int[] window, Path residuals) {
        if (result == null) {
            return;
        }
        int before = window.length == 2 ? window[0] : 24;
        int after = window.length == 2 ? window[1] : 8;
        int[] sizes = request.sampleSizes();
        ErrorTokenSample sample = ErrorTokenSample.of(norms, sizes[0], sizes[1], 101, request.seed());
        TokenizerVocab v = vocab == null ? null : TokenizerVocab.read(vocab);
        List<ErrorProfiles.TokenRow> rows = ErrorProfiles.rows(sample, x, tokens == null ? null : tokens.tokens(),
                tokens == null ? 0 : tokens.contextLength(), v, before, after, 8);
        String source = residuals.getFileName().toString() + " (" + norms.length + " tokens)";
        ErrorProfiles.write(cypher, sae, result, sample, rows, norms, source);
        out.printf(Locale.ROOT, "stored the error statistics of %s: %,d sampled tokens%s and %,d per-token"
                + " error norms%n", sae, rows.size(), v == null ? "" : " with context", norms.length);
        ErrorProfiles.compareWithSameSource(cypher, sae, source, norms.length, out);
    }
}
