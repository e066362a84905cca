package org.saeatlas.ingest.atlas;

import org.saeatlas.schema.AtlasVersion;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.formats.Folders;
import org.saeatlas.ingest.store.AtlasSink;
import org.saeatlas.ingest.store.Rows;

/**
 * The results of one SAE task on disk: everything the build of one SAE puts into the atlas (model, SAE, features
 * with statistics, explanations, examples, and each run with its edges), so that computing and loading are
 * separate steps and a cluster can compute where the database is not.
 *
 * <pre>
 * &lt;results&gt;/&lt;task folder&gt;/
 *   task.json           format, task id and key, its basis (inputs with sha256, settings, metadata), model, SAE,
 *                       histogram edges,
 *                       each run's row and edge count, seconds
 *   features.jsonl      one Rows.FeatureRow per line
 *   explanations.jsonl  one Rows.ExplanationRow per line
 *   examples.jsonl      one Rows.ExampleRow per line
 *   logits.jsonl        one Rows.LogitRow per line (SAEDashboard logit tables); absent in folders written before
 *   edges/&lt;run id&gt;.jsonl  one edge per line: [i, j, {properties}]
 *   runs/&lt;run id&gt;/       the dependence run as the run folder of FORMATS.md (edges.csv, fdr_table.csv, run.json)
 * </pre>
 *
 * The folder is written under a hidden temporary name and renamed into place when complete, so a crash or
 * {@code kill -9} never leaves a half-written task folder visible: a folder with a task.json is finished.
 */
public final class TaskFolder {

    public static final String FORMAT = "sae-atlas/sae-task/1";
    public static final String MANIFEST = "task.json";
    static final String FEATURES = "features.jsonl";
    static final String EXPLANATIONS = "explanations.jsonl";
    static final String EXAMPLES = "examples.jsonl";
    static final String LOGITS = "logits.jsonl";
    static final String EDGES = "edges";
    public static final String RUNS = "runs";

    static final ObjectMapper JSON = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .configure(JsonGenerator.Feature.QUOTE_NON_NUMERIC_NUMBERS, false)
            .configure(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS, true);

    private TaskFolder() {
    }

    /** A run's row and where its edges are. */
    public record RunEntry(Rows.RunRow run, String relationship, long edges) { }

    /** A finished task folder read back (its rows are read only when loaded). */
    public record Manifest(Path folder, String taskId, String key, Map<String, Object> basis, Rows.ModelRow model, Rows.SaeRow sae, double[] histogramEdges,
                           List<RunEntry> runs, double seconds) { }

    /** The folder name of a task with this key: readable id, then the key. */
    public static String name(String taskId, String key) {
        return taskId.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + key.substring(0, 16);
    }

    /**
     * A sink writing into a hidden temporary folder next to {@code target}; {@link Writer#commit} renames it into
     * place.
     */
    public static Writer writer(Path target) {
        return new Writer(target);
    }

    /** Writes rows as they come; rows of one kind may come in several calls. */
    public static final class Writer implements AtlasSink, AutoCloseable {
        private final Path target;
        private final Path tmp;
        private final Map<String, BufferedWriter> files = new LinkedHashMap<>();
        private Rows.ModelRow model;
        private Rows.SaeRow sae;
        private double[] histogramEdges;
        private final List<RunEntry> runs = new ArrayList<>();
        private boolean committed;

        private Writer(Path target) {
            this.target = target.toAbsolutePath().normalize();
            this.tmp = this.target.resolveSibling("." + this.target.getFileName() + ".tmp-"
                    + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
            try {
                Files.createDirectories(this.target.getParent());
                Folders.deleteTree(tmp);
                Files.createDirectories(tmp.resolve(EDGES));
            } catch (IOException e) {
                throw new AtlasException("task folder: cannot create " + tmp + " (" + e.getMessage() + ")", e);
            }
        }

        /** Where the dependence run folders go (inside the temporary folder, renamed with it). */
        public Path runsDir() {
            return tmp.resolve(RUNS);
        }

        @Override
        public void model(Rows.ModelRow m) {
            this.model = m;
        }

        @Override
        public void sae(Rows.SaeRow s) {
            this.sae = s;
        }

        @Override
        public void features(String saeId, List<Rows.FeatureRow> rows) {
            lines(FEATURES, rows);
        }

        @Override
        public void histogramEdges(String saeId, double[] edges) {
            this.histogramEdges = edges.clone();
        }

        @Override
        public void explanations(String saeId, List<Rows.ExplanationRow> rows) {
            lines(EXPLANATIONS, rows);
        }

        @Override
        public void examples(String saeId, List<Rows.ExampleRow> rows) {
            lines(EXAMPLES, rows);
        }

        @Override
        public void logits(String saeId, List<Rows.LogitRow> rows) {
            lines(LOGITS, rows);
        }

        @Override
        public boolean run(Rows.RunRow run, String relationship, List<Rows.EdgeRow> edges) {
            for (RunEntry r : runs) {
                if (r.run().id().equals(run.id())) {
                    return false;
                }
            }
            try (BufferedWriter w = Files.newBufferedWriter(tmp.resolve(EDGES).resolve(run.id() + ".jsonl"),
                    StandardCharsets.UTF_8)) {
                for (Rows.EdgeRow e : edges) {
                    w.write(JSON.writeValueAsString(List.of(e.i(), e.j(), e.properties())));
                    w.write('\n');
                }
            } catch (IOException e) {
                throw new AtlasException("task folder: cannot write edges of " + run.id() + " (" + e.getMessage()
                        + ")", e);
            }
            runs.add(new RunEntry(run, relationship, edges.size()));
            return true;
        }

        private void lines(String name, List<?> rows) {
            try {
                BufferedWriter w = files.get(name);
                if (w == null) {
                    w = Files.newBufferedWriter(tmp.resolve(name), StandardCharsets.UTF_8);
                    files.put(name, w);
                }
                for (Object r : rows) {
                    w.write(JSON.writeValueAsString(r));
                    w.write('\n');
                }
            } catch (IOException e) {
                throw new AtlasException("task folder: cannot write " + name + " (" + e.getMessage() + ")", e);
            }
        }

        /** Writes the manifest and renames the folder into place; returns it. */
        public Path commit(String taskId, String key, Map<String, Object> basis, double seconds) {
            if (sae == null || model == null) {
                throw new IllegalStateException("task folder: no model or SAE was written");
            }
            try {
                for (BufferedWriter w : files.values()) {
                    w.close();
                }
                for (String name : List.of(FEATURES, EXPLANATIONS, EXAMPLES, LOGITS)) {
                    if (!Files.exists(tmp.resolve(name))) {
                        Files.createFile(tmp.resolve(name));
                    }
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("format", FORMAT);
                m.put("task", taskId);
                m.put("key", key);
                m.put("basis", basis);
                m.put("model", model);
                m.put("sae", sae);
                m.put("histogramEdges", histogramEdges);
                List<Map<String, Object>> rs = new ArrayList<>();
                for (RunEntry r : runs) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("id", r.run().id());
                    e.put("kind", r.run().kind());
                    e.put("sae", r.run().sae());
                    e.put("relationship", r.relationship());
                    e.put("edges", r.edges());
                    e.put("properties", r.run().properties());
                    rs.add(e);
                }
                m.put("runs", rs);
                m.put("seconds", seconds);
                m.put("software", AtlasVersion.SOFTWARE);
                JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.resolve(MANIFEST).toFile(), m);
                if (Files.exists(target)) {
                    // the same task with the same key finished meanwhile (another process): same content
                    Folders.deleteTree(tmp);
                    committed = true;
                    return target;
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target);
                }
                committed = true;
                return target;
            } catch (IOException e) {
                throw new AtlasException("task folder: cannot write " + target + " (" + e.getMessage() + ")", e);
            }
        }

        /** Removes the temporary folder unless committed. */
        @Override
        public void close() {
            for (BufferedWriter w : files.values()) {
                try {
                    w.close();
                } catch (IOException ignored) {
                    // closing after a failure: the folder is removed below
                }
            }
            if (!committed) {
                try {
                    Folders.deleteTree(tmp);
                } catch (IOException ignored) {
                    // a hidden temporary folder left behind is never read
                }
            }
        }
    }

    /** True when {@code folder} is a finished task folder (it has its manifest). */
    public static boolean finished(Path folder) {
        return Files.isRegularFile(folder.resolve(MANIFEST));
    }

    public static Manifest manifest(Path folder) {
        Path file = folder.resolve(MANIFEST);
        try {
            JsonNode m = JSON.readTree(file.toFile());
            if (!FORMAT.equals(m.path("format").asText())) {
                throw new AtlasException(file + ": expected format " + FORMAT + ", found " + m.path("format"));
            }
            List<RunEntry> runs = new ArrayList<>();
            for (JsonNode r : m.path("runs")) {
                Map<String, Object> props = JSON.convertValue(r.path("properties"),
                        new TypeReference<LinkedHashMap<String, Object>>() { });
                runs.add(new RunEntry(new Rows.RunRow(r.path("id").asText(), r.path("kind").asText(),
                        r.path("sae").asText(), props), r.path("relationship").asText(), r.path("edges").asLong()));
            }
            return new Manifest(folder, m.path("task").asText(), m.path("key").asText(),
                    JSON.convertValue(m.path("basis"), new TypeReference<LinkedHashMap<String, Object>>() { }),
                    JSON.treeToValue(m.path("model"), Rows.ModelRow.class),
                    JSON.treeToValue(m.path("sae"), Rows.SaeRow.class),
                    m.path("histogramEdges").isNull() ? null : JSON.treeToValue(m.path("histogramEdges"), double[].class),
                    runs, m.path("seconds").asDouble());
        } catch (IOException e) {
            throw new AtlasException(file + ": cannot read the task manifest (" + e.getMessage() + ")", e);
        }
    }

    /** Puts everything of a finished task folder into {@code sink} (the database, through AtlasWriter). */
    public static void replay(Manifest m, AtlasSink sink) {
        Path folder = m.folder();
        sink.model(m.model());
        sink.sae(m.sae());
        String sae = m.sae().id();
        sink.features(sae, read(folder.resolve(FEATURES), Rows.FeatureRow.class));
        if (m.histogramEdges() != null) {
            sink.histogramEdges(sae, m.histogramEdges());
        }
        sink.explanations(sae, read(folder.resolve(EXPLANATIONS), Rows.ExplanationRow.class));
        sink.examples(sae, read(folder.resolve(EXAMPLES), Rows.ExampleRow.class));
        if (Files.exists(folder.resolve(LOGITS))) {
            // task folders written before logit tables were carried have none: their SAE loads without
            sink.logits(sae, read(folder.resolve(LOGITS), Rows.LogitRow.class));
        }
        for (RunEntry r : m.runs()) {
            // properties are a fresh mutable map: writers may add to them
            Rows.RunRow run = new Rows.RunRow(r.run().id(), r.run().kind(), r.run().sae(),
                    new LinkedHashMap<>(r.run().properties()));
            sink.run(run, r.relationship(), edges(folder.resolve(EDGES).resolve(r.run().id() + ".jsonl")));
        }
    }

    static List<Rows.EdgeRow> edges(Path file) {
        List<Rows.EdgeRow> out = new ArrayList<>();
        TypeReference<LinkedHashMap<String, Object>> props = new TypeReference<>() { };
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int line = 0;
            for (String s = in.readLine(); s != null; s = in.readLine()) {
                line++;
                if (s.isEmpty()) {
                    continue;
                }
                JsonNode e = JSON.readTree(s);
                if (!e.isArray() || e.size() != 3) {
                    throw new AtlasException(file + " line " + line + ": expected [i, j, {properties}], found " + s);
                }
                out.add(new Rows.EdgeRow(e.get(0).asInt(), e.get(1).asInt(), JSON.convertValue(e.get(2), props)));
            }
            return out;
        } catch (IOException e) {
            throw new AtlasException(file + ": cannot read edges (" + e.getMessage() + ")", e);
        }
    }

    private static <T> List<T> read(Path file, Class<T> type) {
        List<T> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String s = in.readLine(); s != null; s = in.readLine()) {
                if (!s.isEmpty()) {
                    out.add(JSON.readValue(s, type));
                }
            }
            return out;
        } catch (IOException e) {
            throw new AtlasException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
