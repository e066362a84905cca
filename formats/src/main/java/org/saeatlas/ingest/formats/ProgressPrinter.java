package org.saeatlas.ingest.formats;

import java.io.PrintStream;
import java.util.Locale;
import org.saeatlas.compute.Progress;

/**
 * Prints progress as a periodic line with rate and ETA: at most once a second per stage, and once when a stage
 * completes. Thread-safe.
 */
public final class ProgressPrinter implements Progress {

    private final PrintStream out;
    private String stage;
    private long stageStart;
    private long lastPrint;

    public ProgressPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void update(String name, long done, long total) {
        long now = System.nanoTime();
        if (!name.equals(stage)) {
            stage = name;
            stageStart = now;
            lastPrint = now;
        }
        boolean finished = total > 0 && done >= total;
        if (!finished && now - lastPrint < 1_000_000_000L) {
            return;
        }
        lastPrint = now;
        double seconds = (now - stageStart) / 1e9;
        if (finished && seconds < 0.05) {
            out.printf(Locale.ROOT, "  %-28s %,d done%n", name, total);
            return;
        }
        double rate = done / Math.max(1e-9, seconds);
        String eta = finished ? String.format(Locale.ROOT, "done in %.1fs", seconds)
                : rate > 0 ? String.format(Locale.ROOT, "ETA %.0fs", (total - done) / rate) : "ETA ?";
        out.printf(Locale.ROOT, "  %-28s %,d/%,d (%.0f%%)  %,.0f/s  %s%n", name, done, total,
                total > 0 ? 100.0 * done / total : 0.0, rate, eta);
    }
}
