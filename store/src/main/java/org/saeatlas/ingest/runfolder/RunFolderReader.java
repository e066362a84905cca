package org.saeatlas.ingest.runfolder;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.fdr.FdrTable;
import org.saeatlas.compute.stability.StableEdge;
import org.saeatlas.compute.stability.TrialDiagnostics;

/**
 * Reads a run folder written by {@link RunFolderWriter} (or by anyone keeping the FORMATS.md contract). CSV columns
 * are found by header name, so extra columns are allowed; a missing required column is an error naming it.
 */
public final class RunFolderReader {
    private RunFolderReader() {
    }

    public static RunFolder read(Path folder) {
        try {
            JsonNode run = RunFolderWriter.mapper().readTree(folder.resolve(RunFolderWriter.RUN).toFile());
            List<StableEdge> edges = readCsv(folder.resolve(RunFolderWriter.EDGES), RunFolderReader::edge,
                    "i", "j", "replicates", "null_replicates", "weight", "sign_consistency", "stable");
            List<FdrTable.Row> fdr = readCsv(folder.resolve(RunFolderWriter.FDR_TABLE), RunFolderReader::fdrRow,
                    "r", "observed", "expected_null", "fdr_est");
            JsonNode input = required(run, "input");
            JsonNode shape = required(input, "shape");
            RunInput in = new RunInput(required(input, "path").asText(), required(input, "sha256").asText(),
                    shape.get(0).asInt(), shape.get(1).asInt());
            JsonNode rStar = required(run, "r_star");
            Map<String, Object> params = RunFolderWriter.mapper().convertValue(required(run, "params"),
                    new TypeReference<LinkedHashMap<String, Object>>() { });
            List<TrialDiagnostics> trials = new ArrayList<>();
            for (JsonNode t : required(run, "trials")) {
                trials.add(trial(t));
            }
            return new RunFolder(required(run, "method").asText(), params,
                    rStar.isNull() ? OptionalInt.empty() : OptionalInt.of(rStar.asInt()), in,
                    required(run, "software").asText(), edges, fdr, trials);
        } catch (IOException e) {
            throw new AtlasException("run folder " + folder + ": cannot read (" + e.getMessage() + "); expected "
                    + RunFolderWriter.EDGES + ", " + RunFolderWriter.FDR_TABLE + " and " + RunFolderWriter.RUN, e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new AtlasException("run.json: expected a field '" + field + "', found none");
        }
        return v;
    }

    private static TrialDiagnostics trial(JsonNode t) {
        return new TrialDiagnostics(required(t, "trial").asInt(), "null".equals(required(t, "kind").asText()),
                required(t, "seed").asLong(), required(t, "tokens").asInt(), required(t, "features_skipped").asInt(),
                required(t, "tests_run").asLong(), required(t, "bh_discoveries").asLong(),
                required(t, "mean_candidates").asDouble(), required(t, "directed_edges").asLong(),
                required(t, "and_edges").asLong(), required(t, "or_edges").asLong());
    }

    /** One row with its columns looked up by name. */
    private record Row(Map<String, Integer> index, String[] cells) {
        String get(String column) {
            Integer at = index.get(column);
            return at == null || at >= cells.length ? "" : cells[at];
        }

        int integer(String column) {
            return Integer.parseInt(get(column));
        }

        double number(String column) {
            return Double.parseDouble(get(column));
        }
    }

    private static StableEdge edge(Row r) {
        String median = r.get("median_weight");
        double weight = r.number("weight");
        return new StableEdge(r.integer("i"), r.integer("j"), r.integer("replicates"), r.integer("null_replicates"),
                weight, median.isEmpty() ? weight : Double.parseDouble(median), r.number("sign_consistency"),
                r.integer("stable") == 1);
    }

    private static FdrTable.Row fdrRow(Row r) {
        String indirect = r.get("indirect_share");
        String total = r.get("total_error");
        double fdr = r.number("fdr_est");
        return new FdrTable.Row(r.integer("r"), Long.parseLong(r.get("observed")),
                Long.parseLong(r.get("expected_null")), fdr, indirect.isEmpty() ? Double.NaN
                : Double.parseDouble(indirect), total.isEmpty() ? fdr : Double.parseDouble(total));
    }

    private static <T> List<T> readCsv(Path file, Function<Row, T> parse, String... required) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new AtlasException(file + ": expected a header line, found an empty file");
            }
            Map<String, Integer> index = new LinkedHashMap<>();
            String[] names = header.split(",", -1);
            for (int k = 0; k < names.length; k++) {
                index.put(names[k].trim(), k);
            }
            for (String col : required) {
                if (!index.containsKey(col)) {
                    throw new AtlasException(file + ": expected column '" + col + "', found header "
                            + Arrays.toString(names));
                }
            }
            List<T> rows = new ArrayList<>();
            int line = 1;
            for (String s = in.readLine(); s != null; s = in.readLine()) {
                line++;
                if (s.isEmpty()) {
                    continue;
                }
                try {
                    rows.add(parse.apply(new Row(index, s.split(",", -1))));
                } catch (NumberFormatException e) {
                    throw new AtlasException(file + " line " + line + ": expected numbers, found '" + s + "'", e);
                }
            }
            return rows;
        }
    }
}
