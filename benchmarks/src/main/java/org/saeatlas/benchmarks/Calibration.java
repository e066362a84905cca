package org.saeatlas.benchmarks;

import java.util.List;
import java.util.Locale;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.stability.CalibrationTable;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;
import org.saeatlas.compute.stability.StabilityGraph;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.compute.stability.StabilityResult;

/**
 * Runs settings on planted data and prints, per threshold r, the edges seen in >= r trials split into true, chance
 * and indirect, the null-estimated FDR, the realised chance share and F1; the automatic r* is marked.
 * Usage: {@code Calibration [features] [tokens] [resamples] [configs...]} where a config is one of the names in
 * {@link Configs}; or {@code Calibration shape=NAME [resamples] [configs...]} with a shape from {@link Shapes}.
 */
public final class Calibration {
    private Calibration() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].startsWith("shape=")) {
            int r = args.length > 1 ? Integer.parseInt(args[1]) : 30;
            List<String> names = args.length > 2 ? List.of(args).subList(2, args.length) : List.of("default");
            PlantedSpec spec = Shapes.named(args[0].substring(6), 7L);
            run(PlantedGraph.generate(spec), spec.features(), spec.tokens(), r, names);
            return;
        }
        int p = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20000;
        int r = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        List<String> names = args.length > 3 ? List.of(args).subList(3, args.length) : List.of("default", "published");
        run(PlantedGraph.generate(PlantedSpec.standard(p, n, 7L)), p, n, r, names);
    }

    private static void run(PlantedGraph g, int p, int n, int r, List<String> names) {
        System.out.printf(Locale.ROOT, "planted: p=%d n=%d nnz=%d (%.2f active/token, sparsity %.4f), %d planted edges%n",
                p, n, g.activations().nnz(), g.activations().nnz() / (double) n, g.activations().sparsity(),
                g.plantedEdges());
        for (String name : names) {
            StabilityParameters params = Configs.named(name).withResamples(r);
            long start = System.nanoTime();
            StabilityResult res = StabilityGraph.run(g.activations(), params, Progress.NONE);
            double secs = (System.nanoTime() - start) / 1e9;
            print(name, g, res, secs);
        }
    }

    static void print(String name, PlantedGraph g, StabilityResult res, double secs) {
        System.out.printf(Locale.ROOT, "%n== %s (%.1f s) %s%n", name, secs, res.parameters().asMap());
        System.out.println("   r    edges     true   chance indirect  est_FDR  chance_share  est_ind  est_total"
                + "  false_share  F1");
        CalibrationTable table = CalibrationTable.of(g, res);
        for (CalibrationTable.Row row : table.rows()) {
            System.out.printf(Locale.ROOT, "%s%3d %8d %8d %8d %8d %8.4f %12.4f %8.4f %10.4f %12.4f %6.3f%n",
                    row.r() == table.rStar() ? "*" : " ", row.r(), row.found(), row.trueEdges(), row.chance(),
                    row.indirect(), row.fdrEstimate(), row.chanceShare(), row.indirectEstimate(), row.totalEstimate(),
                    row.falseShare(), row.f1());
        }
        if (res.twin() != null) {
            System.out.printf(Locale.ROOT, "planted twin: %d features x %d tokens, %.1f active/token, %d planted edges%n",
                    res.twin().features(), res.twin().tokens(), res.twin().activePerToken(), res.twin().plantedEdges());
        }
        int rStar = table.rStar();
        double nullDisc = res.trials().stream().filter(t -> t.isNull()).mapToLong(t -> t.bhDiscoveries())
                .average().orElse(0);
        double obsDisc = res.trials().stream().filter(t -> !t.isNull()).mapToLong(t -> t.bhDiscoveries())
                .average().orElse(0);
        double cand = res.trials().stream().filter(t -> !t.isNull()).mapToDouble(t -> t.meanCandidates())
                .average().orElse(0);
        System.out.printf(Locale.ROOT, "r*=%s; mean BH discoveries: observed %.1f, null %.1f; mean candidates %.2f%n",
                rStar < 0 ? "none" : String.valueOf(rStar), obsDisc, nullDisc, cand);
        for (int at : new int[] {1, Math.max(1, rStar)}) {
            var found = res.countedEdges().stream().filter(e -> e.replicates() >= at).toList();
            StringBuilder kinds = new StringBuilder();
            g.recallByKind(found.stream().mapToInt(e -> e.i()).toArray(), found.stream().mapToInt(e -> e.j()).toArray())
                    .forEach((k, v) -> kinds.append(String.format(Locale.ROOT, " %s %.3f (%d/%d)",
                            k.name().toLowerCase(Locale.ROOT), v[0] / (double) v[1], v[0], v[1])));
            System.out.println("recall by kind at r=" + at + ":" + kinds);
        }
    }
}
