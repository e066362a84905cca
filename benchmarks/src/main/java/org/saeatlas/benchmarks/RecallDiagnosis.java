package org.saeatlas.benchmarks;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.correlation.PairScan;
import org.saeatlas.compute.lasso.NodewiseLasso;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;
import org.saeatlas.compute.resampling.TrialRows;
import org.saeatlas.compute.stability.StabilityParameters;

/**
 * Where planted edges are lost in one observed trial (trial 0 of the default resampling): per kind of structure, the
 * share of planted edges (i, j) that are not a candidate in either direction (pre-screen), a candidate in one direction
 * only (top-k), selected by neither regression, selected by one only (the AND rule drops it), or kept.
 * Usage: {@code RecallDiagnosis [config=default] [shapes...]} (shapes from {@link Shapes}).
 */
public final class RecallDiagnosis {
    private RecallDiagnosis() {
    }

    private static final String[] STAGES = {"no candidate", "one-way candidate", "not selected", "one-way selected",
        "kept"};

    public static void main(String[] args) {
        String config = args.length > 0 ? args[0] : "default";
        List<String> shapes = args.length > 1 ? List.of(args).subList(1, args.length) : Shapes.ALL;
        StabilityParameters params = Configs.named(config);
        for (String shape : shapes) {
            PlantedSpec spec = Shapes.named(shape, 7L);
            PlantedGraph g = PlantedGraph.generate(spec);
            int[] rows = TrialRows.draw(spec.tokens(), params.resamples(), params.resampling(),
                    params.subsampleFraction(), params.seed())[0];
            SparseActivations xt = g.activations().selectRows(rows);
            PairScan.Scan scan = PairScan.scan(xt, params.screen(), params.threads());
            int[][] cand = scan.screen().candidates();
            NodewiseLasso.Fit fit = NodewiseLasso.fit(scan.moments(), cand, params.lasso(), params.threads());
            Map<PlantedGraph.Structure, int[]> tally = new EnumMap<>(PlantedGraph.Structure.class);
            Map<PlantedGraph.Structure, double[]> cofire = new EnumMap<>(PlantedGraph.Structure.class);
            for (int e = 0; e < g.plantedEdges(); e++) {
                int i = g.truthI()[e];
                int j = g.truthJ()[e];
                boolean ci = Arrays.binarySearch(cand[i], j) >= 0;
                boolean cj = Arrays.binarySearch(cand[j], i) >= 0;
                boolean si = Arrays.binarySearch(fit.selected()[i], j) >= 0;
                boolean sj = Arrays.binarySearch(fit.selected()[j], i) >= 0;
                int stage = !ci && !cj ? 0 : ci != cj ? 1 : !si && !sj ? 2 : si != sj ? 3 : 4;
                tally.computeIfAbsent(g.truthKind()[e], k -> new int[STAGES.length])[stage]++;
                double[] c = cofire.computeIfAbsent(g.truthKind()[e], k -> new double[2 * STAGES.length]);
                c[2 * stage] += Math.min(scan.moments().count()[i], scan.moments().count()[j]);
                c[2 * stage + 1]++;
            }
            System.out.printf(Locale.ROOT, "%n== %s: %d features x %d tokens (%.1f active/token), %d planted edges;"
                            + " trial 0 of %s: %d tokens, mean candidates %.2f%n", shape, spec.features(),
                    spec.tokens(), g.activations().nnz() / (double) spec.tokens(), g.plantedEdges(), config,
                    xt.tokens(), scan.screen().meanCandidates());
            System.out.printf(Locale.ROOT, "%-10s %7s", "kind", "edges");
            for (String s : STAGES) {
                System.out.printf(Locale.ROOT, " %18s", s);
            }
            System.out.println();
            tally.forEach((kind, t) -> {
                int total = Arrays.stream(t).sum();
                System.out.printf(Locale.ROOT, "%-10s %7d", kind.name().toLowerCase(Locale.ROOT), total);
                double[] c = cofire.get(kind);
                for (int s = 0; s < t.length; s++) {
                    System.out.printf(Locale.ROOT, " %6.3f (fires %5.0f)", t[s] / (double) total,
                            c[2 * s + 1] == 0 ? Double.NaN : c[2 * s] / c[2 * s + 1]);
                }
                System.out.println();
            });
        }
    }
}
