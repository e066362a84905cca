package org.saeatlas.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.EncodeResult;
import org.saeatlas.compute.sae.SaeArchitecture;
import org.saeatlas.compute.sae.ResidualEncoder;
import org.saeatlas.compute.sae.SaeEncoder;
import org.saeatlas.compute.sae.SaeWeights;

/**
 * Prints tokens/s of the encoder ({@link SaeEncoder}, its product in Java or on DJL) on a random JumpReLU SAE, by default Gemma
 * Scope's shape (d_in = 2,304, d_sae = 16,384) with thresholds set for ~1% active features. One untimed warm-up
 * batch, then {@code tokens} timed. Usage: {@code EncodeBenchmark [tokens=1024] [threads=2] [dIn=2304]
 * [dSae=16384] [batch=256] [block=256] [engine=java|cpu|gpu|auto]}; needs about 2 x d_in x d_sae x 4 bytes of heap (-Xmx1g at the default).
 */
public final class EncodeBenchmark {
    private EncodeBenchmark() {
    }

    public static void main(String[] args) {
        int tokens = arg(args, 0, 1024);
        int threads = arg(args, 1, 2);
        int dIn = arg(args, 2, 2304);
        int dSae = arg(args, 3, 16384);
        int batch = arg(args, 4, 256);
        int block = arg(args, 5, 256);
        String engineChoice = args.length > 6 ? args[6] : "java";
        Random rnd = new Random(7);
        SaeWeights sae = randomJumpRelu(rnd, dIn, dSae);
        ComputeEngine engine = BenchEngines.of(engineChoice, threads);
        ResidualEncoder encoder = engine.encoder(sae, new EncodeParameters(batch, block, threads));
        encoder.encode(List.of(gaussian(rnd, Math.min(batch, tokens) * dIn, 1)), batch, Progress.NONE);
        List<float[]> batches = new ArrayList<>();
        for (int t = 0; t < tokens; t += batch) {
            batches.add(gaussian(rnd, Math.min(batch, tokens - t) * dIn, 1));
        }
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        EncodeResult r = encoder.encode(batches, tokens, Progress.NONE);
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpuSecs = (cpuNanos() - cpu0) / 1e9;
        double flops = 2.0 * dIn * dSae * tokens;
        System.out.printf(Locale.ROOT, "encode [%s] d_in=%d d_sae=%d tokens=%d threads=%d batch=%d block=%d: %.2f s, "
                        + "%.1f tokens/s, %.1f GFLOP/s (encoder product); %.1f CPU-s = %.1f tokens per CPU-second (what an"
                        + " idle core gives; compare with wall-clock on a busy machine); mean L0 %.1f, FVU %.3f%n",
                encoder.engine(), dIn, dSae, tokens, threads, batch, block, secs, tokens / secs, flops / secs / 1e9, cpuSecs,
                tokens / cpuSecs, r.statistics().meanL0(), r.statistics().fvu());
    }

    /**
     * A random JumpReLU SAE: Gaussian encoder and decoder scaled by 1/sqrt(d_in), thresholds at 2.33 so ~1% of the
     * features of a standard-normal residual fire. Draws the encoder, then the decoder, from {@code rnd}.
     */
    static SaeWeights randomJumpRelu(Random rnd, int dIn, int dSae) {
        float scale = (float) (1 / Math.sqrt(dIn));
        float[] wEnc = gaussian(rnd, dIn * dSae, scale);
        float[] wDec = gaussian(rnd, dSae * dIn, scale);
        float[] threshold = new float[dSae];
        Arrays.fill(threshold, 2.33f); // z ~ N(0, 1): P(z > 2.33) ~ 1%
        return new SaeWeights(SaeArchitecture.JUMPRELU, dIn, dSae, wEnc, wDec, new float[dSae], new float[dIn],
                threshold, null, true, "random", "random", "float32");
    }

    /** This process's CPU time so far (all threads). */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    static float[] gaussian(Random rnd, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian() * scale;
        }
        return v;
    }
}
