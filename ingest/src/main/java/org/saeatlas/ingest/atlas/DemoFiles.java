package org.saeatlas.ingest.atlas;

import org.saeatlas.schema.AtlasVersion;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.demo.DemoAtlas;
import org.saeatlas.compute.demo.DemoAtlasGenerator;
import org.saeatlas.compute.demo.DemoParameters;
import org.saeatlas.compute.demo.HashedTextEmbedding;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.ingest.formats.Folders;
import org.saeatlas.ingest.formats.DType;
import org.saeatlas.ingest.formats.Safetensors;
import org.saeatlas.ingest.formats.ScipySparseNpz;
import org.saeatlas.ingest.formats.Tensor;

/**
 * The demo as real files, the way a user's release would look: for each of {@code layers} layers, two seeds of an
 * SAE generated with planted structure ({@link DemoAtlasGenerator}, one generated world per layer), written as a
 * scipy sparse {@code .npz} of feature activations, a SAELens folder ({@code cfg.json} + {@code
 * sae_weights.safetensors}, the decoder rows the generator planted, encoder their transpose, zero biases),
 * explanations ({@code .jsonl} with hashed bag-of-words embeddings) and activating examples (Neuronpedia-style
 * {@code .jsonl}), plus the {@code atlas.yaml} that builds them. The same parameters give the same bytes; the folder
 * is written under a temporary name and renamed, and kept when it already holds the same demo.
 */
public final class DemoFiles {

    public static final String ATLAS_FILE = "atlas.yaml";
    static final String MARKER = "demo.json";
    static final int EMBEDDING_DIMENSION = 64;

    private DemoFiles() {
    }

    /** The demo's model id. */
    public static final String MODEL = "demo-lm";

    /** The SAE id of a layer and seed. */
    public static String saeId(String model, DemoParameters params, int layer, int seed) {
        return model + "-l" + layer + "-res-" + params.features() + "-s" + seed;
    }

    /** Writes the demo's files into {@code folder} (unless already there) and returns its atlas file. */
    public static Path write(Path folder, DemoParameters params, int layers, PrintStream out) {
        return write(folder, params, layers, MODEL, out);
    }

    /** As above, for a generated model named {@code model}. */
    public static Path write(Path folder, DemoParameters params, int layers, String model, PrintStream out) {
        return write(folder, params, layers, model, 2, out);
    }

    /**
     * As above with {@code seeds} SAEs per layer: 2 (both seeds the generator makes) or 1 (only seed 0's files and
     * atlas entry, for measuring one SAE).
     */
    public static Path write(Path folder, DemoParameters params, int layers, String model, int seeds,
                             PrintStream out) {
        if (seeds != 1 && seeds != 2) {
            throw new AtlasException("demo files: seeds must be 1 or 2, found " + seeds);
        }
        String key = (seeds == 2
                ? Checksums.of("demo-files", "computed-from-below", params.toString(), String.valueOf(layers),
                        model, AtlasVersion.SOFTWARE)
                : Checksums.of("demo-files", "computed-from-below", params.toString(), String.valueOf(layers),
                        model, AtlasVersion.SOFTWARE, "one seed"))
                .substring(0, 16);
        Path target = folder.toAbsolutePath().normalize();
        Path marker = target.resolve(MARKER);
        try {
            if (Files.isRegularFile(marker) && new ObjectMapper().readTree(marker.toFile()).path("key").asText()
                    .equals(key)) {
                out.println("demo files already in " + target);
                return target.resolve(ATLAS_FILE);
            }
            long t0 = System.nanoTime();
            out.printf(Locale.ROOT, "generating the demo files: 1 model, %d layers x %d seed(s), %,d features per SAE,"
                    + " %,d tokens (seed %d) into %s%n", layers, seeds, params.features(), params.tokens(), params.seed(),
                    target);
            Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Folders.deleteTree(tmp);
            Files.createDirectories(tmp);
            List<String[]> saes = new ArrayList<>();
            DemoAtlas below = null;
            for (int layer = 0; layer < layers; layer++) {
                DemoParameters p = params.withSeed(params.seed() + 1_000_003L * layer);
                DemoAtlas atlas = DemoAtlasGenerator.generate(p, below == null ? null : below.saes().get(0));
                below = atlas;
                for (DemoAtlas.Sae sae : atlas.saes().subList(0, seeds)) {
                    String id = saeId(model, params, layer, sae.seed());
                    writeSae(tmp, id, model, layer, sae);
                    saes.add(new String[] {id, String.valueOf(layer), String.valueOf(sae.seed())});
                }
            }
            Files.writeString(tmp.resolve(ATLAS_FILE), atlasFile(model, params, saes), StandardCharsets.UTF_8);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key);
            m.put("parameters", params.toString());
            m.put("layers", layers);
            new ObjectMapper().writeValue(tmp.resolve(MARKER).toFile(), m);
            Folders.deleteTree(target);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            out.printf(Locale.ROOT, "  demo files written in %.1fs%n", (System.nanoTime() - t0) / 1e9);
            return target.resolve(ATLAS_FILE);
        } catch (IOException e) {
            throw new AtlasException("demo files: cannot write " + target + " (" + e.getMessage() + ")", e);
        }
    }

    private static void writeSae(Path dir, String id, String model, int layer, DemoAtlas.Sae sae)
            throws IOException {
        Files.createDirectories(dir.resolve("activations"));
        ScipySparseNpz.write(dir.resolve("activations").resolve(id + ".npz"), sae.activations(), true);
        Path lens = Files.createDirectories(dir.resolve("saes").resolve(id));
        int dSae = sae.width();
        int dIn = sae.dIn();
        float[] wEnc = new float[dIn * dSae];
        for (int f = 0; f < dSae; f++) {
            for (int d = 0; d < dIn; d++) {
                wEnc[d * dSae + f] = sae.decoder()[f * dIn + d];
            }
        }
        String hook = "blocks." + layer + ".hook_resid_post";
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("architecture", "standard");
        cfg.put("d_in", dIn);
        cfg.put("d_sae", dSae);
        cfg.put("dtype", "float32");
        cfg.put("apply_b_dec_to_input", false);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("model_name", model);
        meta.put("hook_name", hook);
        cfg.put("metadata", meta);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(lens.resolve("cfg.json").toFile(), cfg);
        Safetensors.write(lens.resolve("sae_weights.safetensors"), Map.of(), List.of(
                Tensor.ofFloats("W_enc", DType.F32, new long[] {dIn, dSae}, wEnc),
                Tensor.ofFloats("W_dec", DType.F32, new long[] {dSae, dIn}, sae.decoder()),
                Tensor.ofFloats("b_enc", DType.F32, new long[] {dSae}, new float[dSae]),
                Tensor.ofFloats("b_dec", DType.F32, new long[] {dIn}, new float[dIn])));
        ObjectMapper json = new ObjectMapper();
        Files.createDirectories(dir.resolve("explanations"));
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("explanations").resolve(id + ".jsonl"))) {
            for (int f = 0; f < dSae; f++) {
                String text = sae.explanations().get(f);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("feature", f);
                row.put("text", text);
                row.put("source", "demo-generator");
                row.put("score", 1.0);
                row.put("embedding", HashedTextEmbedding.of(text, EMBEDDING_DIMENSION));
                w.write(json.writeValueAsString(row));
                w.write('\n');
            }
        }
        Files.createDirectories(dir.resolve("examples"));
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("examples").resolve(id + ".jsonl"))) {
            for (DemoAtlas.Example e : sae.examples()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("index", e.feature());
                row.put("tokens", e.tokens());
                row.put("values", e.values());
                w.write(json.writeValueAsString(row));
                w.write('\n');
            }
        }
    }

    private static String atlasFile(String model, DemoParameters params, List<String[]> saes) {
        StringBuilder s = new StringBuilder();
        s.append("# The demo atlas: one generated model, ").append(saes.size() / 2).append(" layers x 2 seeds of a ")
                .append(String.format(Locale.ROOT, "%,d", params.features())).append("-feature SAE.\n");
        s.append("# Written by `./atlas demo` (generator seed ").append(params.seed()).append(");")
                .append(" `./atlas build ").append(ATLAS_FILE).append("` builds it like any release.\n");
        s.append("version: 1\n");
        s.append("defaults:            # settings of every SAE (the build command's option names)\n");
        s.append("  dependence: true   # the stable dependence graph (30 resamples + 30 null trials)\n");
        s.append("  communities: true  # WCC components and Leiden communities of its graphs\n");
        s.append("models:\n");
        s.append("  - id: ").append(model).append('\n');
        s.append("    name: ").append(MODEL.equals(model) ? "Demo language model" : model).append(" (generated)\n");
        s.append("    saes:\n");
        for (String[] sae : saes) {
            String id = sae[0];
            s.append("      - id: ").append(id).append('\n');
            s.append("        release: demo\n");
            s.append("        layer: ").append(sae[1]).append('\n');
            s.append("        seed: ").append(sae[2]).append('\n');
            s.append("        architecture: relu\n");
            s.append("        inputs:\n");
            s.append("          saelens: saes/").append(id).append('\n');
            s.append("          activations: activations/").append(id).append(".npz\n");
            s.append("          explanations: explanations/").append(id).append(".jsonl\n");
            s.append("          examples: examples/").append(id).append(".jsonl\n");
        }
        s.append("matches:             # feature matches between SAEs\n");
        s.append("  seeds: same layer  # every two seeds of one model, layer and width\n");
        s.append("  by: [decoder-cosine, activation-correlation]   # the seeds share one token stream\n");
        s.append("comparisons:         # graphs compared through the matches (JSD, edge overlap, ARI/NMI)\n");
        s.append("  seeds: same layer\n");
        s.append("connections:         # which features of a layer compute those of the next layer\n");
        s.append("  layers: adjacent   # each SAE to the same seed's SAE one layer up\n");
        return s.toString();
    }
}
