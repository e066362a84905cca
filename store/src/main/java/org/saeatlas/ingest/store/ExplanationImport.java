package org.saeatlas.ingest.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.formats.ExplanationFiles;

/**
 * A whole SAE's explanations streamed from Neuronpedia exports or JSONL files into the atlas: row by row from the
 * (gzipped) files into batched writes, so memory is bounded whatever the size; progress by bytes read (rate, ETA).
 */
public final class ExplanationImport {

    /** What was streamed: explanations written, compressed bytes read, seconds. */
    public record Result(long explanations, long bytes, double seconds) {
        public double rowsPerSecond() {
            return explanations / Math.max(1e-9, seconds);
        }
    }

    private ExplanationImport() {
    }

    /** Streams {@code paths} (each {@link ExplanationFiles#streams}) into SAE {@code sae} of {@code width} features. */
    public static Result stream(AtlasWriter writer, String sae, int width, List<Path> paths, String tag,
                                Progress progress) {
        long total = 0;
        for (Path p : paths) {
            for (Path f : ExplanationFiles.streamedFiles(p)) {
                try {
                    total += Files.size(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(f + ": " + e.getMessage(), e);
                }
            }
        }
        long t0 = System.nanoTime();
        String stage = "explanations " + sae + " (bytes)";
        long[] base = {0};
        long[] last = {0};
        long totalBytes = total;
        try (AtlasWriter.ExplanationWriter out = writer.explanationWriter(sae, width, tag)) {
            progress.update(stage, 0, totalBytes);
            for (Path p : paths) {
                ExplanationFiles.stream(p, e -> out.add(new Rows.ExplanationRow(e.feature(), e.text(), e.source(),
                        e.score(), e.embedding())), bytes -> {
                            last[0] = base[0] + bytes;
                            progress.update(stage, Math.min(last[0], totalBytes), totalBytes);
                        });
                base[0] = last[0];
            }
            out.close();
            progress.update(stage, totalBytes, totalBytes);
            return new Result(out.written(), totalBytes, (System.nanoTime() - t0) / 1e9);
        }
    }
}
