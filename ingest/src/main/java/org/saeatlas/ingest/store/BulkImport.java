package org.saeatlas.ingest.store;

import static org.saeatlas.schema.Vocabulary.featureId;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.importer.ImportCommand;
import org.saeatlas.compute.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.schema.Vocabulary;
import picocli.CommandLine;

/**
 * Offline bulk load of a whole atlas into a new embedded database: writes the atlas as Neo4j import CSVs and runs
 * Neo4j's own importer ({@code neo4j-admin database import full}, in-process) into a staging folder next to the
 * database folder, which is renamed into place only when the import succeeded. A kill at any point leaves either
 * no database (the next load starts over) or the complete one. Constraints and indexes are created by the schema
 * migrations when the database is first opened. Runs are written {@code complete} directly.
 */
public final class BulkImport {

    /** Array delimiter of the CSVs (unit separator), so tokens may contain ';' and ','. */
    private static final char ARRAY = '\u001f';

    /** A run with its edges, as {@link AtlasWriter#run} takes them. */
    public record RunEdges(Rows.RunRow run, String relationship, List<Rows.EdgeRow> edges) {
        public RunEdges {
            AtlasWriter.checkRelationship(relationship);
        }
    }

    /**
     * Everything of a first load; per-SAE lists are keyed by SAE id. {@code histogramEdges}: per SAE, the bin edges of
     * its features' histograms.
     */
    public record Content(List<Rows.ModelRow> models, List<Rows.SaeRow> saes,
                          Map<String, List<Rows.FeatureRow>> features,
                          Map<String, List<Rows.ExplanationRow>> explanations,
                          Map<String, List<Rows.ExampleRow>> examples, List<RunEdges> runs,
                          Map<String, double[]> histogramEdges) {
        public Content(List<Rows.ModelRow> models, List<Rows.SaeRow> saes,
                       Map<String, List<Rows.FeatureRow>> features,
                       Map<String, List<Rows.ExplanationRow>> explanations,
                       Map<String, List<Rows.ExampleRow>> examples, List<RunEdges> runs) {
            this(models, saes, features, explanations, examples, runs, Map.of());
        }
    }

    /**
     * What was imported and how long it took: writing the CSVs, the importer command end to end, and of that the
     * importer's own stages as it reports them ({@code IMPORT DONE in ...}; NaN when it did not say);
     * {@code embeddingDimension}: of the explanation embeddings, 0 when there are none (the vector index to create).
     */
    public record Result(long nodes, long relationships, long edges, double csvSeconds, double importSeconds,
                         double importerStagesSeconds, int embeddingDimension) { }

    private BulkImport() {
    }

    /**
     * The dimension of the explanation embeddings of {@code c}, or 0 when there are none; refused when they differ
     * (one vector index per atlas, as an online load requires), naming the SAEs and dimensions found.
     */
    static int embeddingDimension(Content c) {
        Map<Integer, java.util.Set<String>> saesByDimension = new java.util.TreeMap<>();
        c.explanations().forEach((sae, rows) -> rows.forEach(x -> {
            if (x.embedding() != null) {
                saesByDimension.computeIfAbsent(x.embedding().length, d -> new java.util.TreeSet<>()).add(sae);
            }
        }));
        if (saesByDimension.size() > 1) {
            throw new AtlasException("explanation embeddings: expected one dimension for the whole atlas (one vector"
                    + " index), found " + saesByDimension + " (dimension: SAEs); nothing was imported");
        }
        return saesByDimension.isEmpty() ? 0 : saesByDimension.keySet().iterator().next();
    }

    /** True when {@code home} (the embedded DBMS's folder) holds no database yet, so the bulk path may be used. */
    public static boolean isNew(Path home) {
        return !Files.exists(home.resolve("data").resolve("databases").resolve("neo4j"));
    }

    /** Imports {@code content} as the database of the embedded DBMS whose folder is {@code home}, which must be new. */
    public static Result into(Path home, Content content, Progress progress) {
        if (!isNew(home)) {
            throw new AtlasException("bulk import into " + home + ": expected a new database folder, found an existing"
                    + " database; load online instead, or delete the folder to rebuild it");
        }
        int dimension = embeddingDimension(content); // refuses mixed dimensions before anything is written
        Path staging = home.resolveSibling(home.getFileName() + ".importing");
        try {
            deleteTree(staging); // leftovers of an interrupted import
            Path csv = Files.createDirectories(staging.resolve("import-csv"));
            long t0 = System.nanoTime();
            progress.update("writing import CSVs", 0, 1);
            CsvFiles files = writeCsv(csv, content);
            progress.update("writing import CSVs", 1, 1);
            long t1 = System.nanoTime();
            progress.update("neo4j import", 0, 1);
            double stages = runImporter(staging, files);
            progress.update("neo4j import", 1, 1);
            long t2 = System.nanoTime();
            deleteTree(csv);
            Files.createDirectories(home.toAbsolutePath().getParent());
            deleteTree(home); // holds no database (checked above), at most logs of an earlier start
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
            return new Result(files.nodeCount(), files.relCount(), files.edgeCount(), (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    stages, dimension);
        } catch (IOException e) {
            throw new UncheckedIOException("bulk import into " + home + ": " + e.getMessage(), e);
        }
    }

    /** Runs Neo4j's importer; returns its own time for the import stages, or NaN. */
    private static double runImporter(Path home, CsvFiles files) {
        // the database name first: the file-list options would swallow a trailing positional parameter
        List<String> args = new ArrayList<>(List.of("neo4j", "--verbose", "--id-type=string", "--array-delimiter=U+001F",
                "--ignore-empty-strings=true", "--threads=" + Runtime.getRuntime().availableProcessors(),
                "--max-off-heap-memory=25%",
                // slower parsing, so only when some quoted value has a line break (explanations, example tokens)
                "--multiline-fields=" + files.multiline()));
        // one option per file: the files of one option share the first file's header, and each run has its own
        files.nodes().forEach((label, paths) -> paths.forEach(f -> args.add("--nodes=" + label + "=" + f)));
        files.rels().forEach((type, paths) -> paths.forEach(f -> args.add("--relationships=" + type + "=" + f)));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        ExecutionContext context = new ExecutionContext(home, home.resolve("conf"), out, out,
                new org.neo4j.io.fs.DefaultFileSystemAbstraction());
        CommandLine command = new CommandLine(new ImportCommand.Full(context));
        command.setOut(new java.io.PrintWriter(out, true));
        command.setErr(new java.io.PrintWriter(out, true));
        int code = command.execute(args.toArray(String[]::new));
        if (System.getProperty("atlas.import.log") != null) {
            System.err.println(log.toString(StandardCharsets.UTF_8));
        }
        if (code != 0) {
            throw new AtlasException("Neo4j's importer failed (exit " + code + "):\n" + log.toString(StandardCharsets.UTF_8));
        }
        return importerSeconds(log.toString(StandardCharsets.UTF_8));
    }

    /** The importer's {@code IMPORT DONE in 1m 2s 345ms.} as seconds, or NaN. */
    static double importerSeconds(String log) {
        java.util.regex.Matcher done = java.util.regex.Pattern.compile("IMPORT DONE in ([^.]*)\\.").matcher(log);
        if (!done.find()) {
            return Double.NaN;
        }
        double seconds = 0;
        java.util.regex.Matcher part = java.util.regex.Pattern.compile("(\\d+)(ms|m|s|h)").matcher(done.group(1));
        while (part.find()) {
            long n = Long.parseLong(part.group(1));
            seconds += switch (part.group(2)) {
                case "ms" -> n / 1000.0;
                case "s" -> n;
                case "m" -> n * 60.0;
                default -> n * 3600.0;
            };
        }
        return seconds;
    }

    /** The CSV files by label / relationship type, and which may hold line breaks inside quoted fields. */
    private record CsvFiles(Map<String, List<Path>> nodes, Map<String, List<Path>> rels, boolean multiline,
                            long nodeCount, long relCount, long edgeCount) { }

    private static CsvFiles writeCsv(Path dir, Content c) throws IOException {
        Map<String, List<Path>> nodes = new TreeMap<>();
        Map<String, List<Path>> rels = new TreeMap<>();
        AtomicBoolean breaks = new AtomicBoolean(); // set when a quoted value holds a line break
        long[] n = new long[3]; // nodes, relationships, edges
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();

        Path models = dir.resolve("models.csv");
        try (Csv w = new Csv(breaks, models, "id:ID(Model)", "name")) {
            for (Rows.ModelRow m : c.models()) {
                w.row(m.id(), m.name());
            }
            n[0] += w.rows;
        }
        nodes.put(Vocabulary.MODEL, List.of(models));
        Path saes = dir.resolve("saes.csv");
        Path ofModel = dir.resolve("of-model.csv");
        try (Csv w = new Csv(breaks, saes, "id:ID(Sae)", "model", "release", "layer:long", "hookPoint", "width:long",
                "seed:long", "architecture", "dIn:long", "l0:double", "fvu:double", "errorNorm:double",
                "histogramEdges:double[]"); Csv r = new Csv(breaks, ofModel, ":START_ID(Sae)", ":END_ID(Model)")) {
            for (Rows.SaeRow s : c.saes()) {
                double[] edges = c.histogramEdges().get(s.id());
                w.row(s.id(), s.model(), s.release(), s.layer(), s.hookPoint(), s.width(), s.seed(), s.architecture(),
                        s.dIn(), s.l0(), s.fvu(), s.errorNorm(),
                        edges == null ? null : java.util.Arrays.stream(edges).boxed().toList());
                r.row(s.id(), s.model());
            }
            n[0] += w.rows;
            n[1] += r.rows;
        }
        nodes.put(Vocabulary.SAE, List.of(saes));
        rels.put(Vocabulary.OF_MODEL, List.of(ofModel));

        Map<String, String> headline = new HashMap<>();
        Path explanations = dir.resolve("explanations.csv");
        Path explains = dir.resolve("explains.csv");
        Map<String, Rows.SaeRow> saeById = new HashMap<>();
        c.saes().forEach(s -> saeById.put(s.id(), s));
        try (Csv w = new Csv(breaks, explanations, "id:ID(Explanation)", "text", "source", "score:double", "sae", "model",
                "layer:long", "embedding:double[]");
             Csv r = new Csv(breaks, explains, ":START_ID(Explanation)", ":END_ID(Feature)")) {
            for (var e : new TreeMap<>(c.explanations()).entrySet()) {
                Rows.SaeRow sae = saeById.get(e.getKey());
                Map<Integer, Integer> ordinal = new HashMap<>();
                for (Rows.ExplanationRow x : e.getValue()) {
                    int k = ordinal.merge(x.index(), 1, Integer::sum) - 1;
                    String feature = featureId(e.getKey(), x.index());
                    headline.putIfAbsent(feature, x.text());
                    w.row(feature + "#explanation-" + k, x.text(), x.source(), x.score(), e.getKey(),
                            sae == null ? null : sae.model(), sae == null ? null : sae.layer(),
                            AtlasWriter.embedding(x.embedding()));
                    r.row(feature + "#explanation-" + k, feature);
                }
            }
            n[0] += w.rows;
            n[1] += r.rows;
        }
        nodes.put(Vocabulary.EXPLANATION, List.of(explanations));
        rels.put(Vocabulary.EXPLAINS, List.of(explains));

        Path features = dir.resolve("features.csv");
        Path inSae = dir.resolve("in-sae.csv");
        try (Csv w = new Csv(breaks, features, "id:ID(Feature)", "sae", "index:long", "firingRate:double",
                "meanActivation:double", "maxActivation:double", "explanation", "histogram:long[]");
             Csv r = new Csv(breaks, inSae, ":START_ID(Feature)", ":END_ID(Sae)")) {
            for (var e : new TreeMap<>(c.features()).entrySet()) {
                for (Rows.FeatureRow f : e.getValue()) {
                    String id = featureId(e.getKey(), f.index());
                    w.row(id, e.getKey(), f.index(), f.firingRate(), f.meanActivation(), f.maxActivation(), headline.get(id),
                            f.histogram() == null ? null : java.util.Arrays.stream(f.histogram()).boxed().toList());
                    r.row(id, e.getKey());
                }
            }
            n[0] += w.rows;
            n[1] += r.rows;
        }
        nodes.put(Vocabulary.FEATURE, List.of(features));
        rels.put(Vocabulary.IN_SAE, List.of(inSae));

        Path examples = dir.resolve("examples.csv");
        Path exampleOf = dir.resolve("example-of.csv");
        try (Csv w = new Csv(breaks, examples, "id:ID(Example)", "tokens:string[]", "values:double[]", "maxValue:double", "rank:long");
             Csv r = new Csv(breaks, exampleOf, ":START_ID(Example)", ":END_ID(Feature)")) {
            for (var e : new TreeMap<>(c.examples()).entrySet()) {
                for (Rows.ExampleRow x : e.getValue()) {
                    String feature = featureId(e.getKey(), x.index());
                    List<Double> values = new ArrayList<>();
                    double max = 0;
                    for (float v : x.values()) {
                        values.add((double) v);
                        max = Math.max(max, v);
                    }
                    w.row(feature + "#example-" + x.rank(), x.tokens(), values, max, x.rank());
                    r.row(feature + "#example-" + x.rank(), feature);
                }
            }
            n[0] += w.rows;
            n[1] += r.rows;
        }
        nodes.put(Vocabulary.EXAMPLE, List.of(examples));
        rels.put(Vocabulary.EXAMPLE_OF, List.of(exampleOf));

        List<Path> runFiles = new ArrayList<>();
        Path onSae = dir.resolve("on-sae.csv");
        try (Csv r = new Csv(breaks, onSae, ":START_ID(Run)", ":END_ID(Sae)")) {
            int k = 0;
            for (RunEdges run : c.runs()) {
                Path file = dir.resolve("run-" + k + ".csv");
                Path edges = dir.resolve("edges-" + k++ + ".csv");
                writeRun(breaks, file, run, now);
                runFiles.add(file);
                r.row(run.run().id(), run.run().sae());
                n[0]++;
                n[2] += writeEdges(breaks, edges, run);
                rels.computeIfAbsent(run.relationship(), t -> new ArrayList<>()).add(edges);
            }
            n[1] += r.rows;
        }
        if (!runFiles.isEmpty()) {
            nodes.put(Vocabulary.RUN, runFiles);
            rels.put(Vocabulary.ON_SAE, List.of(onSae));
        }
        n[1] += n[2];
        return new CsvFiles(nodes, rels, breaks.get(), n[0], n[1], n[2]);
    }

    private static void writeRun(AtomicBoolean breaks, Path file, RunEdges run, String now) throws IOException {
        Map<String, Object> props = new TreeMap<>(run.run().properties());
        props.put("kind", run.run().kind());
        props.put("sae", run.run().sae());
        props.put("status", Vocabulary.STATUS_COMPLETE);
        props.put("edgeCount", (long) run.edges().size());
        props.put("createdAt", now);
        props.put("completedAt", now);
        props.remove("id");
        List<String> header = new ArrayList<>(List.of("id:ID(Run)"));
        List<Object> row = new ArrayList<>(List.of(run.run().id()));
        props.forEach((k, v) -> {
            header.add(k + typeSuffix(v));
            row.add(v);
        });
        try (Csv w = new Csv(breaks, file, header.toArray(String[]::new))) {
            w.row(row.toArray());
        }
    }

    private static long writeEdges(AtomicBoolean breaks, Path file, RunEdges run) throws IOException {
        List<String> keys = AtlasWriter.propertyKeys(run.edges());
        List<String> header = new ArrayList<>(List.of(":START_ID(Feature)", ":END_ID(Feature)", "run"));
        for (String k : keys) {
            header.add(k + typeSuffix(run.edges().stream().map(e -> e.properties().get(k))
                    .filter(java.util.Objects::nonNull).findFirst().orElse("")));
        }
        String sae = run.run().sae();
        try (Csv w = new Csv(breaks, file, header.toArray(String[]::new))) {
            Object[] row = new Object[keys.size() + 3];
            row[2] = run.run().id();
            for (Rows.EdgeRow e : run.edges()) {
                row[0] = featureId(sae, e.i());
                row[1] = featureId(sae, e.j());
                for (int k = 0; k < keys.size(); k++) {
                    row[k + 3] = e.properties().get(keys.get(k));
                }
                w.row(row);
            }
            return w.rows;
        }
    }

    private static String typeSuffix(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ":long";
        }
        if (v instanceof Double || v instanceof Float) {
            return ":double";
        }
        if (v instanceof Boolean) {
            return ":boolean";
        }
        if (v instanceof String || v == null) {
            return "";
        }
        throw new AtlasException("bulk import: property values must be strings, numbers or booleans, found "
                + v.getClass().getSimpleName() + " " + v + "; store it as a JSON string");
    }

    /** One import CSV: header first, strings quoted, arrays joined with {@link #ARRAY}, nulls empty. */
    private static final class Csv implements AutoCloseable {
        private final BufferedWriter out;
        private final StringBuilder line = new StringBuilder(256);
        private final AtomicBoolean lineBreaks;
        long rows;

        Csv(AtomicBoolean lineBreaks, Path file, String... header) throws IOException {
            this.lineBreaks = lineBreaks;
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            out.write(String.join(",", header));
            out.write('\n');
        }

        void row(Object... values) throws IOException {
            line.setLength(0);
            for (int k = 0; k < values.length; k++) {
                if (k > 0) {
                    line.append(',');
                }
                append(values[k]);
            }
            line.append('\n');
            out.append(line);
            rows++;
        }

        private void append(Object v) {
            if (v == null) {
                return;
            }
            if (v instanceof String s) {
                quoted(s);
            } else if (v instanceof List<?> list) {
                StringBuilder joined = new StringBuilder();
                for (int k = 0; k < list.size(); k++) {
                    String item = String.valueOf(list.get(k));
                    if (item.indexOf(ARRAY) >= 0) {
                        throw new AtlasException("bulk import: a list value contains the control character U+001F: "
                                + item);
                    }
                    joined.append(k > 0 ? String.valueOf(ARRAY) : "").append(item);
                }
                quoted(joined.toString());
            } else {
                line.append(v);
            }
        }

        private void quoted(String s) {
            if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                lineBreaks.set(true);
            }
            line.append('"');
            for (int k = 0; k < s.length(); k++) {
                char ch = s.charAt(k);
                line.append(ch);
                if (ch == '"') {
                    line.append('"');
                }
            }
            line.append('"');
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
