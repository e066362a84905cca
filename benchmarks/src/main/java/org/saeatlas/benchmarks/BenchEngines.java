package org.saeatlas.benchmarks;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.compute.Progress;
import org.saeatlas.djl.EngineChoice;
import org.saeatlas.djl.Engines;

/**
 * The engine a benchmark runs on: {@code java}, or DJL ({@code cpu}, {@code gpu}, {@code auto}). DJL unpacks its
 * native library under {@code -Datlas.djl.cache=DIR}, default {@code <java.io.tmpdir>/sae-atlas-djl-cache}. A GPU
 * is only used when the engine sees one; the printed engine name says which ran.
 */
final class BenchEngines {
    private BenchEngines() {
    }

    static ComputeEngine of(String choice, int threads) {
        Path cache = Path.of(System.getProperty("atlas.djl.cache",
                Path.of(System.getProperty("java.io.tmpdir"), "sae-atlas-djl-cache").toString()));
        return Engines.select(EngineChoice.parse(choice), cache, threads, System.out::println);
    }

    /** Progress with rate and ETA, at most every 10 s (benchmarks print little). */
    static Progress progress() {
        long start = System.nanoTime();
        AtomicLong last = new AtomicLong(start);
        return (stage, done, total) -> {
            long now = System.nanoTime();
            long prev = last.get();
            if ((now - prev < 10_000_000_000L && done < total) || !last.compareAndSet(prev, now)) {
                return;
            }
            double secs = (now - start) / 1e9;
            double rate = done / Math.max(1e-9, secs);
            System.out.printf(Locale.ROOT, "  %s %,d/%,d  %.1f/s  %s%n", stage, done, total, rate,
                    done >= total ? String.format(Locale.ROOT, "done in %.1fs", secs)
                            : String.format(Locale.ROOT, "ETA %.0fs", (total - done) / Math.max(1e-9, rate)));
        };
    }
}
