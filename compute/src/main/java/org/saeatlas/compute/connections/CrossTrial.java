package org.saeatlas.compute.connections;

import java.util.Arrays;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.stats.ColumnMoments;

/**
 * One trial's bipartite regression problems: upstream activations A and downstream activations B over the same n
 * tokens. For a downstream feature b the candidates come from the cross co-firing of b with A's features, found by
 * walking b's tokens and the A features active on them (Gustavson's row-by-row product restricted to b's column), so
 * no |A| x |B| matrix is ever formed:
 * <ol>
 *   <li>primary candidates: the top k upstream features by exact Pearson r &gt; 0 with b among those co-firing on at
 *   least the floor, {@code r = (S_ab/n - mu_a mu_b) / (sd_a sd_b)} with population moments over all n tokens;</li>
 *   <li>second-hop candidates: for the strongest {@code hops} primaries (hubs), the upstream features that co-fire
 *   with the hub, ranked by |partial correlation with b given the hub|, {@code (r_bu - r_ba r_au) / sqrt((1 - r_ba^2)
 *   (1 - r_au^2))}: an inhibitor (A AND NOT U) that rarely fires with b has a near-zero marginal r but a clearly
 *   negative partial one.</li>
 * </ol>
 * The Gram matrix of the candidates (their correlations) comes from intersections of their sorted token columns and
 * the correlations with b from the cross sums, so a problem costs O(sum over b's tokens of a_t) for the cross row,
 * O(sum over hubs of count_hub * a_t) for the second hop and O(c^2 * mean count) for the Gram matrix, independent of
 * the other features. Pairs that never co-fire have S = 0 and an exact (slightly negative) r.
 */
final class CrossTrial {
    final SparseActivations xa;
    final SparseActivations xb;
    final SparseActivations.Columns colsA;
    final SparseActivations.Columns colsB;
    final int n;
    final double[] meanA;
    final double[] sdA;
    final double[] meanB;
    final double[] sdB;

    private CrossTrial(SparseActivations xa, SparseActivations xb) {
        this.xa = xa;
        this.xb = xb;
        this.colsA = xa.columns();
        this.colsB = xb.columns();
        this.n = xa.tokens();
        ColumnMoments ma = ColumnMoments.of(xa);
        ColumnMoments mb = ColumnMoments.of(xb);
        this.meanA = ma.mean();
        this.sdA = ma.sd();
        this.meanB = mb.mean();
        this.sdB = mb.sd();
    }

    static CrossTrial of(SparseActivations xa, SparseActivations xb) {
        if (xa.tokens() != xb.tokens()) {
            throw new AtlasException("connections: upstream SAE has " + xa.tokens() + " tokens but downstream SAE has "
                    + xb.tokens() + "; both must be run over the same tokens in the same order");
        }
        return new CrossTrial(xa, xb);
    }

    int firing(int b) {
        return colsB.count(b);
    }

    /** One downstream feature's regression problem in Gram form. */
    record Problem(int[] candidates, double[] rho, double[] gram, int[] ranked) {
        static final Problem EMPTY = new Problem(new int[0], new double[0], new double[0], new int[0]);
    }

    /** Per-worker scratch, sized by the upstream feature count. */
    static final class Scratch {
        final double[] crossSum;
        final int[] crossCount;
        final int[] touched;
        final double[] hopSum;
        final int[] hopCount;
        final int[] hopTouched;
        final double[] bestPartial;
        final boolean[] taken;
        final int[] local;
        final boolean[] seenToken;
        final int[] tokens;
        final int[] active;
        final float[] activeValue;

        Scratch(int pA, int n) {
            local = new int[pA];
            Arrays.fill(local, -1);
            seenToken = new boolean[n];
            tokens = new int[n];
            active = new int[pA];
            activeValue = new float[pA];
            crossSum = new double[pA];
            crossCount = new int[pA];
            touched = new int[pA];
            hopSum = new double[pA];
            hopCount = new int[pA];
            hopTouched = new int[pA];
            bestPartial = new double[pA];
            taken = new boolean[pA];
        }
    }

    Problem problem(int b, ConnectionParameters p, Scratch s) {
        if (sdB[b] == 0) {
            return Problem.EMPTY;
        }
        int nt = crossRow(b, s);
        try {
            int[] primary = primaries(b, nt, p, s);
            if (primary.length == 0) {
                return Problem.EMPTY;
            }
            int[] secondary = secondHop(b, primary, p, s);
            int[] ranked = new int[primary.length + secondary.length];
            System.arraycopy(primary, 0, ranked, 0, primary.length);
            System.arraycopy(secondary, 0, ranked, primary.length, secondary.length);
            int[] cand = ranked.clone();
            Arrays.sort(cand);
            double[] rho = new double[cand.length];
            for (int j = 0; j < cand.length; j++) {
                rho[j] = pearsonAB(cand[j], b, s.crossSum[cand[j]]);
            }
            return new Problem(cand, rho, gram(cand, s), ranked);
        } finally {
            for (int x = 0; x < nt; x++) {
                s.crossSum[s.touched[x]] = 0;
                s.crossCount[s.touched[x]] = 0;
            }
        }
    }

    /** Accumulates the cross sums of b with every co-firing upstream feature; returns how many were touched. */
    private int crossRow(int b, Scratch s) {
        int nt = 0;
        int[] rowPtr = xa.rowPtr();
        for (int e = colsB.colPtr()[b]; e < colsB.colPtr()[b + 1]; e++) {
            int t = colsB.tokens()[e];
            double vb = colsB.values()[e];
            for (int q = rowPtr[t]; q < rowPtr[t + 1]; q++) {
                int a = xa.features()[q];
                if (s.crossCount[a]++ == 0) {
                    s.touched[nt++] = a;
                }
                s.crossSum[a] += vb * xa.values()[q];
            }
        }
        return nt;
    }

    private int[] primaries(int b, int nt, ConnectionParameters p, Scratch s) {
        int m = 0;
        int[] keep = new int[nt];
        double[] r = new double[nt];
        for (int x = 0; x < nt; x++) {
            int a = s.touched[x];
            if (s.crossCount[a] >= p.minCoFiring() && sdA[a] > 0) {
                double rr = pearsonAB(a, b, s.crossSum[a]);
                if (rr > 0) {
                    keep[m] = a;
                    r[m++] = rr;
                }
            }
        }
        return topByScore(keep, r, m, p.candidates());
    }

    private int[] secondHop(int b, int[] primary, ConnectionParameters p, Scratch s) {
        if (p.hops() == 0 || p.hopCandidates() == 0) {
            return new int[0];
        }
        for (int a : primary) {
            s.taken[a] = true;
        }
        int[] seen = new int[0];
        int seenCount = 0;
        try {
            for (int h = 0; h < Math.min(p.hops(), primary.length); h++) {
                int hub = primary[h];
                double rba = pearsonAB(hub, b, s.crossSum[hub]);
                int nt = 0;
                for (int e = colsA.colPtr()[hub]; e < colsA.colPtr()[hub + 1]; e++) {
                    int t = colsA.tokens()[e];
                    double va = colsA.values()[e];
                    for (int q = xa.rowPtr()[t]; q < xa.rowPtr()[t + 1]; q++) {
                        int u = xa.features()[q];
                        if (s.hopCount[u]++ == 0) {
                            s.hopTouched[nt++] = u;
                        }
                        s.hopSum[u] += va * xa.values()[q];
                    }
                }
                for (int x = 0; x < nt; x++) {
                    int u = s.hopTouched[x];
                    if (!s.taken[u] && s.hopCount[u] >= p.minCoFiring() && sdA[u] > 0) {
                        double rau = pearsonAA(hub, u, s.hopSum[u]);
                        double rbu = pearsonAB(u, b, s.crossSum[u]);
                        double den = Math.sqrt(Math.max(1e-12, (1 - rba * rba) * (1 - rau * rau)));
                        double partial = Math.abs((rbu - rba * rau) / den);
                        if (s.bestPartial[u] == 0) {
                            if (seenCount == seen.length) {
                                seen = Arrays.copyOf(seen, Math.max(16, 2 * seen.length));
                            }
                            seen[seenCount++] = u;
                        }
                        s.bestPartial[u] = Math.max(s.bestPartial[u], Math.max(partial, Double.MIN_VALUE));
                    }
                    s.hopSum[u] = 0;
                    s.hopCount[u] = 0;
                }
            }
            double[] score = new double[seenCount];
            for (int x = 0; x < seenCount; x++) {
                score[x] = s.bestPartial[seen[x]];
            }
            return topByScore(seen, score, seenCount, p.hopCandidates());
        } finally {
            for (int a : primary) {
                s.taken[a] = false;
            }
            for (int x = 0; x < seenCount; x++) {
                s.bestPartial[seen[x]] = 0;
            }
        }
    }

    /** The first {@code k} of {@code ids[0..m)} by score descending, ties by the smaller index; in that order. */
    static int[] topByScore(int[] ids, double[] score, int m, int k) {
        Integer[] order = new Integer[m];
        for (int x = 0; x < m; x++) {
            order[x] = x;
        }
        Arrays.sort(order, (x, y) -> score[x] != score[y] ? Double.compare(score[y], score[x])
                : Integer.compare(ids[x], ids[y]));
        int[] out = new int[Math.min(k, m)];
        for (int x = 0; x < out.length; x++) {
            out[x] = ids[order[x]];
        }
        return out;
    }

    /**
     * Correlations among the candidates (unit diagonal): the union of their tokens is walked once, and on each token
     * the candidates active there add their pairwise products (cost O(sum over those tokens of a_t + pairs)).
     */
    double[] gram(int[] cand, Scratch s) {
        int c = cand.length;
        double[] sums = new double[c * c];
        for (int x = 0; x < c; x++) {
            s.local[cand[x]] = x;
        }
        int nt = 0;
        for (int a : cand) {
            for (int e = colsA.colPtr()[a]; e < colsA.colPtr()[a + 1]; e++) {
                int t = colsA.tokens()[e];
                if (!s.seenToken[t]) {
                    s.seenToken[t] = true;
                    s.tokens[nt++] = t;
                }
            }
        }
        Arrays.sort(s.tokens, 0, nt); // rows in token order: the walk through A's rows stays cache-friendly
        for (int k = 0; k < nt; k++) {
            int t = s.tokens[k];
            s.seenToken[t] = false;
            int m = 0;
            for (int q = xa.rowPtr()[t]; q < xa.rowPtr()[t + 1]; q++) {
                int x = s.local[xa.features()[q]];
                if (x >= 0) {
                    s.active[m] = x;
                    s.activeValue[m++] = xa.values()[q];
                }
            }
            for (int i = 0; i < m; i++) {
                int row = s.active[i] * c;
                double vi = s.activeValue[i];
                for (int j = 0; j < m; j++) {
                    sums[row + s.active[j]] += vi * s.activeValue[j];
                }
            }
        }
        for (int a : cand) {
            s.local[a] = -1;
        }
        double[] g = new double[c * c];
        for (int x = 0; x < c; x++) {
            g[x * c + x] = 1;
            for (int y = x + 1; y < c; y++) {
                double r = pearsonAA(cand[x], cand[y], sums[x * c + y]);
                g[x * c + y] = r;
                g[y * c + x] = r;
            }
        }
        return g;
    }

    double pearsonAB(int a, int b, double sumProd) {
        double r = (sumProd / n - meanA[a] * meanB[b]) / (sdA[a] * sdB[b]);
        return Math.max(-1, Math.min(1, r));
    }

    double pearsonAA(int u, int v, double sumProd) {
        double r = (sumProd / n - meanA[u] * meanA[v]) / (sdA[u] * sdA[v]);
        return Math.max(-1, Math.min(1, r));
    }
}
