package org.saeatlas.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Random;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.sae.CosineTopK;

/**
 * Times decoder cosine top-k on random unit decoders: within one SAE ({@code within}: every feature's top-k among
 * the others) and across two ({@code both}: each direction's top-k, one pass, what matching needs). Usage:
 * {@code CosineBenchmark [features=16384] [dIn=2304] [engine=cpu|java|gpu|auto] [threads=2] [which=both|within|all]
 * [k=10]}; heap about 3 x features x dIn x 4 bytes (-Xmx2g at the defaults).
 */
public final class CosineBenchmark {
    private CosineBenchmark() {
    }

    public static void main(String[] args) {
        int p = args.length > 0 ? Integer.parseInt(args[0]) : 16_384;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 2_304;
        String choice = args.length > 2 ? args[2] : "cpu";
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        String which = args.length > 4 ? args[4] : "all";
        int k = args.length > 5 ? Integer.parseInt(args[5]) : 10;
        Random rnd = new Random(13);
        float[] a = gaussian(rnd, p * d);
        float[] b = gaussian(rnd, p * d);
        try (ComputeEngine engine = BenchEngines.of(choice, threads)) {
            CosineTopK cosine = engine.cosine();
            if (!which.equals("within")) {
                time(cosine.name(), "both ways (A in B and B in A, one pass)", p, d, k, threads,
                        () -> cosine.both(a, p, b, p, d, k, BenchEngines.progress()));
            }
            if (!which.equals("both")) {
                time(cosine.name(), "within one SAE", p, d, k, threads,
                        () -> cosine.within(a, p, d, k, BenchEngines.progress()));
            }
        }
    }

    private static void time(String engine, String what, int p, int d, int k, int threads, Runnable run) {
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        run.run();
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        System.out.printf(Locale.ROOT, "cosine top-%d [%s] %s, %,d x %,d features, d_in %,d, %d threads: %.1f s"
                + " wall, %.1f CPU-s%n", k, engine, what, p, p, d, threads, secs, cpu);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static float[] gaussian(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }
}
