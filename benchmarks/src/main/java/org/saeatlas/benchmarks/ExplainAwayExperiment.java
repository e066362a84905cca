package org.saeatlas.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;
import org.saeatlas.compute.stability.StabilityGraph;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.compute.stability.StabilityResult;
import org.saeatlas.compute.stability.StableEdge;
import org.saeatlas.compute.stability.ThresholdRule;

/** Experiment: drop edges whose ends are conditionally uncorrelated within a nested common neighbour's support. */
public final class ExplainAwayExperiment {
    private ExplainAwayExperiment() {
    }

    public static void main(String[] args) {
        double zCut = Double.parseDouble(args[0]);
        for (int a = 1; a < args.length; a++) {
            PlantedSpec spec = Shapes.named(args[a], 7L);
            PlantedGraph g = PlantedGraph.generate(spec);
            SparseActivations x = g.activations();
            StabilityResult res = StabilityGraph.run(x, StabilityParameters.defaults()
                    .withThreshold(ThresholdRule.CHANCE_ONLY), Progress.NONE);
            List<StableEdge> edges = res.edges();
            SparseActivations.Columns cols = x.columns();
            int p = x.featureCount();
            List<List<int[]>> adj = new ArrayList<>();
            for (int v = 0; v < p; v++) {
                adj.add(new ArrayList<>());
            }
            for (StableEdge e : edges) {
                adj.get(e.i()).add(new int[] {e.j(), e.replicates()});
                adj.get(e.j()).add(new int[] {e.i(), e.replicates()});
            }
            boolean[] explained = new boolean[edges.size()];
            for (int k = 0; k < edges.size(); k++) {
                StableEdge e = edges.get(k);
                for (int[] nb : adj.get(e.i())) {
                    int c = nb[0];
                    boolean common = adj.get(e.j()).stream().anyMatch(o -> o[0] == c);
                    if (!common || !nested(cols, e.i(), c) || !nested(cols, e.j(), c)) {
                        continue;
                    }
                    double z = partialZ(cols, e.i(), e.j(), c);
                    if (Math.abs(z) < zCut) {
                        explained[k] = true;
                        break;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%n== %s, |z| cut %.2f%n  r   found  true  indirect  F1 | kept found true indirect F1%n",
                    args[a], zCut);
            for (int r = 1; r <= 10; r++) {
                int[] all = count(g, edges, null, r);
                int[] kept = count(g, edges, explained, r);
                System.out.printf(Locale.ROOT, "%3d %7d %5d %8d %.3f | %5d %4d %8d %.3f%n", r, all[0], all[1], all[2],
                        f1(all[1], all[0], g.plantedEdges()), kept[0], kept[1], kept[2],
                        f1(kept[1], kept[0], g.plantedEdges()));
            }
        }
    }

    static double f1(int t, int found, int planted) {
        double pr = found == 0 ? 1 : t / (double) found;
        double re = t / (double) planted;
        return 2 * pr * re / (pr + re);
    }

    static int[] count(PlantedGraph g, List<StableEdge> edges, boolean[] drop, int r) {
        int[] out = new int[3];
        for (int k = 0; k < edges.size(); k++) {
            StableEdge e = edges.get(k);
            if (e.replicates() < r || drop != null && drop[k]) {
                continue;
            }
            out[0]++;
            switch (g.classify(e.i(), e.j())) {
                case TRUE -> out[1]++;
                case INDIRECT -> out[2]++;
                default -> { }
            }
        }
        return out;
    }

    static boolean nested(SparseActivations.Columns cols, int i, int j) {
        int[] a = tokens(cols, i);
        int[] b = tokens(cols, j);
        int both = 0;
        for (int t : a) {
            both += Arrays.binarySearch(b, t) >= 0 ? 1 : 0;
        }
        return both >= 0.95 * Math.min(a.length, b.length) && Math.min(a.length, b.length) > 0;
    }

    static int[] tokens(SparseActivations.Columns cols, int f) {
        return Arrays.copyOfRange(cols.tokens(), cols.colPtr()[f], cols.colPtr()[f + 1]);
    }

    static double value(SparseActivations.Columns cols, int f, int token) {
        int at = Arrays.binarySearch(cols.tokens(), cols.colPtr()[f], cols.colPtr()[f + 1], token);
        return at >= 0 ? cols.values()[at] : 0;
    }

    /** Fisher z of the partial correlation of i and j given k over the tokens where k fires. */
    static double partialZ(SparseActivations.Columns cols, int i, int j, int k) {
        int[] tk = tokens(cols, k);
        int n = tk.length;
        if (n < 5) {
            return 0;
        }
        double[] xi = new double[n];
        double[] xj = new double[n];
        double[] xk = new double[n];
        for (int a = 0; a < n; a++) {
            xi[a] = value(cols, i, tk[a]);
            xj[a] = value(cols, j, tk[a]);
            xk[a] = cols.values()[cols.colPtr()[k] + a];
        }
        double rij = corr(xi, xj);
        double rik = corr(xi, xk);
        double rjk = corr(xj, xk);
        double den = Math.sqrt(Math.max(1e-12, (1 - rik * rik) * (1 - rjk * rjk)));
        double pr = Math.max(-0.999999, Math.min(0.999999, (rij - rik * rjk) / den));
        return 0.5 * Math.log((1 + pr) / (1 - pr)) * Math.sqrt(Math.max(1, n - 4));
    }

    static double corr(double[] a, double[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int t = 0; t < n; t++) {
            ma += a[t];
            mb += b[t];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int t = 0; t < n; t++) {
            sab += (a[t] - ma) * (b[t] - mb);
            saa += (a[t] - ma) * (a[t] - ma);
            sbb += (b[t] - mb) * (b[t] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }
}
