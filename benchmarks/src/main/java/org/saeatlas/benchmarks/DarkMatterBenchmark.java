package org.saeatlas.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.darkmatter.DarkMatter;
import org.saeatlas.compute.darkmatter.DarkMatterParameters;
import org.saeatlas.compute.darkmatter.DarkMatterResult;
import org.saeatlas.compute.darkmatter.ErrorMoments;
import org.saeatlas.compute.sae.EncodeParameters;
import org.saeatlas.compute.sae.ResidualEncoder;
import org.saeatlas.compute.sae.SaeWeights;

/**
 * Prints the cost of the SAE error statistics ({@link ErrorMoments} streaming beside the encoder, then
 * {@link DarkMatter#fit}) next to the cost of encoding the same tokens, and their ratio. Usage: {@code
 * DarkMatterBenchmark [tokens=100000] [threads=2] [dIn=2304] [dSae=16384] [encodeTokens=2048]
 * [engine=auto|cpu|java] [paths=engine|separate]}. The statistics see random residuals and a reconstruction
 * {@code 0.8 x + noise} (their cost does not depend on the values); the encoder runs on {@code encodeTokens} tokens
 * of a random JumpReLU SAE (about 1% of features active) and its rate is scaled to {@code tokens}. {@code
 * paths=separate} runs the statistics as before the fused kernels, for a back-to-back comparison on the same
 * machine state: two whole products per block ({@code 2 d^2} a token) and the fit in Java. CPU: this process's CPU
 * seconds (all threads, PyTorch's included); heap: the peak of the heap pools (run with -Xmx3g like ./atlas);
 * resident: the process's peak (VmHWM), the encoder's weights included at the end.
 */
public final class DarkMatterBenchmark {
    private DarkMatterBenchmark() {
    }

    public static void main(String[] args) {
        int tokens = EncodeBenchmark.arg(args, 0, 100_000);
        int threads = EncodeBenchmark.arg(args, 1, 2);
        int dIn = EncodeBenchmark.arg(args, 2, 2304);
        int dSae = EncodeBenchmark.arg(args, 3, 16384);
        int encodeTokens = EncodeBenchmark.arg(args, 4, 2048);
        String engineChoice = args.length > 5 ? args[5] : "auto";
        boolean separate = args.length > 6 && args[6].equals("separate");
        if (args.length > 6 && !separate && !args[6].equals("engine")) {
            throw new IllegalArgumentException("paths: expected engine or separate, found " + args[6]);
        }
        int batch = 256;
        Random rnd = new Random(5);
        // a pool of batches cycled through (generating 100k x 2,304 Gaussians would cost more than what is measured)
        List<float[]> xs = new ArrayList<>();
        List<float[]> hats = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            float[] x = EncodeBenchmark.gaussian(rnd, batch * dIn, 1);
            float[] h = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                h[i] = 0.8f * x[i] + 0.1f * (float) rnd.nextGaussian();
            }
            xs.add(x);
            hats.add(h);
        }
        ComputeEngine engine = BenchEngines.of(engineChoice, threads);
        resetPeaks();
        long cpu0 = EncodeBenchmark.cpuNanos();
        long t0 = System.nanoTime();
        DarkMatterResult r;
        double streamSecs;
        double statsCpu;
        org.saeatlas.compute.darkmatter.GramAccumulator.Factory gram = engine.gram();
        if (separate && gram != null) {
            gram = gram::create; // the interface's defaults: two accumulators a side, the fit in Java
        }
        String paths = separate ? "separate products, fit in Java" : "the engine's kernels";
        try (engine; ErrorMoments m = new ErrorMoments(dIn, DarkMatterParameters.defaults().withThreads(threads), null,
                gram)) {
            long last = t0;
            for (int t = 0, b = 0; t < tokens; t += batch, b++) {
                int rows = Math.min(batch, tokens - t);
                m.batch(t, xs.get(b % xs.size()), hats.get(b % hats.size()), rows);
                if (System.nanoTime() - last > 30e9) {
                    last = System.nanoTime();
                    double s = (last - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "  moments: %,d of %,d tokens, %.0f tokens/s, ETA %.0f s%n",
                            t + rows, tokens, (t + rows) / s, (tokens - t - rows) / ((t + rows) / s));
                }
            }
            streamSecs = (System.nanoTime() - t0) / 1e9;
            double streamCpu = (EncodeBenchmark.cpuNanos() - cpu0) / 1e9;
            long t1 = System.nanoTime();
            r = DarkMatter.fit(m);
            double fitSecs = (System.nanoTime() - t1) / 1e9;
            double cpuSecs = (EncodeBenchmark.cpuNanos() - cpu0) / 1e9;
            System.out.printf(Locale.ROOT, "error statistics [%s; %s] d_in=%d tokens=%d threads=%d: moments %.1f s"
                            + " (%.0f tokens/s, %.0f tokens per CPU-s, %.1f CPU-s), fit %.1f s (%.1f CPU-s), total %.1f s"
                            + " (%.1f CPU-s); peak heap %d MiB, peak resident %s (%,d held-out tokens; the R2 of cycled"
                            + " random batches mean nothing)%n",
                    m.engine(), paths, dIn, tokens, threads, streamSecs, tokens / streamSecs, tokens / streamCpu,
                    streamCpu, fitSecs, cpuSecs - streamCpu, streamSecs + fitSecs, cpuSecs, peakHeapMiB(),
                    ConnectionsBenchmark.peakRss(), r.heldOutTokens());
            statsCpu = cpuSecs;
            SaeWeights sae = EncodeBenchmark.randomJumpRelu(rnd, dIn, dSae);
            {
                ResidualEncoder encoder = engine.encoder(sae, new EncodeParameters(batch, 256, threads));
                encoder.encode(List.of(xs.get(0)), batch, Progress.NONE);
                List<float[]> batches = new ArrayList<>();
                for (int t = 0; t < encodeTokens; t += batch) {
                    batches.add(Arrays.copyOf(xs.get((t / batch) % xs.size()), Math.min(batch, encodeTokens - t) * dIn));
                }
                long e0 = System.nanoTime();
                long ec0 = EncodeBenchmark.cpuNanos();
                encoder.encode(batches, encodeTokens, Progress.NONE);
                double encSecs = (System.nanoTime() - e0) / 1e9;
                double encCpu = (EncodeBenchmark.cpuNanos() - ec0) / 1e9 * tokens / encodeTokens;
                double encRate = encodeTokens / encSecs;
                double encFull = tokens / encRate;
                System.out.printf(Locale.ROOT, "encode [%s] d_sae=%d: %.1f tokens/s on %d tokens -> %.0f s for %,d tokens"
                                + " (%.0f CPU-s); over the whole run peak heap %d MiB, peak resident %s%n", encoder.engine(), dSae, encRate,
                        encodeTokens, encFull, tokens, encCpu, peakHeapMiB(), ConnectionsBenchmark.peakRss());
                System.out.printf(Locale.ROOT, "ratio: the error statistics cost %.1f CPU-s against %.0f CPU-s of"
                                + " encoding the same %,d tokens: %.1f%% in CPU time, %.1f%% on the wall clock%n",
                        statsCpu, encCpu, tokens, 100 * statsCpu / encCpu, 100 * (streamSecs + fitSecs) / encFull);
            }
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    private static long peakHeapMiB() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum >> 20;
    }
}
