package org.saeatlas.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.saeatlas.ingest.formats.Folders;
import org.saeatlas.ingest.formats.ProgressPrinter;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.EmbeddedNeo4j;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.store.AtlasWriter;
import org.saeatlas.ingest.store.ExplanationImport;
import org.saeatlas.ingest.store.Rows;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./atlas bench explanations}: writes a synthetic Neuronpedia export of a whole SAE (one explanation per
 * feature, {@code explanations/batch-N.jsonl.gz} of 10,000 rows, Neuronpedia's keys), streams it into a new embedded
 * atlas as {@code add-sae} does, and prints explanations/s and the JVM's peak heap.
 */
@Command(name = "explanations", mixinStandardHelpOptions = true,
        description = "Stream a synthetic whole-SAE Neuronpedia explanation export (gzipped JSONL) into a new embedded"
                + " atlas and print explanations/s and peak heap.")
class ExplanationsBenchmark implements Callable<Integer> {

    @Option(names = "--features", defaultValue = "65536", description = "Features, one explanation each (default: ${DEFAULT-VALUE}).")
    int features;

    @Option(names = "--embedding-dim", defaultValue = "0", description = "Embedding floats per explanation (0: none; default: ${DEFAULT-VALUE}).")
    int embeddingDim;

    @Option(names = "--work", description = "Folder for the export and the database (default: a temporary folder, deleted after).")
    Path work;

    @Override
    public Integer call() throws IOException {
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("atlas-bench-expl");
        try {
            Path export = dir.resolve("export");
            long t0 = System.nanoTime();
            long bytes = writeExport(export.resolve("explanations"));
            System.out.printf(Locale.ROOT, "export: %,d explanations in %,d bytes of gzipped JSONL (%.1f s to write)%n",
                    features, bytes, (System.nanoTime() - t0) / 1e9);
            try (AtlasDatabase db = AtlasDatabase.open(new Neo4jTarget(null, null, null, dir.resolve("neo4j"),
                    EmbeddedNeo4j.freePort(), EmbeddedNeo4j.freePort(), "256m"))) {
                ProgressPrinter progress = new ProgressPrinter(System.out);
                AtlasWriter writer = new AtlasWriter(db.cypher(), progress);
                writer.model(new Rows.ModelRow("bench-model", "bench-model"));
                writer.sae(new Rows.SaeRow("bench-sae", "bench-model", null, 0, null, features, null, null, null));
                List<Rows.FeatureRow> rows = new java.util.ArrayList<>(features);
                for (int f = 0; f < features; f++) {
                    rows.add(new Rows.FeatureRow(f, null, null, null, null));
                }
                writer.features("bench-sae", rows);
                rows = null;
                resetPeaks();
                double cpu0 = org.saeatlas.ingest.store.AtlasLoad.processCpuSeconds();
                ExplanationImport.Result r = ExplanationImport.stream(writer, "bench-sae", features, List.of(export),
                        null, progress);
                double cpu = org.saeatlas.ingest.store.AtlasLoad.processCpuSeconds() - cpu0;
                System.out.printf(Locale.ROOT, "streamed %,d explanations in %.1f s: %,.0f explanations/s; CPU %.1f s"
                                + " (%,.0f explanations per CPU-second, all threads); peak heap %,d MiB (max heap %,d"
                                + " MiB); %d processors, load average %.1f%n", r.explanations(), r.seconds(),
                        r.rowsPerSecond(), cpu, r.explanations() / Math.max(1e-9, cpu), peakHeap() >> 20,
                        Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors(),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
        } finally {
            if (work == null) {
                Folders.deleteTree(dir);
            }
        }
        return 0;
    }

    /** Neuronpedia's explanation rows: index as a string, description, model and type names, optional embedding. */
    private long writeExport(Path folder) throws IOException {
        Files.createDirectories(folder);
        Random rnd = new Random(7);
        String[] words = {"mentions", "of", "the", "word", "court", "judge", "dogs", "cats", "code", "brackets",
            "numbers", "in", "French", "city", "names", "closing", "quotes", "legal", "text", "after"};
        long bytes = 0;
        int perBatch = 10_000;
        for (int b = 0; b * perBatch < features; b++) {
            Path file = folder.resolve("batch-" + b + ".jsonl.gz");
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(
                    Files.newOutputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
                for (int f = b * perBatch; f < Math.min(features, (b + 1) * perBatch); f++) {
                    StringBuilder d = new StringBuilder();
                    for (int k = 0; k < 4 + rnd.nextInt(6); k++) {
                        d.append(k == 0 ? "" : " ").append(words[rnd.nextInt(words.length)]);
                    }
                    w.write("{\"modelId\":\"bench-model\",\"layer\":\"bench-sae\",\"index\":\"" + f
                            + "\",\"description\":\"" + d + "\",\"explanationModelName\":\"gpt-4o-mini\","
                            + "\"typeName\":\"oai_token-act-pair\"");
                    if (embeddingDim > 0) {
                        w.write(",\"embedding\":[");
                        for (int e = 0; e < embeddingDim; e++) {
                            w.write((e == 0 ? "" : ",") + String.format(Locale.ROOT, "%.5f", rnd.nextGaussian()));
                        }
                        w.write("]");
                    }
                    w.write("}\n");
                }
            }
            bytes += Files.size(file);
        }
        return bytes;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
