package org.saeatlas.compute.stability;

import org.saeatlas.compute.planted.PlantedSpec;
import org.saeatlas.compute.planted.PlantedGraph;
import java.util.List;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.resampling.Seeds;

/**
 * The planted twin of an input: {@link PlantedSpec#like} data (same tokens, at most
 * {@link StabilityParameters#twinFeatures()} features) with a known graph, run through the same settings with the
 * chance-only rule and without null trials (it is scored against its own truth), and scored per replicate count r. Its share of indirect edges among the edges seen in >= r trials,
 * within edges that close a nested two-path and within the rest ({@link NestedPaths}), estimates the input's, which no
 * permutation null can see. Cost: one more run on the twin, whose pair pass is
 * smaller by about (twin features / input features)^2 when the input has more features.
 */
public final class PlantedTwin {
    private PlantedTwin() {
    }

    public static TwinEstimate estimate(SparseActivations x, StabilityParameters params, Progress progress) {
        long seed = Seeds.derive(params.seed(), Seeds.PLANTED_TWIN, 0);
        PlantedSpec spec = PlantedSpec.like(x, params.twinFeatures(), seed);
        PlantedGraph twin = PlantedGraph.generate(spec);
        StabilityResult res = StabilityGraph.runObservedOnly(twin.activations(), params,
                (stage, done, total) -> progress.update("planted twin: " + stage, done, total));
        return score(twin, res, spec, seed);
    }

    /** Per r, the twin's edges seen in >= r trials split into true, indirect and chance. */
    static TwinEstimate score(PlantedGraph twin, StabilityResult res, PlantedSpec spec, long seed) {
        int r = res.parameters().resamples();
        long[] found = new long[r + 2];
        long[] truth = new long[r + 2];
        long[] indirect = new long[r + 2];
        long[] chance = new long[r + 2];
        long[] nested = new long[r + 2];
        long[] nestedIndirect = new long[r + 2];
        List<StableEdge> counted = res.countedEdges();
        int[] closed = NestedPaths.nearNestedUpTo(twin.activations(), counted);
        for (int k = 0; k < closed.length; k++) {
            StableEdge e = counted.get(k);
            int c = Math.min(e.replicates(), r);
            found[c]++;
            PlantedGraph.EdgeKind kind = twin.classify(e.i(), e.j());
            switch (kind) {
                case TRUE -> truth[c]++;
                case INDIRECT -> indirect[c]++;
                default -> chance[c]++;
            }
            int n = Math.min(closed[k], r);
            nested[n]++;
            if (kind == PlantedGraph.EdgeKind.INDIRECT) {
                nestedIndirect[n]++;
            }
        }
        for (long[] a : new long[][] {found, truth, indirect, chance, nested, nestedIndirect}) {
            for (int k = r; k >= 1; k--) {
                a[k] += a[k + 1];
            }
        }
        return new TwinEstimate(spec.features(), spec.tokens(), twin.plantedEdges(),
                twin.activations().nnz() / (double) spec.tokens(), seed, slice(found, r), slice(truth, r),
                slice(indirect, r), slice(chance, r), slice(nested, r), slice(nestedIndirect, r));
    }

    private static long[] slice(long[] a, int r) {
        return java.util.Arrays.copyOfRange(a, 1, r + 1);
    }
}
