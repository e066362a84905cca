package org.saeatlas.compute.connections;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.coactivation.CoOccurrence;
import org.saeatlas.compute.fdr.FdrTable;
import org.saeatlas.compute.lasso.NodewiseLasso;
import org.saeatlas.compute.lasso.SampleSize;
import org.saeatlas.compute.resampling.ResamplingMode;
import org.saeatlas.compute.resampling.Seeds;
import org.saeatlas.compute.resampling.TrialOccurrences;
import org.saeatlas.compute.resampling.TrialRows;

/**
 * Sparse connections between the features of an upstream SAE A and a downstream SAE B run over the same tokens
 * (METHODS.md, "sparse connections between layers"), with the dependence engine's resampling and null.
 *
 * <p>Per trial (a seeded half-subsample of the tokens): for every downstream feature b, its upstream candidates from
 * the cross co-firing ({@link CrossTrial}), a LASSO path on them in Gram form ({@link NodewiseLasso#select}: the same
 * geometric path, strong rules, EBIC or BIC on the support's unpenalised refit) and the selected upstream features
 * with their refit coefficients. Every observed trial has a null trial on the same token rows in which A's token rows
 * were permuted once for the run (A shuffled against B: every dependence inside A and inside B kept, every dependence
 * between them destroyed). Across trials: replicate and null replicate counts, mean weight, sign consistency and the
 * FDR table of the dependence engine ({@link FdrTable}); stable connections have replicates &gt;= r*.
 *
 * <p>Linearity, on all tokens: for each downstream feature that fires on at least 8 tokens and has a candidate, its 8
 * strongest candidates screened on all tokens plus its stable connections are the inputs of a nonlinear baseline,
 * judged against the least-squares fit on its stable connections ({@link Linearity}).
 *
 * <p>Cost per trial, for n tokens, a_t and b_t active upstream and downstream features per token, k candidates:
 * O(sum_t a_t b_t) for all cross rows, O(hops * sum over hubs of count * a_t) for the second hop, O(pB c^2 mean count)
 * for the Gram matrices (c = k + hop candidates) and O(pB L c (c + sweeps)) for the paths; memory O(nnz) for the
 * trial's copies, O(pA) scratch per worker and the selected pairs of every trial. Never |A| x |B|. Deterministic at
 * any thread count: every random stream derives from the master seed and every feature writes its own slot.
 */
public final class ConnectionGraph {
    /** Seed purpose codes (beyond those of {@link Seeds}). */
    static final int NULL_ROWS = 21;
    static final int LINEARITY = 22;
    static final int MIN_FIRING_FOR_LINEARITY = 8;
    /** Candidates (strongest first) given to the nonlinear baseline besides the stable connections. */
    static final int LINEARITY_INPUTS = 8;
    private static final int TRIAL_BITS = TrialOccurrences.TRIAL_BITS;

    private ConnectionGraph() {
    }

    public static ConnectionResult run(SparseActivations a, SparseActivations b, ConnectionParameters p,
                                       NonlinearBaseline baseline, Progress progress) {
        if (a.tokens() != b.tokens()) {
            throw new AtlasException("connections: upstream SAE has " + a.tokens() + " tokens but downstream SAE has "
                    + b.tokens() + "; both must be run over the same tokens in the same order");
        }
        if ((long) a.featureCount() * b.featureCount() >= 1L << (63 - TRIAL_BITS)) {
            throw new AtlasException("connections: " + a.featureCount() + " x " + b.featureCount()
                    + " feature pairs do not fit a connection key");
        }
        int r = p.resamples();
        int[][] rows = TrialRows.draw(a.tokens(), r, ResamplingMode.SUBSAMPLE, p.subsampleFraction(), p.seed());
        SparseActivations nullA = a.selectRows(permutation(a.tokens(), Seeds.derive(p.seed(), NULL_ROWS, 0)));
        List<TrialFit> observed = new ArrayList<>(r);
        List<TrialFit> nulls = new ArrayList<>(r);
        for (int t = 0; t < r; t++) {
            SparseActivations bt = b.selectRows(rows[t]);
            observed.add(fitTrial(CrossTrial.of(a.selectRows(rows[t]), bt), p, progress, "observed trial " + (t + 1)
                    + "/" + r));
            nulls.add(fitTrial(CrossTrial.of(nullA.selectRows(rows[t]), bt), p, progress, "null trial " + (t + 1)
                    + "/" + r));
            progress.update("connection trials", t + 1, r);
        }
        int pB = b.featureCount();
        TrialOccurrences.Counts nullCounts = TrialOccurrences.count(nulls.stream().map(TrialFit::keys).toList());
        List<Connection> all = tally(observed, nullCounts, pB);
        int[] obsCounts = all.stream().mapToInt(Connection::replicates).toArray();
        FdrTable table = FdrTable.of(obsCounts, nullCounts.counts(), r, p.alpha());
        int rStar = table.rStar().orElse(Integer.MAX_VALUE);
        List<Connection> flagged = all.stream().map(c -> new Connection(c.upstream(), c.downstream(), c.replicates(),
                c.nullReplicates(), c.weight(), c.standardised(), c.signConsistency(), c.replicates() >= rStar))
                .toList();
        List<FeatureLinearity> linearity = linearity(a, b, flagged, p, baseline, progress);
        return new ConnectionResult(p, a.tokens(), a.featureCount(), pB, flagged, table, linearity,
                meanSize(observed), meanSize(nulls));
    }

    /** One trial's selected pairs: keys {@code upstream * pB + downstream}, increasing, with their coefficients. */
    record TrialFit(long[] keys, double[] weights, double[] standardised) { }

    static TrialFit fitTrial(CrossTrial trial, ConnectionParameters p, Progress progress, String stage) {
        int pB = trial.xb.featureCount();
        int pA = trial.xa.featureCount();
        int[][] sel = new int[pB][];
        double[][] w = new double[pB][];
        double[][] z = new double[pB][];
        int blocks = Math.max(1, Math.min(pB, 64 * p.threads()));
        AtomicLong done = new AtomicLong();
        CoOccurrence.runWith(p.threads(), () -> IntStream.range(0, blocks).parallel().forEach(blk -> {
            CrossTrial.Scratch scratch = new CrossTrial.Scratch(pA, trial.n);
            for (int f = blk; f < pB; f += blocks) {
                CrossTrial.Problem prob = trial.problem(f, p, scratch);
                NodewiseLasso.Selection s = prob.candidates().length == 0 ? null
                        : NodewiseLasso.select(prob.gram(), prob.rho(), criterionN(p, trial, f), p.lasso());
                int m = s == null ? 0 : s.support().length;
                sel[f] = new int[m];
                w[f] = new double[m];
                z[f] = new double[m];
                for (int x = 0; x < m; x++) {
                    int up = prob.candidates()[s.support()[x]];
                    sel[f][x] = up;
                    z[f][x] = s.coef()[x];
                    w[f][x] = s.coef()[x] * trial.sdB[f] / trial.sdA[up];
                }
            }
            progress.update(stage, done.incrementAndGet(), blocks);
        }));
        int total = 0;
        for (int[] s : sel) {
            total += s.length;
        }
        long[] keys = new long[total];
        int[] from = new int[total];
        int[] at = new int[total];
        int q = 0;
        for (int f = 0; f < pB; f++) {
            for (int x = 0; x < sel[f].length; x++) {
                keys[q] = (long) sel[f][x] * pB + f;
                from[q] = f;
                at[q++] = x;
            }
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compare(keys[x], keys[y]));
        long[] k = new long[total];
        double[] ww = new double[total];
        double[] zz = new double[total];
        for (int i = 0; i < total; i++) {
            int o = order[i];
            k[i] = keys[o];
            ww[i] = w[from[o]][at[o]];
            zz[i] = z[from[o]][at[o]];
        }
        return new TrialFit(k, ww, zz);
    }

    private static int criterionN(ConnectionParameters p, CrossTrial trial, int f) {
        return p.lasso().sampleSize() == SampleSize.TOKENS ? trial.n : Math.max(2, trial.firing(f));
    }

    private static List<Connection> tally(List<TrialFit> trials, TrialOccurrences.Counts nulls, int pB) {
        long[] occ = occurrences(trials);
        List<Connection> out = new ArrayList<>();
        double[] w = new double[trials.size()];
        double[] z = new double[trials.size()];
        int k = 0;
        while (k < occ.length) {
            long key = occ[k] >>> TRIAL_BITS;
            int m = 0;
            for (; k < occ.length && occ[k] >>> TRIAL_BITS == key; k++) {
                TrialFit t = trials.get((int) (occ[k] & ((1 << TRIAL_BITS) - 1)));
                int at = Arrays.binarySearch(t.keys(), key);
                w[m] = t.weights()[at];
                z[m++] = t.standardised()[at];
            }
            double sum = 0;
            double sumZ = 0;
            int pos = 0;
            int neg = 0;
            for (int i = 0; i < m; i++) {
                sum += w[i];
                sumZ += z[i];
                pos += w[i] > 0 ? 1 : 0;
                neg += w[i] < 0 ? 1 : 0;
            }
            out.add(new Connection((int) (key / pB), (int) (key % pB), m, nulls.countOf(key),
                    sum / m, sumZ / m, Math.max(pos, neg) / (double) m, false));
        }
        out.sort((x, y) -> x.downstream() != y.downstream() ? Integer.compare(x.downstream(), y.downstream())
                : Integer.compare(x.upstream(), y.upstream()));
        return out;
    }

    private static long[] occurrences(List<TrialFit> trials) {
        return TrialOccurrences.of(trials.stream().map(TrialFit::keys).toList());
    }

    private static double meanSize(List<TrialFit> trials) {
        return trials.stream().mapToInt(t -> t.keys().length).average().orElse(0);
    }

    private static List<FeatureLinearity> linearity(SparseActivations a, SparseActivations b,
                                                    List<Connection> connections, ConnectionParameters p,
                                                    NonlinearBaseline baseline, Progress progress) {
        CrossTrial full = CrossTrial.of(a, b);
        int pB = b.featureCount();
        int pA = a.featureCount();
        int[][] terms = new int[pB][];
        int[] termCount = new int[pB];
        for (Connection c : connections) {
            if (c.stable()) {
                termCount[c.downstream()]++;
            }
        }
        for (int f = 0; f < pB; f++) {
            terms[f] = new int[termCount[f]];
            termCount[f] = 0;
        }
        for (Connection c : connections) {
            if (c.stable()) {
                terms[c.downstream()][termCount[c.downstream()]++] = c.upstream();
            }
        }
        FeatureLinearity[] out = new FeatureLinearity[pB];
        int blocks = Math.max(1, Math.min(pB, 64 * p.threads()));
        AtomicLong done = new AtomicLong();
        CoOccurrence.runWith(p.threads(), () -> IntStream.range(0, blocks).parallel().forEach(blk -> {
            CrossTrial.Scratch scratch = new CrossTrial.Scratch(pA, full.n);
            int[] local = new int[pA];
            Arrays.fill(local, -1);
            for (int f = blk; f < pB; f += blocks) {
                if (full.firing(f) < MIN_FIRING_FOR_LINEARITY) {
                    continue;
                }
                int[] ranked = full.problem(f, p, scratch).ranked();
                int[] inputs = union(Arrays.copyOf(ranked, Math.min(ranked.length, LINEARITY_INPUTS)), terms[f]);
                if (inputs.length == 0) {
                    continue;
                }
                out[f] = Linearity.evaluate(f, inputs, terms[f], a, full.colsA, full.colsB, local, p, baseline,
                        Seeds.derive(p.seed(), LINEARITY, f));
            }
            progress.update("linearity", done.incrementAndGet(), blocks);
        }));
        List<FeatureLinearity> list = new ArrayList<>();
        for (FeatureLinearity fl : out) {
            if (fl != null) {
                list.add(fl);
            }
        }
        return List.copyOf(list);
    }

    private static int[] union(int[] x, int[] y) {
        int[] all = new int[x.length + y.length];
        System.arraycopy(x, 0, all, 0, x.length);
        System.arraycopy(y, 0, all, x.length, y.length);
        Arrays.sort(all);
        int m = 0;
        for (int i = 0; i < all.length; i++) {
            if (m == 0 || all[m - 1] != all[i]) {
                all[m++] = all[i];
            }
        }
        return Arrays.copyOf(all, m);
    }

    /** A seeded uniform permutation of 0..n-1 (Fisher-Yates). */
    static int[] permutation(int n, long seed) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        return perm;
    }
}
