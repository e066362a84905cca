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

    /**
     * As {@link #read(Path)}, also accepting the JSON files that name tokens by id and the dumps that mix several
     * dictionaries: an sae_vis export ({@code feature_data_dict: {"<feature>": {sequence_data: {seq_group_data:
     * [{title: "TOP ACTIVATIONS...", seq_data: [{token_ids, feat_acts}]}]}}}}, its top-activation groups, token ids
     * spelled with {@code vocab}), and a feature_circuits top-context dump ({@code {"<n>": {top_contexts: [[tokens,
     * acts], ...], feature: {submodule_type, layer_idx, feature_idx}}}}); a dump holding several dictionaries needs
     * {@code FILE#<submodule>_<layer>} (e.g. {@code contexts.json#resid_5}) to say which.
     */
    public static List<ActivatingExample> read(Path path, TokenizerVocab vocab) {
        String name = path.getFileName().toString();
        int hash = name.lastIndexOf('#');
        Path file = hash > 0 && !Files.exists(path) ? path.resolveSibling(name.substring(0, hash)) : path;
        String selector = file == path ? null : name.substring(hash + 1);
        if (Files.isDirectory(file) || name.endsWith(".jsonl.gz") || name.endsWith(".jsonl")) {
            return read(file);
        }
        JsonNode doc = Json.readObject(file);
        if (doc.has("feature_data_dict")) {
            return readSaeVis(file, doc, vocab);
        }
        var fields = doc.fields();
        if (fields.hasNext()) {
            JsonNode first = fields.next().getValue();
            if (first.isObject() && first.has("top_contexts") && first.has("feature")) {
                return readTopContexts(file, doc, selector);
            }
        }
        return readSaeDashboardBatch(file);
    }

    private static List<ActivatingExample> readSaeVis(Path file, JsonNode doc, TokenizerVocab vocab) {
        if (vocab == null) {
            throw FormatError.of(file, "sae_vis sequence_data", "token strings", "token ids only: give --vocab, the"
                    + " model's tokenizer.json or vocabulary, to spell them");
        }
        List<ActivatingExample> out = new ArrayList<>();
        var features = doc.get("feature_data_dict").fields();
        while (features.hasNext()) {
            var e = features.next();
            String where = file + " feature_data_dict['" + e.getKey() + "']";
            if (!e.getKey().matches("\\d{1,9}")) {
                throw FormatError.of(where, "key", "a feature index", e.getKey());
            }
            int feature = Integer.parseInt(e.getKey());
            JsonNode groups = e.getValue().path("sequence_data").path("seq_group_data");
            if (!groups.isArray()) {
                throw FormatError.of(where, "sequence_data.seq_group_data", "an array of sequence groups", groups);
            }
            for (int g = 0; g < groups.size(); g++) {
                if (!groups.get(g).path("title").asText("").startsWith("TOP ACTIVATIONS")) {
                    continue; // quantile groups are samples, not top examples
                }
                JsonNode seqs = groups.get(g).path("seq_data");
                for (int q = 0; q < seqs.size(); q++) {
                    String at = where + ".seq_group_data[" + g + "].seq_data[" + q + "]";
                    JsonNode ids = seqs.get(q).get("token_ids");
                    JsonNode acts = seqs.get(q).get("feat_acts");
                    if (ids == null || !ids.isArray() || acts == null || !acts.isArray() || ids.size() != acts.size()) {
                        throw FormatError.of(at, "token_ids/feat_acts", "two arrays of one length", "token_ids "
                                + kind(ids) + ", feat_acts " + kind(acts));
                    }
                    int[] tokenIds = new int[ids.size()];
                    for (int t = 0; t < tokenIds.length; t++) {
                        if (!ids.get(t).canConvertToInt() || ids.get(t).asInt() < 0 || ids.get(t).asInt() >= vocab.size()) {
                            throw FormatError.of(at, "token_ids[" + t + "]", "a token id of the vocabulary (0.."
                                    + (vocab.size() - 1) + ")", ids.get(t));
                        }
                        tokenIds[t] = ids.get(t).asInt();
                    }
                    com.fasterxml.jackson.databind.node.ObjectNode row = Json.MAPPER.createObjectNode();
                    row.set("tokens", Json.MAPPER.valueToTree(vocab.texts(tokenIds)));
                    row.set("values", acts);
                    out.add(example(at, feature, row));
                }
            }
        }
        return out;
    }

    private static List<ActivatingExample> readTopContexts(Path file, JsonNode doc, String selector) {
        java.util.Map<String, List<ActivatingExample>> byDictionary = new java.util.TreeMap<>();
        var entries = doc.fields();
        while (entries.hasNext()) {
            var e = entries.next();
            String where = file + " ['" + e.getKey() + "']";
            JsonNode f = e.getValue().path("feature");
            String dictionary = f.path("submodule_type").asText("?") + "_" + f.path("layer_idx").asText("?");
            int feature = feature(where + ".feature", f, "feature_idx");
            JsonNode contexts = e.getValue().get("top_contexts");
            if (contexts == null || !contexts.isArray()) {
                throw FormatError.of(where, "top_contexts", "an array of [tokens, activations]", kind(contexts));
            }
            for (int c = 0; c < contexts.size(); c++) {
                JsonNode pair = contexts.get(c);
                String at = where + ".top_contexts[" + c + "]";
                if (!pair.isArray() || pair.size() != 2) {
                    throw FormatError.of(at, "context", "[tokens, activations]", pair);
                }
                com.fasterxml.jackson.databind.node.ObjectNode row = Json.MAPPER.createObjectNode();
                row.set("tokens", pair.get(0));
                row.set("values", pair.get(1));
                byDictionary.computeIfAbsent(dictionary, d -> new ArrayList<>()).add(example(at, feature, row));
            }
        }
        if (selector != null) {
            List<ActivatingExample> chosen = byDictionary.get(selector);
            if (chosen == null) {
                throw FormatError.of(file, "#" + selector, "one of the dictionaries in the file "
                        + byDictionary.keySet(), selector);
            }
            return chosen;
        }
        if (byDictionary.size() > 1) {
            throw FormatError.of(file, "top contexts", "the features of one dictionary", "features of "
                    + byDictionary.size() + " dictionaries " + byDictionary.keySet() + "; say which with "
                    + file.getFileName() + "#<submodule>_<layer>, e.g. " + file.getFileName() + "#"
                    + byDictionary.keySet().iterator().next());
        }
        return byDictionary.values().stream().findFirst().orElse(List.of());
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
