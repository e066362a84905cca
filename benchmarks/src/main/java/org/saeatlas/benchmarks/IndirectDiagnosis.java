package org.saeatlas.benchmarks;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;
import org.saeatlas.compute.stability.NestedPaths;
import org.saeatlas.compute.stability.StabilityGraph;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.compute.stability.StabilityResult;
import org.saeatlas.compute.stability.StableEdge;

/**
 * Why indirect edges survive explaining away: each indirect edge among the counted edges seen in >= r trials (r = 1
 * and r*) is put in the first class that fits: no planted common neighbour (a planted path of length >= 3), a planted
 * common neighbour k whose edge to i or j was not observed, k observed on both sides but i-k or j-k not nested, or
 * tested and found conditionally dependent.
 * Usage: {@code IndirectDiagnosis [config=default] [shapes...]}.
 */
public final class IndirectDiagnosis {
    private IndirectDiagnosis() {
    }

    public static void main(String[] args) {
        String config = args.length > 0 ? args[0] : "default";
        List<String> shapes = args.length > 1 ? List.of(args).subList(1, args.length) : Shapes.ALL;
        for (String shape : shapes) {
            PlantedSpec spec = Shapes.named(shape, 7L);
            PlantedGraph g = PlantedGraph.generate(spec);
            StabilityResult res = StabilityGraph.run(g.activations(), Configs.named(config), Progress.NONE);
            int p = spec.features();
            Set<Long> truth = new HashSet<>();
            List<Set<Integer>> nb = new java.util.ArrayList<>();
            for (int v = 0; v < p; v++) {
                nb.add(new HashSet<>());
            }
            for (int e = 0; e < g.plantedEdges(); e++) {
                truth.add((long) g.truthI()[e] * p + g.truthJ()[e]);
                nb.get(g.truthI()[e]).add(g.truthJ()[e]);
                nb.get(g.truthJ()[e]).add(g.truthI()[e]);
            }
            Set<Long> observed = new HashSet<>();
            for (StableEdge e : res.edges()) {
                observed.add((long) e.i() * p + e.j());
            }
            SparseActivations.Columns cols = g.activations().columns();
            int rStar = res.rStar().orElse(1);
            for (int at : new int[] {1, rStar}) {
                int[] cls = new int[4];
                double[] fires = new double[4];
                for (StableEdge e : res.countedEdges()) {
                    if (e.replicates() < at || g.classify(e.i(), e.j()) != PlantedGraph.EdgeKind.INDIRECT) {
                        continue;
                    }
                    int c = 0;
                    for (int k : nb.get(e.i())) {
                        if (!nb.get(e.j()).contains(k)) {
                            continue;
                        }
                        boolean obs = observed.contains(key(e.i(), k, p)) && observed.contains(key(e.j(), k, p));
                        boolean nested = NestedPaths.nested(cols, e.i(), k) && NestedPaths.nested(cols, e.j(), k);
                        c = Math.max(c, !obs ? 1 : !nested ? 2 : 3);
                    }
                    cls[c]++;
                    fires[c] += Math.min(cols.colPtr()[e.i() + 1] - cols.colPtr()[e.i()],
                            cols.colPtr()[e.j() + 1] - cols.colPtr()[e.j()]);
                }
                System.out.printf(Locale.ROOT, "%s r=%d%s: indirect %d: no common planted neighbour %d, neighbour edge"
                                + " unobserved %d, not nested %d, tested and dependent %d; mean firings of the rarer end"
                                + " %s%n", shape, at, at == rStar ? " (r*)" : "", Arrays.stream(cls).sum(), cls[0],
                        cls[1], cls[2], cls[3], Arrays.toString(Arrays.stream(new int[] {0, 1, 2, 3})
                                .mapToLong(c -> cls[c] == 0 ? 0 : Math.round(fires[c] / cls[c])).toArray()));
            }
        }
    }

    private static long key(int a, int b, int p) {
        return (long) Math.min(a, b) * p + Math.max(a, b);
    }
}
