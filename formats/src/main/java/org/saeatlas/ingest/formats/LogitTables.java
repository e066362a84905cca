package org.saeatlas.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the logit tables SAEDashboard batch JSON carries per feature (what Neuronpedia imports): the tokens whose
 * logits the feature's decoder direction raises most ({@code pos_str}, {@code pos_values}) and lowers most
 * ({@code neg_str}, {@code neg_values}), strongest first as written. One file or a folder of {@code batch-N.json};
 * other inputs (Neuronpedia activation batches, sae_vis, top-context dumps) carry none and give an empty list. A
 * feature without the four keys has no table; a feature with mismatched lengths or a value that is not a finite
 * number is refused naming the file, the feature and the key.
 */
public final class LogitTables {
    private static final Pattern DASHBOARD_BATCH = Pattern.compile("batch-0*\\d+\\.json");

    /** One feature's logit table. */
    public record Table(int feature, List<String> positiveTokens, double[] positiveValues,
                        List<String> negativeTokens, double[] negativeValues) { }

    private LogitTables() {
    }

    /** The tables in {@code path}: a SAEDashboard batch file or a folder of them; empty for other layouts. */
    public static List<Table> read(Path path) {
        List<Table> out = new ArrayList<>();
        if (Files.isDirectory(path)) {
            for (Path p : ExplanationFiles.list(path).stream()
                    .filter(p -> DASHBOARD_BATCH.matcher(p.getFileName().toString()).matches()).sorted().toList()) {
                out.addAll(readBatch(p));
            }
            return out;
        }
        String name = path.getFileName().toString();
        if (!name.endsWith(".json") || name.contains("#")) {
            return out;
        }
        JsonNode doc = Json.readObject(path);
        return doc.has("features") && doc.get("features").isArray() ? readBatch(path) : out;
    }

    static List<Table> readBatch(Path file) {
        JsonNode features = Json.readObject(file).get("features");
        List<Table> out = new ArrayList<>();
        if (features == null || !features.isArray()) {
            return out;
        }
        for (int i = 0; i < features.size(); i++) {
            JsonNode f = features.get(i);
            String where = file + " features[" + i + "]";
            if (!f.has("pos_str") && !f.has("neg_str")) {
                continue;
            }
            long index = Json.requireInteger(where, f, "feature_index");
            if (index < 0 || index > Integer.MAX_VALUE) {
                throw FormatError.of(where, "feature_index", "a feature index in [0, 2^31)", index);
            }
            List<String> pos = strings(where, f, "pos_str");
            double[] posValues = values(where, f, "pos_values", pos.size());
            List<String> neg = strings(where, f, "neg_str");
            double[] negValues = values(where, f, "neg_values", neg.size());
            out.add(new Table((int) index, pos, posValues, neg, negValues));
        }
        return out;
    }

    private static List<String> strings(String where, JsonNode f, String key) {
        JsonNode a = f.get(key);
        if (a == null || !a.isArray()) {
            throw FormatError.of(where, key, "an array of token strings", a == null ? "no such key" : a.getNodeType());
        }
        List<String> out = new ArrayList<>(a.size());
        for (int k = 0; k < a.size(); k++) {
            if (!a.get(k).isTextual()) {
                throw FormatError.of(where, key + "[" + k + "]", "a token string", a.get(k).getNodeType());
            }
            out.add(a.get(k).asText());
        }
        return out;
    }

    private static double[] values(String where, JsonNode f, String key, int expected) {
        JsonNode a = f.get(key);
        if (a == null || !a.isArray()) {
            throw FormatError.of(where, key, "an array of numbers", a == null ? "no such key" : a.getNodeType());
        }
        if (a.size() != expected) {
            throw FormatError.of(where, key, expected + " values (one per token of the matching *_str)", a.size());
        }
        double[] out = new double[a.size()];
        for (int k = 0; k < a.size(); k++) {
            JsonNode v = a.get(k);
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw FormatError.of(where, key + "[" + k + "]", "a finite number", v);
            }
            out[k] = v.asDouble();
        }
        return out;
    }
}
