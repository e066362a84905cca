package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.saeatlas.compute.stability.CalibrationTable;
import org.saeatlas.compute.planted.PlantedGraph;
import org.saeatlas.compute.planted.PlantedSpec;
import org.saeatlas.compute.stability.StabilityGraph;
import org.saeatlas.compute.stability.StabilityParameters;
import org.saeatlas.compute.stability.StabilityResult;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.formats.ActivationFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "calibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the dependence-graph settings on generated data with a planted graph and print, per replicate"
            + " threshold r, the edges found split into true, chance (no planted path) and indirect (a planted path of"
            + " length >= 2), the null-estimated FDR beside the realised share of chance edges, the estimated total error"
            + " (chance FDR + indirect share from a planted twin) beside the realised share of false edges, and F1. So you can see"
            + " what a threshold means before trusting it on real data.",
            "With --like, the planted data copies your SAE: its tokens, the range of its features' firing rates and the"
                + " spread of its activation magnitudes."})
class CalibrateCommand implements Callable<Integer> {

    @Option(names = "--like", paramLabel = "ACTIVATIONS", description = "Make the planted data like these activations (.npz, .npy, .safetensors, delphi cache).")
    Path like;

    @Option(names = "--features", defaultValue = "2000", description = "Planted features (with --like: at most this many) [${DEFAULT-VALUE}].")
    int features;

    @Option(names = "--tokens", defaultValue = "20000", description = "Planted tokens (ignored with --like) [${DEFAULT-VALUE}].")
    int tokens;

    @Option(names = "--planted-seed", defaultValue = "7", description = "Seed of the planted data [${DEFAULT-VALUE}].")
    long plantedSeed;

    @Mixin
    StabilityOptions stability;

    @Override
    public Integer call() {
        PlantedSpec spec = like == null ? PlantedSpec.standard(features, tokens, plantedSeed)
                : PlantedSpec.like(ActivationFiles.read(like), features, plantedSeed);
        PlantedGraph planted = PlantedGraph.generate(spec);
        System.out.printf(Locale.ROOT, "planted data: %,d features x %,d tokens, %.1f active per token, %,d planted edges%n",
                spec.features(), spec.tokens(), planted.activations().nnz() / (double) spec.tokens(), planted.plantedEdges());
        StabilityParameters params = stability.parameters();
        if (!params.calibrated()) {
            System.out.println("note: per-trial nulls on overlapping subsamples are the miscalibrated published form");
        }
        long t0 = System.nanoTime();
        StabilityResult result = StabilityGraph.run(planted.activations(), params, new ProgressPrinter(System.out));
        CalibrationTable table = CalibrationTable.of(planted, result);
        System.out.printf(Locale.ROOT, "%n%s (%.1fs)%n", params.asMap(), (System.nanoTime() - t0) / 1e9);
        System.out.println("    r    edges     true   chance indirect  est.FDR  chance share  est.indirect  est.total"
                + "  false share     F1");
        for (CalibrationTable.Row r : table.rows()) {
            System.out.printf(Locale.ROOT, "%s %3d %8d %8d %8d %8d %8.4f %12.4f %13s %10.4f %12.4f %6.3f%n",
                    r.r() == table.rStar() ? "*" : " ", r.r(), r.found(), r.trueEdges(), r.chance(), r.indirect(),
                    r.fdrEstimate(), r.chanceShare(), Double.isNaN(r.indirectEstimate()) ? "n/a"
                            : String.format(Locale.ROOT, "%.4f", r.indirectEstimate()), r.totalEstimate(),
                    r.falseShare(), r.f1());
        }
        CalibrationTable.Row at = table.atRStar();
        System.out.println(at == null ? "no threshold met alpha" : String.format(Locale.ROOT,
                "at r* = %d: estimated chance FDR %.4f vs realised chance share %.4f; estimated total error %.4f vs"
                        + " realised false share %.4f (indirect %d of %d false edges); precision %.3f, F1 %.3f",
                at.r(), at.fdrEstimate(), at.chanceShare(), at.totalEstimate(), at.falseShare(), at.indirect(),
                at.chance() + at.indirect(), at.precision(), at.f1()));
        System.out.println(result.thresholdReason());
        return 0;
    }
}
