package org.saeatlas.cli;

import java.util.Locale;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.correlation.PreScreen;
import org.saeatlas.compute.correlation.ScreenParameters;
import org.saeatlas.compute.lasso.Criterion;
import org.saeatlas.compute.lasso.LassoParameters;
import org.saeatlas.compute.lasso.SampleSize;
import org.saeatlas.compute.resampling.NullMode;
import org.saeatlas.compute.resampling.ResamplingMode;
import org.saeatlas.compute.stability.MergeRule;
import org.saeatlas.compute.stability.NullScreen;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.compute.stability.ThresholdRule;
import picocli.CommandLine.Option;

/**
 * The options of the stable dependence graph, in the method's terms. Unset options take the calibrated defaults
 * (or the published method's values with {@code --published}).
 */
public class StabilityOptions {

    @Option(names = "--published", description = "Start from the published method (half-subsamples, per-trial null,"
            + " Fisher-z pre-screen, BIC, no refit) instead of the calibrated defaults; other options still apply.")
    boolean published;

    @Option(names = "--resamples", paramLabel = "R", description = "Token resamples (observed trials), each with a matched null trial [30].")
    Integer resamples;

    @Option(names = "--resampling", paramLabel = "MODE", description = "subsample: a fraction of the tokens per trial"
            + " (trials overlap) [default]; disjoint: R disjoint blocks, every trial sees fresh tokens.")
    String resampling;

    @Option(names = "--subsample-fraction", paramLabel = "F", description = "Share of tokens per trial in subsample mode [0.5].")
    Double fraction;

    @Option(names = "--null", paramLabel = "MODE", description = "global: one copy of the data with every feature"
            + " column shuffled, resampled like the observed data [default, calibrated]; per-trial: a fresh shuffle"
            + " per trial (published; underestimates the FDR many-fold on overlapping subsamples).")
    String nullMode;

    @Option(names = "--null-screen", paramLabel = "CUT", description = "p-value cut of each null trial's pre-screen:"
            + " own-bh: Benjamini-Hochberg on the null trial's own p-values [published]; matched-threshold:"
            + " the realised BH threshold p* of its matched observed trial [default, calibrated] (same top-k and co-firing floor), so the"
            + " null passes the chance pairs that threshold lets through the observed screen (about q x discoveries)"
            + " and the FDR table can count the ones that survive the LASSO. A null with no true signal has a far"
            + " stricter BH cut than the observed trial, so own-bh under-counts chance edges whenever the estimator"
            + " lets some through.")
    String nullScreen;

    @Option(names = "--prescreen", paramLabel = "TEST", description = "hypergeometric: exact test of co-firing counts"
            + " on firing indicators [default, calibrated]; fisher-z: Pearson r -> Fisher z -> normal p (published).")
    String prescreen;

    @Option(names = "--bh-q", paramLabel = "Q", description = "Benjamini-Hochberg FDR level of the pre-screen [0.05].")
    Double q;

    @Option(names = "--top-k", paramLabel = "K", description = "Candidates kept per feature by |r| after the pre-screen [32].")
    Integer topK;

    @Option(names = "--min-cofire", paramLabel = "C", description = "Minimum co-firing tokens for a candidate pair [2; 1 published].")
    Integer minCoFire;

    @Option(names = "--lambdas", paramLabel = "L", description = "Values on the geometric lambda path from lambda_max (>= 20) [30].")
    Integer lambdas;

    @Option(names = "--lambda-min-ratio", paramLabel = "E", description = "Last lambda over lambda_max [1e-3].")
    Double lambdaMinRatio;

    @Option(names = "--criterion", paramLabel = "C", description = "Lambda selection: bic [default; with --refit and"
            + " --criterion-n firing; the published form: --no-refit --criterion-n tokens], ebic (with --ebic-gamma;"
            + " the previous default: ebic, gamma 1)"
            + " or cv (K-fold cross-validation of each path in Gram form from per-fold sparse sums, folds seeded from"
            + " --seed; see --cv-folds).")
    String criterion;

    @Option(names = "--cv-folds", paramLabel = "K", description = "Folds of --criterion cv, in [2, 100] [5].")
    Integer cvFolds;

    @Option(names = "--ebic-gamma", paramLabel = "G", description = "EBIC gamma in [0, 1], used by --criterion ebic [1].")
    Double gamma;

    @Option(names = "--refit", negatable = true, description = "Score each support by its unpenalised refit (relaxed LASSO) [on; off published].")
    Boolean refit;

    @Option(names = "--criterion-n", paramLabel = "N", description = "n of the criterion: firing (the response's firing"
            + " count) [default] or tokens (all tokens, published).")
    String sampleSize;

    @Option(names = "--merge", paramLabel = "RULE", description = "and: an edge needs both nodewise regressions [default]; or: either.")
    String merge;

    @Option(names = "--alpha", paramLabel = "A", description = "Error level that picks r*, the smallest replicate count whose estimated error (see --threshold) is <= A [0.1].")
    Double alpha;

    @Option(names = "--threshold", paramLabel = "RULE", description = "How r* is chosen. total: the smallest r whose"
            + " estimated chance FDR (null trials) plus estimated share of indirect edges (measured on a planted twin:"
            + " data generated like yours with a known graph, run through the same settings) is <= alpha [default];"
            + " chance-only: the chance FDR alone (published; indirect edges are invisible to it, so r* is often 1).")
    String threshold;

    @Option(names = "--twin-features", paramLabel = "N", description = "Features of the planted twin (at most the"
            + " input's; its cost grows about as N^2) [1000].")
    Integer twinFeatures;

    @Option(names = "--explain-away", negatable = true, description = "An edge i-j that closes a nested two-path"
            + " i-k-j (i and k nested: one fires almost only where the other does; so are j and k), or whose ends both"
            + " lie inside a feature k up to two nested steps above either end, is kept only when i and j are"
            + " conditionally dependent given k within k's support (partial correlation weighted by 1/k^2, Bonferroni"
            + " at 0.05); otherwise it is explained away: listed, never stable, not counted [on].")
    Boolean explainAway;

    @Option(names = "--seed", paramLabel = "S", description = "Master seed; every trial's seed derives from it [42].")
    Long seed;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (the output does not depend on it) [all cores].")
    Integer threads;

    StabilityParameters parameters() {
        StabilityParameters b = published ? StabilityParameters.published() : StabilityParameters.defaults();
        ScreenParameters s = b.screen();
        LassoParameters l = b.lasso();
        return new StabilityParameters(
                or(resamples, b.resamples()),
                resampling == null ? b.resampling() : parse(ResamplingMode.class, "--resampling", resampling),
                or(fraction, b.subsampleFraction()),
                nullMode == null ? b.nullMode() : parse(NullMode.class, "--null", nullMode),
                nullScreen == null ? b.nullScreen() : parse(NullScreen.class, "--null-screen", nullScreen),
                new ScreenParameters(prescreen == null ? s.method() : parse(PreScreen.class, "--prescreen", prescreen),
                        or(q, s.q()), or(topK, s.topK()), or(minCoFire, s.minCoFire())),
                new LassoParameters(or(lambdas, l.lambdaCount()), or(lambdaMinRatio, l.lambdaMinRatio()),
                        criterion == null ? l.criterion() : parse(Criterion.class, "--criterion", criterion),
                        or(gamma, l.ebicGamma()), or(refit, l.refit()),
                        sampleSize == null ? l.sampleSize() : parse(SampleSize.class, "--criterion-n", sampleSize),
                        or(cvFolds, l.cvFolds())),
                merge == null ? b.merge() : parse(MergeRule.class, "--merge", merge),
                or(alpha, b.alpha()), or(seed, b.seed()), or(threads, b.threads()),
                threshold == null ? b.threshold() : parse(ThresholdRule.class, "--threshold", threshold),
                or(twinFeatures, b.twinFeatures()), or(explainAway, b.explainAway()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new AtlasException(option + ": expected one of " + allowed + ", found '" + value + "'");
    }
}
