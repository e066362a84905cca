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
 *   activations: [{tokens, values, bin_min, bin_max, qualifying_token_index, dfa_values, dfa_maxValue, ...}]}]}}.</li>
 * </ul>
 * Values must be finite and non-negative, one per token.
 */
public final class ActivatingExampleFiles {
    private static final Pattern BATCH = Pattern.compile("batch-\\d+\\.jsonl(\\.gz)?");

    private ActivatingExampleFiles() {
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

    private static List<Path> batches(Path dir) {
        return ExplanationFiles.list(dir).stream().filter(p -> BATCH.matcher(p.getFileName().toString()).matches())
                .sorted(Comparator.comparingLong(ExplanationFiles::batchNumber)).toList();
    }
}
