package org.saeatlas.compute.stability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.correlation.PairScan;
import org.saeatlas.compute.correlation.TrialBatch;
import org.saeatlas.compute.correlation.ScreenResult;
import org.saeatlas.compute.fdr.FdrTable;
import org.saeatlas.compute.lasso.Criterion;
import org.saeatlas.compute.lasso.FoldMoments;
import org.saeatlas.compute.lasso.NodewiseLasso;
import org.saeatlas.compute.resampling.TrialOccurrences;
import org.saeatlas.compute.resampling.ColumnPermutation;
import org.saeatlas.compute.resampling.Folds;
import org.saeatlas.compute.resampling.NullMode;
import org.saeatlas.compute.resampling.Seeds;
import org.saeatlas.compute.resampling.TrialRows;

/**
 * Stable conditional-dependence graph by nodewise LASSO over resamples, with a feature-shuffle null (the method of
 * METHODS.md section 1, with calibrated options). Per trial: draw tokens ({@link TrialRows}); exact sparse X^T X
 * fused with the pre-screen and top-k ({@link PairScan}); nodewise LASSO in Gram
 * form ({@link NodewiseLasso}); merge directions by AND/OR ({@link TrialEdges}). Every observed trial has a matched
 * null trial on feature-shuffled data ({@link ColumnPermutation}: per trial, or one global copy resampled with the
 * same rows); its pre-screen runs its own BH or applies the observed trial's realised BH threshold
 * ({@link NullScreen}). Across trials: replicate counts, weights and the FDR table ({@link FdrTable}); stable edges have
 * replicates >= r*.
 *
 * <p>Cost, for n tokens, a active features per token, p features, k candidates, L lambdas and R trials drawing a
 * share f of the tokens: the pair pass counts the co-firing pairs of every token once for all R observed trials
 * ({@link TrialBatch}: O(n a^2 / 2 * R / 4) 64-bit additions of 16-bit trial lanes, then one test per pair and trial
 * in which it co-fires at least the floor; exact hypergeometric tails only below a histogram-certified cut-off), and
 * once more for the R null trials on the global null copy; per trial then O(f n a) for its moments and columns,
 * O(s log s) for BH on the s kept p-values, O(p k^2 log P) to assemble Gram matrices (P needed pairs, at most
 * p k^2 / 2) and about O(p L k (k + sweeps)) for the paths. Memory: the input, one trial's copy, per trial the kept
 * pairs (p-values below the cut-off), 2 n R bytes of trial membership lanes, 2 p R bytes of lane counters per
 * worker, and the tally of edge occurrences; never p x p. Trials are screened and fitted one after another, each
 * parallel inside over feature blocks or nodes; every random stream is derived from the master seed, so output is
 * identical at any thread count.
 */
public final class StabilityGraph {
    private static final int MAX_FEATURES = 1 << 25;

    private StabilityGraph() {
    }

    /** Runs the method; wall-clock milliseconds per stage go to {@code stageMillis} when it is not null. */
    public static StabilityResult run(SparseActivations x, StabilityParameters params, Progress progress,
                                      Map<String, Long> stageMillis) {
        return run(x, params, progress, stageMillis, true);
    }

    /**
     * The observed trials only, with the chance-only rule's bookkeeping and no null trials (so no chance FDR: the
     * table's null counts are 0). The planted twin needs nothing else: it scores its observed edges against its own
     * truth, so its null trials, half its cost, would be thrown away.
     */
    public static StabilityResult runObservedOnly(SparseActivations x, StabilityParameters params, Progress progress) {
        return run(x, params.withThreshold(ThresholdRule.CHANCE_ONLY), progress, null, false);
    }

    private static StabilityResult run(SparseActivations x, StabilityParameters params, Progress progress,
                                       Map<String, Long> stageMillis, boolean withNulls) {
        if (x.featureCount() > MAX_FEATURES) {
            throw new AtlasException("stability: " + x.featureCount() + " features; at most " + MAX_FEATURES
                    + " are supported (edge keys pack two indices into 51 bits)");
        }
        Timer timer = new Timer(stageMillis == null ? new LinkedHashMap<>() : stageMillis);
        int r = params.resamples();
        int[][] rows = timer.time("resample", () -> TrialRows.draw(x.tokens(), r, params.resampling(),
                params.subsampleFraction(), params.seed()));
        boolean batched = TrialBatch.applies(params.screen(), rows);
        SparseActivations.Columns xCols = batched || withNulls && params.nullMode() == NullMode.GLOBAL
                ? timer.time("resample", x::columns) : null;
        ColumnPermutation.Permuted permuted = withNulls && params.nullMode() == NullMode.GLOBAL
                ? timer.time("null shuffle", () -> ColumnPermutation.permute(x, xCols,
                        Seeds.derive(params.seed(), Seeds.NULL_COPY, 0), params.threads()))
                : null;
        SparseActivations nullCopy = permuted == null ? null : permuted.matrix();
        List<TrialEdges> observed = new ArrayList<>(r);
        List<TrialEdges> nulls = new ArrayList<>(r);
        List<TrialDiagnostics> obsDiag = new ArrayList<>(r);
        List<TrialDiagnostics> nullDiag = new ArrayList<>(r);
        if (batched) {
            runBatched(x, xCols, rows, permuted, withNulls, params, progress, timer, observed, nulls, obsDiag, nullDiag);
            return withTwin(x, params, progress, timer, timer.time("merge",
                    () -> summarise(x, xCols, params, observed, nulls, obsDiag, nullDiag, progress)));
        }
        for (int t = 0; t < r; t++) {
            final int trial = t;
            SparseActivations xt = timer.time("resample", () -> x.selectRows(rows[trial]));
            Trial obs = runTrial(xt, xt.columns(), trial, false, params.seed(), Double.NaN, null, params, timer,
                    obsDiag);
            observed.add(obs.edges());
            progress.update("observed trials", t + 1, r);
            if (!withNulls) {
                continue;
            }
            long nullSeed = Seeds.derive(params.seed(), Seeds.NULL_TRIAL, t);
            SparseActivations xn = timer.time("null shuffle", () -> nullCopy != null
                    ? nullCopy.selectRows(rows[trial]) : ColumnPermutation.permute(xt, nullSeed, params.threads()));
            double nullCut = params.nullScreen() == NullScreen.MATCHED_THRESHOLD ? obs.cut() : Double.NaN;
            nulls.add(runTrial(xn, xn.columns(), trial, true, nullCopy != null ? params.seed() : nullSeed, nullCut,
                    null, params, timer, nullDiag).edges());
            progress.update("null trials", t + 1, r);
        }
        return withTwin(x, params, progress, timer,
                timer.time("merge", () -> summarise(x, xCols, params, observed, nulls, obsDiag, nullDiag, progress)));
    }

    /**
     * With rule {@link ThresholdRule#TOTAL}: runs the planted twin (stage "planted twin"), adds its indirect share per
     * r to the FDR table, re-chooses r* by the total and re-flags the stable edges.
     */
    private static StabilityResult withTwin(SparseActivations x, StabilityParameters params, Progress progress,
                                            Timer timer, StabilityResult chanceOnly) {
        if (params.threshold() != ThresholdRule.TOTAL) {
            return chanceOnly;
        }
        TwinEstimate twin = timer.time("planted twin", () -> PlantedTwin.estimate(x, params, progress));
        List<StableEdge> counted = chanceOnly.countedEdges();
        long[] nested = timer.time("planted twin", () -> NestedPaths.countByR(counted,
                NestedPaths.nearNestedUpTo(x, counted), params.resamples()));
        long[] found = new long[params.resamples()];
        for (FdrTable.Row row : chanceOnly.fdrTable().rows()) {
            found[row.r() - 1] = row.observed();
        }
        FdrTable table = chanceOnly.fdrTable().withIndirect(twin.indirectShare(found, nested), params.alpha());
        return new StabilityResult(params, chanceOnly.tokens(), chanceOnly.features(),
                flag(chanceOnly.edges(), table, chanceOnly.explained(), x.featureCount()), table, chanceOnly.trials(),
                twin, nested, chanceOnly.explained());
    }

    /** Stable: seen in >= r* trials and not explained away. */
    private static List<StableEdge> flag(List<StableEdge> edges, FdrTable table, ExplainAway.Result explained, int p) {
        int rStar = table.rStar().orElse(Integer.MAX_VALUE);
        return edges.stream().map(e -> new StableEdge(e.i(), e.j(), e.replicates(), e.nullReplicates(), e.weight(),
                e.medianWeight(), e.signConsistency(), e.replicates() >= rStar
                && (explained == null || !explained.contains((long) e.i() * p + e.j())))).toList();
    }

    /**
     * The trials with pass 1 of the pre-screen counted for all observed trials at once ({@link TrialBatch}), then for
     * all null trials at once when they are rows of the global null copy (stage "pair pass"); the rest of each
     * trial's screen (BH, |r| of the discoveries, top-k, sums of the needed pairs) stays in "X'X + pre-screen".
     */
    private static void runBatched(SparseActivations x, SparseActivations.Columns xCols, int[][] rows,
                                   ColumnPermutation.Permuted permuted, boolean withNulls,
                                   StabilityParameters params, Progress progress, Timer timer,
                                   List<TrialEdges> observed, List<TrialEdges> nulls,
                                   List<TrialDiagnostics> obsDiag, List<TrialDiagnostics> nullDiag) {
        int r = rows.length;
        double[] cuts = new double[r];
        Arrays.fill(cuts, Double.NaN);
        SparseActivations nullCopy = permuted == null ? null : permuted.matrix();
        PairScan.Prepass[] obsPre = timer.time("pair pass", () -> TrialBatch.pass(x, xCols, rows, cuts,
                params.screen(), params.threads(), progress, "pair pass, observed trials"));
        int side = sideBySide(x, params, r);
        StabilityParameters inner = side > 1 ? params.withThreads(1) : params;
        Trial[] obs = new Trial[r];
        TrialDiagnostics[] obsDiags = new TrialDiagnostics[r];
        eachTrial(r, side, progress, "observed trials", trial -> {
            SparseActivations xt = timer.time("resample", () -> x.selectRows(rows[trial]));
            SparseActivations.Columns cols = timer.time("resample", () -> x.selectColumns(xCols, rows[trial]));
            List<TrialDiagnostics> d = new ArrayList<>(1);
            obs[trial] = runTrial(xt, cols, trial, false, params.seed(), Double.NaN, obsPre[trial], inner, timer, d);
            obsDiags[trial] = d.get(0);
            obsPre[trial] = null;
        });
        for (int t = 0; t < r; t++) {
            observed.add(obs[t].edges());
            obsDiag.add(obsDiags[t]);
            cuts[t] = params.nullScreen() == NullScreen.MATCHED_THRESHOLD ? obs[t].cut() : Double.NaN;
        }
        if (!withNulls) {
            return;
        }
        SparseActivations.Columns nullCols = permuted == null ? null : permuted.columns();
        PairScan.Prepass[] nullPre = nullCopy == null ? new PairScan.Prepass[r]
                : timer.time("pair pass", () -> TrialBatch.pass(nullCopy, nullCols, rows, cuts, params.screen(),
                        params.threads(), progress, "pair pass, null trials"));
        TrialEdges[] nullEdges = new TrialEdges[r];
        TrialDiagnostics[] nullDiags = new TrialDiagnostics[r];
        eachTrial(r, side, progress, "null trials", trial -> {
            SparseActivations xt = nullCopy != null ? null : timer.time("resample", () -> x.selectRows(rows[trial]));
            long nullSeed = Seeds.derive(params.seed(), Seeds.NULL_TRIAL, trial);
            SparseActivations xn = timer.time("null shuffle", () -> nullCopy != null
                    ? nullCopy.selectRows(rows[trial]) : ColumnPermutation.permute(xt, nullSeed, inner.threads()));
            SparseActivations.Columns cols = timer.time("null shuffle", () -> nullCopy != null
                    ? nullCopy.selectColumns(nullCols, rows[trial]) : xn.columns());
            List<TrialDiagnostics> d = new ArrayList<>(1);
            nullEdges[trial] = runTrial(xn, cols, trial, true, nullCopy != null ? params.seed() : nullSeed,
                    cuts[trial], nullPre[trial], inner, timer, d).edges();
            nullDiags[trial] = d.get(0);
            nullPre[trial] = null;
        });
        nulls.addAll(Arrays.asList(nullEdges));
        nullDiag.addAll(Arrays.asList(nullDiags));
    }

    /**
     * How many trials run side by side, each on one thread: all {@code threads} when that many trials' copies fit
     * easily in the heap (a trial holds about 24 bytes per non-zero of the input at most: its rows, its columns and
     * their values), else 1 (trials one after another, each parallel inside). Side by side, every step of a trial
     * keeps a core busy, including the ones that run on one thread inside a trial (copying its rows and columns,
     * moments, Benjamini-Hochberg, top-k, merging); the output is the same either way.
     */
    static int sideBySide(SparseActivations x, StabilityParameters params, int trials) {
        return sideBySide(x.nnz(), x.featureCount(), params.threads(), trials, Runtime.getRuntime().maxMemory());
    }

    /** The rule of {@link #sideBySide(SparseActivations, StabilityParameters, int)}: at most an eighth of the heap. */
    static int sideBySide(long nnz, int features, int threads, int trials, long maxHeap) {
        int side = Math.min(threads, trials);
        long perTrial = 24L * nnz + 64L * features + 1024;
        return side > 1 && perTrial * side <= maxHeap / 8 ? side : 1;
    }

    /** Runs {@code work} for every trial, {@code side} at a time, reporting trials done. */
    private static void eachTrial(int trials, int side, Progress progress, String stage,
                                  java.util.function.IntConsumer work) {
        if (side <= 1) {
            for (int t = 0; t < trials; t++) {
                work.accept(t);
                progress.update(stage, t + 1, trials);
            }
            return;
        }
        // plain threads, not a fork-join pool: a pool worker that waits on the pools its trial starts inside would
        // make the pool add threads, and more trials than `side` would run at once
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] workers = new Thread[side];
        for (int w = 0; w < side; w++) {
            workers[w] = new Thread(() -> {
                for (int t = next.getAndIncrement(); t < trials && failure.get() == null; t = next.getAndIncrement()) {
                    try {
                        work.accept(t);
                        synchronized (progress) {
                            progress.update(stage, done.incrementAndGet(), trials);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                }
            }, "stability-trial-" + w);
            workers[w].setDaemon(true);
            workers[w].start();
        }
        try {
            for (Thread w : workers) {
                w.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AtlasException("stability: interrupted while trials were running");
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException(e);
        }
    }

    public static StabilityResult run(SparseActivations x, StabilityParameters params, Progress progress) {
        return run(x, params, progress, null);
    }

    private static StabilityResult summarise(SparseActivations x, SparseActivations.Columns xCols,
                                             StabilityParameters params,
                                             List<TrialEdges> observed, List<TrialEdges> nulls,
                                             List<TrialDiagnostics> obsDiag, List<TrialDiagnostics> nullDiag,
                                             Progress progress) {
        TrialOccurrences.Counts nullCounts = EdgeTally.count(nulls);
        List<StableEdge> edges = EdgeTally.summarise(observed, nullCounts, x.featureCount());
        ExplainAway.Result explained = params.explainAway()
                ? ExplainAway.find(x, xCols != null ? xCols : x.columns(), edges, progress) : null;
        int p = x.featureCount();
        int[] obsCounts = edges.stream().filter(e -> explained == null || !explained.contains((long) e.i() * p + e.j()))
                .mapToInt(StableEdge::replicates).toArray();
        FdrTable table = FdrTable.of(obsCounts, nullCounts.counts(), params.resamples(), params.alpha());
        List<StableEdge> flagged = flag(edges, table, explained, p);
        List<TrialDiagnostics> diag = new ArrayList<>(obsDiag);
        diag.addAll(nullDiag);
        return new StabilityResult(params, x.tokens(), x.featureCount(), flagged, table, List.copyOf(diag), null, null,
                explained);
    }

    /** One trial; {@code cut} is the pre-screen's p-value cut, or NaN to run Benjamini-Hochberg at q. */
    private static Trial runTrial(SparseActivations xt, SparseActivations.Columns cols, int trial, boolean isNull,
                                  long seed, double cut, PairScan.Prepass pre, StabilityParameters params, Timer timer,
                                  List<TrialDiagnostics> diag) {
        int threads = params.threads();
        PairScan.Scan scan = timer.time("X'X + pre-screen", () -> PairScan.scan(xt, cols, params.screen(), threads,
                cut, pre));
        ScreenResult screen = scan.screen();
        FoldMoments folds = params.lasso().criterion() != Criterion.CV ? null
                : timer.time("cv fold sums", () -> FoldMoments.of(xt, scan.moments().keys(), Folds.assign(xt.tokens(),
                        params.lasso().cvFolds(), Seeds.derive(seed, Seeds.CV_FOLDS, trial)),
                        params.lasso().cvFolds(), threads));
        NodewiseLasso.Fit fit = timer.time("lasso", () -> NodewiseLasso.fit(scan.moments(), screen.candidates(),
                params.lasso(), threads, folds));
        TrialEdges edges = timer.time("merge", () -> TrialEdges.merge(fit, params.merge(), xt.featureCount()));
        diag.add(new TrialDiagnostics(trial, isNull, seed, xt.tokens(), xt.featureCount() - screen.firing(),
                screen.tests(), screen.discoveries(), screen.meanCandidates(), fit.directedEdges(),
                edges.andEdges(), edges.orEdges()));
        return new Trial(edges, screen.cut());
    }

    /** A trial's merged edges and the p-value cut its pre-screen applied. */
    private record Trial(TrialEdges edges, double cut) { }

    /** Accumulates wall-clock time per stage (summed over trials that run side by side). */
    private record Timer(Map<String, Long> millis) {
        <T> T time(String stage, java.util.function.Supplier<T> work) {
            long start = System.nanoTime();
            T out = work.get();
            synchronized (millis) {
                millis.merge(stage, (System.nanoTime() - start) / 1_000_000, Long::sum);
            }
            return out;
        }
    }
}
