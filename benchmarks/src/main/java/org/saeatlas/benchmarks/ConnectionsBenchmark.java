package org.saeatlas.benchmarks;

import java.util.Locale;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.connections.ConnectionGraph;
import org.saeatlas.compute.connections.ConnectionParameters;
import org.saeatlas.compute.connections.ConnectionResult;
import org.saeatlas.compute.connections.MlpBaseline;
import org.saeatlas.compute.connections.PlantedLayers;
import org.saeatlas.compute.connections.PlantedRecovery;
import org.saeatlas.compute.fdr.FdrTable;

/**
 * Connections between two planted layers with known answers (OR, AND NOT, AND, PRODUCT, XOR and noise downstream
 * features): prints the recovery table (precision, recall, F1 of the stable connections, signs, features flagged
 * linear) per kind, the FDR table and the time. Usage: {@code ConnectionsBenchmark [tokens=20000] [resamples=10]
 * [seed=7] [java|djl]} (the nonlinear baseline's trainer).
 */
public final class ConnectionsBenchmark {
    private ConnectionsBenchmark() {
    }

    public static void main(String[] args) {
        int tokens = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int r = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 7;
        boolean djl = args.length > 3 && args[3].equals("djl");
        PlantedLayers.Spec spec = PlantedLayers.Spec.small(seed);
        PlantedLayers planted = PlantedLayers.generate(new PlantedLayers.Spec(tokens, spec.freeUpstream(),
                spec.shadows(), spec.or(), spec.andNot(), spec.and(), spec.product(), spec.xor(), spec.noise(), seed));
        ConnectionParameters p = ConnectionParameters.defaults().withResamples(r).withSeed(seed);
        System.out.printf(Locale.ROOT, "planted layers: %d upstream x %d downstream features, %d tokens, %d planted"
                        + " connections; R=%d+%d trials, threads=%d%n", planted.upstream().featureCount(),
                planted.downstream().featureCount(), tokens, planted.plantedConnections(), r, r, p.threads());
        long t0 = System.nanoTime();
        org.saeatlas.compute.connections.NonlinearBaseline baseline = djl
                ? org.saeatlas.djl.Engines.djl(org.saeatlas.djl.EngineChoice.CPU, java.nio.file.Path.of("target",
                        "djl-cache"), p.threads(), System.err::println).mlp(p.hidden(), p.epochs())
                : new MlpBaseline(p.hidden(), p.epochs());
        System.out.println("nonlinear baseline: " + baseline.name());
        ConnectionResult res = ConnectionGraph.run(planted.upstream(), planted.downstream(), p, baseline,
                Progress.NONE);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.print(PlantedRecovery.of(planted, res).table());
        System.out.println("r  observed  null  fdr");
        for (FdrTable.Row row : res.fdrTable().rows()) {
            System.out.printf(Locale.ROOT, "%-2d %8d %5d  %s%n", row.r(), row.observed(), row.expectedNull(),
                    Double.isNaN(row.fdrEst()) ? "-" : String.format(Locale.ROOT, "%.4f", row.fdrEst()));
        }
        System.out.printf(Locale.ROOT, "r* = %s; linear share %.3f (%d of %d, threshold %s); %.1f s%n",
                res.fdrTable().rStar().isPresent() ? res.fdrTable().rStar().getAsInt() : "none", res.linearShare(),
                res.linearCount(), res.linearity().size(), p.linearThreshold(), secs);
    }
}
