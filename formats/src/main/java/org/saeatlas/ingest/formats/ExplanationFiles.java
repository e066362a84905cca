package org.saeatlas.ingest.formats;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads feature explanations from the files users have:
 * <ul>
 *   <li>Neuronpedia exports: {@code explanations/batch-N.jsonl.gz}, rows {@code {index, description,
 *   explanationModelName, typeName, embedding, ...}} ({@code index} is often a string);</li>
 *   <li>delphi: {@code explanations/<hookpoint>_latent<idx>.txt}, each holding one JSON string;</li>
 *   <li>plain CSV with a header (feature or index, text or description or explanation, optional source and score)
 *   and JSONL (optionally gzipped) with the same keys.</li>
 * </ul>
 * Rows come back in file order (batches by N, delphi files by latent index).
 */
public final class ExplanationFiles {
    private static final Pattern BATCH = Pattern.compile("batch-(\\d+)\\.jsonl(\\.gz)?");
    private static final Pattern DELPHI = Pattern.compile("(.+)_latent(\\d+)\\.txt");
    private static final String[] FEATURE = {"feature", "index", "feature_index", "latent"};
    private static final String[] TEXT = {"text", "description", "explanation"};
    private static final String[] SOURCE = {"source", "explanationModelName", "typeName", "authorId"};

    private ExplanationFiles() {
    }

    /** Dispatches on what {@code path} is: an export folder, a delphi folder, a batch, a CSV or a JSONL file. */
    public static List<Explanation> read(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(path)) {
            if (!batches(path).isEmpty() || !batches(path.resolve("explanations")).isEmpty()) {
                return readNeuronpediaExport(path);
            }
            return readDelphi(path);
        }
        if (name.endsWith(".csv")) {
            return readCsv(path);
        }
        if (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") || name.endsWith(".ndjson")) {
            return readJsonl(path);
        }
        throw FormatError.of(path, "explanation file", "a Neuronpedia export folder, a delphi explanations "
                + "folder, .csv, .jsonl or .jsonl.gz", "'" + path.getFileName() + "'");
    }

    /** All {@code batch-N.jsonl.gz} under {@code path} (the export root, its explanations folder, or one batch). */
    public static List<Explanation> readNeuronpediaExport(Path path) {
        List<Path> files = Files.isDirectory(path) ? batches(path) : List.of(path);
        if (files.isEmpty()) {
            files = batches(path.resolve("explanations"));
        }
        if (files.isEmpty()) {
            throw FormatError.of(path, "Neuronpedia export", "explanations/batch-N.jsonl.gz files", "none");
        }
        List<Explanation> out = new ArrayList<>();
        for (Path f : files) {
            out.addAll(readJsonl(f));
        }
        return out;
    }

    /** Whether {@link #stream} reads {@code path} row by row (Neuronpedia exports, JSONL); else use {@link #read}. */
    public static boolean streams(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isDirectory(path) ? !batches(path).isEmpty() || !batches(path.resolve("explanations")).isEmpty()
                : name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") || name.endsWith(".ndjson");
    }

    /** The files {@link #stream} reads for {@code path}, in order. */
    public static List<Path> streamedFiles(Path path) {
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        List<Path> files = batches(path);
        return files.isEmpty() ? batches(path.resolve("explanations")) : files;
    }

    /**
     * Reads a Neuronpedia export (its {@code explanations/batch-N.jsonl.gz}) or a JSONL file row by row, handing each
     * explanation to {@code sink} and the compressed bytes read so far to {@code bytesRead}: memory stays bounded
     * whatever the size (a whole SAE of a million features).
     */
    public static void stream(Path path, java.util.function.Consumer<Explanation> sink,
                              java.util.function.LongConsumer bytesRead) {
        List<Path> files = streamedFiles(path);
        if (files.isEmpty()) {
            throw FormatError.of(path, "Neuronpedia export", "explanations/batch-N.jsonl.gz files", "none");
        }
        long before = 0;
        for (Path f : files) {
            long base = before;
            long[] count = {0};
            try (java.io.InputStream raw = new java.io.FilterInputStream(Files.newInputStream(f)) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        int n = super.read(b, off, len);
                        if (n > 0) {
                            count[0] += n;
                        }
                        return n;
                    }
                };
                 java.io.InputStream in = f.toString().endsWith(".gz") ? new java.util.zip.GZIPInputStream(raw, 1 << 16)
                         : raw;
                 java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                         java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                                 .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)), 1 << 16)) {
                String line;
                long lineNo = 0;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    if (!line.isBlank()) {
                        String where = f + " line " + lineNo;
                        Explanation e = fromJson(where, Json.parseObject(where, line));
                        try {
                            sink.accept(e);
                        } catch (org.saeatlas.errors.AtlasException x) {
                            throw new org.saeatlas.errors.AtlasException(where + ": " + x.getMessage(), x);
                        }
                    }
                    if ((lineNo & 1023) == 0) {
                        bytesRead.accept(base + count[0]);
                    }
                }
                bytesRead.accept(base + count[0]);
            } catch (java.nio.file.NoSuchFileException e) {
                throw FormatError.of(f, "file", "to exist", "no such file");
            } catch (java.io.EOFException e) {
                throw FormatError.of(f, "gzip stream", "a complete gzip file", "it ends early; the file is truncated");
            } catch (java.util.zip.ZipException e) {
                throw FormatError.of(f, "gzip stream", "valid gzip data", "corrupt data (" + e.getMessage() + ")");
            } catch (java.nio.charset.CharacterCodingException e) {
                throw FormatError.of(f, "text", "UTF-8", "bytes that are not UTF-8");
            } catch (IOException e) {
                throw FormatError.io(f, "read the explanations", e);
            }
            before += count[0];
        }
    }

    public static List<Explanation> readJsonl(Path file) {
        String text = TextLines.read(file);
        List<Explanation> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String where = file + " line " + (i + 1);
            JsonNode row = Json.parseObject(where, lines[i]);
            out.add(fromJson(where, row));
        }
        return out;
    }

    private static Explanation fromJson(String where, JsonNode row) {
        long feature = featureIndex(where, Json.integer(where, row, FEATURE), Json.fieldNames(row));
        String text = Json.text(where, row, TEXT);
        if (text == null) {
            throw FormatError.of(where, "key 'text' (or 'description', 'explanation')", "present", "keys "
                    + Json.fieldNames(row));
        }
        String source = Json.text(where, row, SOURCE);
        JsonNode scoreNode = Json.first(row, "score");
        Double score = scoreNode == null ? null : score(where, scoreNode);
        return new Explanation((int) feature, text, source, score, embedding(where, Json.first(row, "embedding")));
    }

    private static long featureIndex(Object where, Long v, String keys) {
        if (v == null) {
            throw FormatError.of(where, "key 'feature' (or 'index', 'feature_index', 'latent')", "present",
                    "keys " + keys);
        }
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw FormatError.of(where, "feature index", "an integer in [0, 2^31)", v);
        }
        return v;
    }

    private static Double score(Object where, JsonNode n) {
        if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
            throw FormatError.of(where, "score", "a finite number", n);
        }
        return n.asDouble();
    }

    private static float[] embedding(Object where, JsonNode n) {
        if (n == null) {
            return null;
        }
        if (!n.isArray()) {
            throw FormatError.of(where, "embedding", "an array of numbers", n.getNodeType());
        }
        float[] out = new float[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = n.get(i);
            if (!v.isNumber() || !Float.isFinite((float) v.asDouble())) {
                throw FormatError.of(where, "embedding[" + i + "]", "a finite number", v);
            }
            out[i] = (float) v.asDouble();
        }
        return out;
    }

    public static List<Explanation> readCsv(Path file) {
        List<Csv.Row> rows = Csv.parse(file, TextLines.read(file));
        if (rows.isEmpty()) {
            throw FormatError.of(file, "header", "a header row (feature,text[,source][,score])", "an empty file");
        }
        List<String> header = rows.get(0).fields().stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
        int fCol = column(header, FEATURE);
        int tCol = column(header, TEXT);
        int sCol = column(header, "source");
        int scCol = column(header, "score");
        if (fCol < 0 || tCol < 0) {
            throw FormatError.of(file, "header", "columns 'feature' (or 'index') and 'text' (or 'description', "
                    + "'explanation')", header);
        }
        List<Explanation> out = new ArrayList<>();
        for (Csv.Row r : rows.subList(1, rows.size())) {
            String where = file + " line " + r.line();
            if (r.fields().size() != header.size()) {
                throw FormatError.of(where, "row", header.size() + " fields like the header", r.fields().size()
                        + " fields");
            }
            long feature;
            try {
                feature = featureIndex(where, Long.parseLong(r.fields().get(fCol).trim()), "");
            } catch (NumberFormatException e) {
                throw FormatError.of(where, "column '" + header.get(fCol) + "'", "an integer feature index",
                        "'" + r.fields().get(fCol) + "'");
            }
            String source = sCol < 0 || r.fields().get(sCol).isEmpty() ? null : r.fields().get(sCol);
            out.add(new Explanation((int) feature, r.fields().get(tCol), source, csvScore(where, r, scCol), null));
        }
        return out;
    }

    private static Double csvScore(String where, Csv.Row r, int col) {
        if (col < 0 || r.fields().get(col).isBlank()) {
            return null;
        }
        try {
            double v = Double.parseDouble(r.fields().get(col).trim());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw FormatError.of(where, "column 'score'", "a finite number or empty", "'" + r.fields().get(col) + "'");
    }

    private static int column(List<String> header, String... names) {
        for (String n : names) {
            int at = header.indexOf(n.toLowerCase(Locale.ROOT));
            if (at >= 0) {
                return at;
            }
        }
        return -1;
    }

    /** The delphi explanations in {@code dir}; it must hold one hookpoint, else use {@link #readDelphi(Path, String)}. */
    public static List<Explanation> readDelphi(Path dir) {
        Map<String, Map<Long, Path>> byHook = delphiFiles(dir);
        if (byHook.size() != 1) {
            throw FormatError.of(dir, "delphi explanations", "files <hookpoint>_latent<idx>.txt of one hookpoint "
                    + "(or name one with readDelphi(dir, hookpoint))", byHook.isEmpty() ? "none"
                    : "hookpoints " + byHook.keySet());
        }
        return readDelphi(dir, byHook.keySet().iterator().next());
    }

    public static List<Explanation> readDelphi(Path dir, String hookpoint) {
        Map<Long, Path> files = delphiFiles(dir).get(hookpoint);
        if (files == null) {
            throw FormatError.of(dir, "hookpoint '" + hookpoint + "'", "files " + hookpoint + "_latent<idx>.txt",
                    "hookpoints " + delphiFiles(dir).keySet());
        }
        List<Explanation> out = new ArrayList<>();
        for (Map.Entry<Long, Path> e : files.entrySet()) {
            JsonNode n = Json.parse(e.getValue(), TextLines.read(e.getValue()));
            if (!n.isTextual()) {
                throw FormatError.of(e.getValue(), "content", "one JSON string (delphi's explanation)",
                        n.getNodeType());
            }
            long f = featureIndex(e.getValue(), e.getKey(), "");
            out.add(new Explanation((int) f, n.asText(), "delphi", null, null));
        }
        return out;
    }

    private static Map<String, Map<Long, Path>> delphiFiles(Path dir) {
        Map<String, Map<Long, Path>> out = new TreeMap<>();
        for (Path p : list(dir)) {
            Matcher m = DELPHI.matcher(p.getFileName().toString());
            if (m.matches()) {
                long idx;
                try {
                    idx = Long.parseLong(m.group(2));
                } catch (NumberFormatException e) {
                    throw FormatError.of(p, "file name", "a latent index below 2^63", p.getFileName());
                }
                out.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(idx, p);
            }
        }
        return out;
    }

    private static List<Path> batches(Path dir) {
        return list(dir).stream().filter(p -> BATCH.matcher(p.getFileName().toString()).matches())
                .sorted(Comparator.comparingLong(ExplanationFiles::batchNumber)).toList();
    }

    static long batchNumber(Path p) {
        Matcher m = BATCH.matcher(p.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw FormatError.io(dir, "list the folder", e);
        }
    }
}
