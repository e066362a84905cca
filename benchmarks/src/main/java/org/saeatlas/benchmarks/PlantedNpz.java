package org.saeatlas.benchmarks;

import java.nio.file.Path;
import java.util.Locale;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;
import org.saeatlas.ingest.formats.ScipySparseNpz;

/**
 * Writes planted activations with about {@code active} features per token as a scipy sparse .npz, the input of the
 * end-to-end speed measurement of {@code atlas compute} (the README's 2,000 x 20,000 case is
 * {@code PlantedNpz 2000 20000 60 11 case.npz}).
 * Usage: {@code PlantedNpz features tokens active seed out.npz}.
 */
public final class PlantedNpz {
    private PlantedNpz() {
    }

    public static void main(String[] args) {
        PlantedGraph g = PlantedGraph.generate(PlantedSpec.withActivePerToken(Integer.parseInt(args[0]),
                Integer.parseInt(args[1]), Double.parseDouble(args[2]), Long.parseLong(args[3])));
        ScipySparseNpz.write(Path.of(args[4]), g.activations(), true);
        System.out.printf(Locale.ROOT, "wrote %s: %d tokens x %d features, %d non-zeros, %d planted edges%n", args[4],
                g.activations().tokens(), g.activations().featureCount(), g.activations().nnz(), g.plantedEdges());
    }
}
