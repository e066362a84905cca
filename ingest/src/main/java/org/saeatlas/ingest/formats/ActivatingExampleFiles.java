package org.saeatlas.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads top activating examples:
 * <ul>
 *   <li>Neuronpedia export activation batches ({@code activations/batch-N.jsonl.gz}): one row per example,
 *   {@code {index, tokens: [str], values: [float], ...}};</li>
 *   <li>SAEDashboard batch JSON (what Neuronpedia imports): {@code {model_id, layer, features: [{feature_index,
 *   activations: [{tokens, values, bin_min, bin_max, qualifying_token_index, dfa_values, dfa_maxValue, ...}]}]}},
 *   one file or the folder SAEDashboard writes them to ({@code batch-0.json}, {@code batch-1.json}, ...).</li>
 * </ul>
 * Values must be finite and non-negative, one per token.
 */
public final class ActivatingExampleFiles {
    private static final Pattern BATCH = Pattern.compile("batch-\\d+\\.jsonl(\\.gz)?");
    private static final Pattern DASHBOARD_BATCH = Pattern.compile("batch-0*(\\d+)\\.json");
    private static final String LAYOUTS = "a Neuronpedia export (activations/batch-N.jsonl.gz) or a folder of"
            + " SAEDashboard batch files (batch-0.json, batch-1.json, ...)";

    private ActivatingExampleFiles() {
    }

    /**
     * Any of the accepted inputs: a folder is read as a Neuronpedia export when it has that layout, else as a folder
     * of SAEDashboard batch files, else refused naming both layouts; a {@code .jsonl(.gz)} file is one Neuronpedia
     * batch, any other file one SAEDashboard batch.
     */
    public static List<ActivatingExample> read(Path path) {
        if (Files.isDirectory(path)) {
            if (!batches(path).isEmpty() || !batches(path.resolve("activations")).isEmpty()) {
                return readNeuronpediaExport(path);
            }
            if (!dashboardBatches(path).isEmpty()) {
                return readSaeDashboardFolder(path);
            }
            throw FormatError.of(path, "activating examples folder", LAYOUTS, found(path));
        }
        String name = path.getFileName().toString();
        return name.endsWith(".jsonl.gz") || name.endsWith(".jsonl") ? readNeuronpediaExport(path)
                : readSaeDashboardBatch(path);
    }

    /** A folder of SAEDashboard batch files, read in batch order (batch-0, batch-1, ..., batch-10). */
    public static List<ActivatingExample> readSaeDashboardFolder(Path dir) {
        List<Path> files = dashboardBatches(dir);
        if (files.isEmpty()) {
            throw FormatError.of(dir, "activating examples folder", LAYOUTS, found(dir));
        }
        List<ActivatingExample> out = new ArrayList<>();
        for (Path f : files) {
            out.addAll(readSaeDashboardBatch(f));
        }
        return out;
    }

    /** A Neuronpedia activations folder (or export root, or one batch file). */
    public static List<ActivatingExample> readNeuronpediaExport(Path path) {
        List<Path> files = Files.isDirectory(path) ? batches(path) : List.of(path);
        if (files.isEmpty()) {
            files = batches(path.resolve("activations"));
        }
        if (files.isEmpty()) {
            throw FormatError.of(path, "Neuronpedia export", "activations/batch-N.jsonl.gz files", "none");
        }
        List<ActivatingExample> out = new ArrayList<>();
        for (Path f : files) {
            String[] lines = TextLines.read(f).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    String where = f + " line " + (i + 1);
                    JsonNode row = Json.parseObject(where, lines[i]);
                    out.add(example(where, feature(where, row, "index"), row));
                }
            }
        }
        return out;
    }

    /** One SAEDashboard batch file (a JSON object with {@code features}). */
    public static List<ActivatingExample> readSaeDashboardBatch(Path file) {
        JsonNode doc = Json.readObject(file);
        JsonNode features = doc.get("features");
        if (features == null || !features.isArray()) {
            throw FormatError.of(file, "key 'features'", "an array of features (SAEDashboard batch JSON)",
                    features == null ? "no such key (keys: " + Json.fieldNames(doc) + ")" : features.getNodeType());
        }
        List<ActivatingExample> out = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            JsonNode f = features.get(i);
            String where = file + " features[" + i + "]";
            int feature = feature(where, f, "feature_index");
            JsonNode acts = f.get("activations");
            if (acts == null || !acts.isArray()) {
                throw FormatError.of(where, "activations", "an array", acts == null ? "no such key" : acts);
            }
            for (int j = 0; j < acts.size(); j++) {
                out.add(example(where + ".activations[" + j + "]", feature, acts.get(j)));
            }
        }
        return out;
    }

    private static int feature(String where, JsonNode row, String key) {
        long f = Json.requireInteger(where, row, key);
        if (f < 0 || f > Integer.MAX_VALUE) {
            throw FormatError.of(where, key, "a feature index in [0, 2^31)", f);
        }
        return (int) f;
    }

    private static ActivatingExample example(String where, int feature, JsonNode row) {
        JsonNode tokens = row.get("tokens");
        JsonNode values = row.get("values");
        if (tokens == null || !tokens.isArray() || values == null || !values.isArray()) {
            throw FormatError.of(where, "tokens/values", "two arrays", "tokens " + kind(tokens) + ", values "
                    + kind(values));
        }
        if (tokens.size() != values.size()) {
            throw FormatError.of(where, "values", tokens.size() + " values, one per token", values.size());
        }
        List<String> toks = new ArrayList<>(tokens.size());
        float[] vals = new float[values.size()];
        for (int i = 0; i < vals.length; i++) {
            JsonNode t = tokens.get(i);
            if (!t.isTextual()) {
                throw FormatError.of(where, "tokens[" + i + "]", "a string", t);
            }
            toks.add(t.asText());
            JsonNode v = values.get(i);
            float x = v.isNumber() ? (float) v.asDouble() : Float.NaN;
            if (!Float.isFinite(x) || x < 0) {
                throw FormatError.of(where, "values[" + i + "]", "a finite, non-negative SAE activation", v);
            }
            vals[i] = x;
        }
        return new ActivatingExample(feature, toks, vals);
    }

    private static String kind(JsonNode n) {
        return n == null ? "missing" : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static List<Path> dashboardBatches(Path dir) {
        return ExplanationFiles.list(dir).stream()
                .filter(p -> DASHBOARD_BATCH.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))
                .sorted(Comparator.comparing(ActivatingExampleFiles::dashboardNumber,
                        Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder())))
                .toList();
    }

    /** The batch number's digits without leading zeros, so ordering by (length, text) is numeric order. */
    private static String dashboardNumber(Path p) {
        var m = DASHBOARD_BATCH.matcher(p.getFileName().toString());
        return m.matches() ? m.group(1) : "";
    }

    /** What a refused folder holds, for the message: "an empty folder" or the first few names. */
    private static String found(Path dir) {
        List<Path> all = ExplanationFiles.list(dir);
        if (all.isEmpty()) {
            return "an empty folder";
        }
        int shown = Math.min(all.size(), 8);
        StringBuilder b = new StringBuilder(all.size() + (all.size() == 1 ? " entry: " : " entries: "));
        for (int i = 0; i < shown; i++) {
            Path p = all.get(i);
            b.append(i == 0 ? "" : ", ").append(p.getFileName()).append(Files.isDirectory(p) ? "/" : "");
        }
        return b.append(all.size() > shown ? ", ..." : "").toString();
    }

    private static List<Path> batches(Path dir) {
        return ExplanationFiles.list(dir).stream().filter(p -> BATCH.matcher(p.getFileName().toString()).matches())
                .sorted(Comparator.comparingLong(ExplanationFiles::batchNumber)).toList();
    }
}
