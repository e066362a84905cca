package org.saeatlas.ingest.store;

import static org.saeatlas.schema.Vocabulary.featureId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.InProcessCypher;
import org.saeatlas.schema.Vocabulary;

/**
 * Writes the atlas into Neo4j with batched, parameterised UNWIND statements. Nodes are MERGEd on their unique ids,
 * so re-loading the same data changes nothing. A run becomes visible to queries only when all its edges are in
 * ({@code status = 'complete'}); a run left {@code loading} by a crash is cleared and re-loaded by the next ingest.
 *
 * <p>Speed: batches are 20,000 rows a transaction ({@code atlas.write-batch}), a new SAE's features are created
 * (MERGEd when some already exist, e.g. after a crash), and a run's edges, sorted by first endpoint, are created
 * between features found from one up-front lookup of the SAE's features, instead of two unique-index seeks per edge.
 * On the embedded database those two bulk writes go straight into the kernel ({@link EmbeddedWrites}: no Cypher);
 * everything else, and every write to a server, are Cypher statements through a {@link CypherExecutor} (rows as
 * positional lists). Same run states and batches on every path. See {@code ./atlas bench ingest} and docs/ingest.md.
 */
public final class AtlasWriter implements AtlasSink {

    /** Rows per transaction by default (system property {@code atlas.write-batch}). */
    static final int BATCH = Integer.getInteger("atlas.write-batch", 20_000);

    /** Concurrent edge writers by default (system property {@code atlas.edge-writers}). */
    static final int WRITERS = Integer.getInteger("atlas.edge-writers", 1);

    /**
     * Whether a new SAE's features and a run's edges go through the embedded database's Core API when the writes
     * are in-process (system property {@code atlas.core-writes}, default true; false: the Cypher statements).
     */
    static final boolean CORE_WRITES = !"false".equalsIgnoreCase(System.getProperty("atlas.core-writes"));

    private final CypherExecutor cypher;
    private final Progress progress;
    private final int batch;
    private final int writers;
    /** The Core API writes of an embedded database, or null: Cypher statements only. */
    private final EmbeddedWrites core;
    /** The run-loading protocol and its bounded batches, shared with every other kind of run. */
    private final RunLoading loading;

    /** Writes through {@code cypher}: in-process for an embedded database ({@code AtlasDatabase.cypher()}). */
    public AtlasWriter(CypherExecutor cypher, Progress progress) {
        this(cypher, progress, BATCH, WRITERS);
    }

    public AtlasWriter(CypherExecutor cypher, Progress progress, int batch) {
        this(cypher, progress, batch, 1);
    }

    /**
     * {@code writers}: concurrent transactions for a run's edges (1: one after another). With more than one, the
     * edges are written in buckets that never share a node between concurrent transactions (see
     * {@link EdgeBuckets}), so they neither wait on each other's locks nor deadlock.
     */
    public AtlasWriter(CypherExecutor cypher, Progress progress, int batch, int writers) {
        this(cypher, progress, batch, writers, CORE_WRITES);
    }

    /**
     * {@code coreApi}: write a new SAE's features and a run's edges through the embedded database's Core API when
     * {@code cypher} is in-process (ignored otherwise); everything else, and the run's states, are the same Cypher.
     */
    AtlasWriter(CypherExecutor cypher, Progress progress, int batch, int writers, boolean coreApi) {
        if (batch < 1) {
            throw new AtlasException("batch size: expected at least 1 row, found " + batch);
        }
        if (writers < 1) {
            throw new AtlasException("edge writers: expected at least 1, found " + writers);
        }
        this.cypher = cypher;
        this.progress = progress;
        this.batch = batch;
        this.writers = writers;
        this.loading = new RunLoading(cypher, progress, batch);
        this.core = coreApi && cypher instanceof InProcessCypher inProcess ? new EmbeddedWrites(inProcess.database()) : null;
    }

    /** "kernel" or "cypher": how the bulk rows are written, for messages and tests. */
    String bulkPath() {
        return core != null ? "kernel" : "cypher";
    }

    public void model(Rows.ModelRow m) {
        write("MERGE (m:Model {id: $id}) SET m.name = $name", Map.of("id", m.id(), "name", m.name()));
    }

    public void sae(Rows.SaeRow s) {
        Map<String, Object> props = new HashMap<>();
        props.put("release", s.release());
        props.put("layer", s.layer());
        props.put("hookPoint", s.hookPoint());
        props.put("width", s.width());
        props.put("seed", s.seed());
        props.put("architecture", s.architecture());
        props.put("dIn", s.dIn());
        props.put("model", s.model());
        props.put("l0", s.l0());
        props.put("fvu", s.fvu());
        props.put("errorNorm", s.errorNorm());
        // unknown (null) values leave what is stored: re-loading without statistics must not erase them
        props.values().removeIf(java.util.Objects::isNull);
        long n = count("""
                MATCH (m:Model {id: $model})
                MERGE (s:Sae {id: $id}) SET s += $props
                MERGE (s)-[:OF_MODEL]->(m)
                RETURN count(s) AS n""", Map.of("id", s.id(), "model", s.model(), "props", props));
        if (n == 0) {
            throw new AtlasException("SAE " + s.id() + ": model " + s.model()
                    + " is not in the database; load the model before its SAEs");
        }
    }

    /** Features of one SAE: CREATEd when the SAE has none yet, MERGEd on their id otherwise. */
    public void features(String sae, List<Rows.FeatureRow> rows) {
        boolean fresh = count("MATCH (f:Feature {sae: $sae}) WITH f LIMIT 1 RETURN count(f) AS n", Map.of("sae", sae)) == 0;
        boolean withoutStatistics = rows.stream().allMatch(r -> r.firingRate() == null && r.meanActivation() == null
                && r.maxActivation() == null && r.histogram() == null);
        if (!fresh && withoutStatistics) {
            // features known without activations (add-sae, a graph's SAE): statistics already stored stay
            batched("features " + sae, rows, """
                    MATCH (s:Sae {id: $sae})
                    UNWIND $rows AS row
                    MERGE (f:Feature {id: $sae + '/' + toString(row[0])})
                    ON CREATE SET f.sae = $sae, f.index = row[0]
                    MERGE (f)-[:IN_SAE]->(s)""", Map.of("sae", sae), r -> List.of((long) r.index()));
            return;
        }
        if (fresh && core != null) {
            batched("features " + sae, rows, b -> core.createFeatures(sae, b));
            return;
        }
        String write = fresh ? "CREATE (f:Feature {id: $sae + '/' + toString(row[0])})"
                : "MERGE (f:Feature {id: $sae + '/' + toString(row[0])})";
        String link = fresh ? "CREATE (f)-[:IN_SAE]->(s)" : "MERGE (f)-[:IN_SAE]->(s)";
        batched("features " + sae, rows, """
                MATCH (s:Sae {id: $sae})
                UNWIND $rows AS row
                %s
                SET f.sae = $sae, f.index = row[0], f.firingRate = row[1], f.meanActivation = row[2],
                    f.maxActivation = row[3], f.histogram = row[4]
                %s""".formatted(write, link), Map.of("sae", sae),
                r -> Arrays.asList((long) r.index(), r.firingRate(), r.meanActivation(), r.maxActivation(),
                        r.histogram() == null ? null : Arrays.stream(r.histogram()).boxed().toList()));
    }

    /**
     * Firing rates measured during training (e.g. SAELens's {@code sparsity.safetensors}), kept apart from the
     * atlas's own {@code firingRate} (which only activations give), with where they came from on the SAE.
     */
    public void trainingFiringRates(String sae, double[] rates, String source) {
        List<Integer> indices = new ArrayList<>(rates.length);
        for (int f = 0; f < rates.length; f++) {
            indices.add(f);
        }
        batched("training firing rates " + sae, indices, """
                UNWIND $rows AS row
                MATCH (f:Feature {id: $sae + '/' + toString(row[0])})
                SET f.trainingFiringRate = row[1]""", Map.of("sae", sae), f -> List.of((long) f, rates[f]));
        cypher.write("MATCH (s:Sae {id: $sae}) SET s.trainingFiringRateSource = $source",
                Map.of("sae", sae, "source", source));
    }

    /** The activation bin edges shared by the histograms of an SAE's features. */
    public void histogramEdges(String sae, double[] edges) {
        cypher.write("MATCH (s:Sae {id: $sae}) SET s.histogramEdges = $edges", Map.of("sae", sae, "edges",
                Arrays.stream(edges).boxed().toList()));
    }

    /**
     * Explanation rows {@code [featureId, id, isHeadline, text, source, score, embedding]} in {@code $rows} MERGEd on
     * their id and tied to their feature; {@code %s}: what a headline row sets on the feature ({@link #headline}).
     */
    private static final String MERGE_EXPLANATIONS = """
            MATCH (s:Sae {id: $sae})
            UNWIND $rows AS row
            MATCH (f:Feature {id: row[0]})
            MERGE (x:Explanation {id: row[1]})
            SET x.text = row[3], x.source = row[4], x.score = row[5], x.embedding = row[6],
                x.sae = $sae, x.model = s.model, x.layer = s.layer
            MERGE (x)-[:EXPLAINS]->(f)
            FOREACH (_ IN CASE WHEN row[2] THEN [1] ELSE [] END | %s)""";

    /** The SAE's own explanations set the headline; tagged ones (e.g. from a graph) only where there is none. */
    private static String headline(String tag) {
        return tag == null ? "SET f.explanation = row[3]" : "SET f.explanation = coalesce(f.explanation, row[3])";
    }

    /** Explanations of one SAE; the first explanation of a feature becomes its headline {@code explanation}. */
    public void explanations(String sae, List<Rows.ExplanationRow> rows) {
        explanations(sae, rows, null);
    }

    /**
     * Explanations of one SAE from a further source ({@code tag}, e.g. an imported graph): their ids carry the tag,
     * so they sit beside the explanations already stored instead of replacing them, and the first becomes the
     * feature's headline only when it has none. {@code tag} null: the SAE's own explanations, as above.
     */
    public void explanations(String sae, List<Rows.ExplanationRow> rows, String tag) {
        String suffix = tag == null ? "#explanation-" : "#explanation-" + tag + "-";
        String headline = headline(tag);
        java.util.Set<Integer> dimensions = new java.util.TreeSet<>();
        Map<Integer, Integer> ordinal = new HashMap<>();
        List<List<Object>> lists = new ArrayList<>();
        for (Rows.ExplanationRow r : rows) {
            if (r.text() == null || r.text().isBlank()) {
                throw new AtlasException("explanation of feature " + r.index() + " in SAE " + sae
                        + ": expected non-empty text, found " + (r.text() == null ? "null" : "blank text"));
            }
            int k = ordinal.merge(r.index(), 1, Integer::sum) - 1;
            lists.add(Arrays.asList(featureId(sae, r.index()), featureId(sae, r.index()) + suffix + k,
                    k == 0, r.text(), r.source(), r.score(), embedding(r.embedding())));
            if (r.embedding() != null) {
                dimensions.add(r.embedding().length);
            }
        }
        if (dimensions.size() > 1) {
            throw new AtlasException("explanations of SAE " + sae + ": embeddings must all have one dimension, found "
                    + dimensions);
        }
        // the search index derived from explanations needs rebuilding only when a text is new or different: an
        // identical re-load changes nothing, not even the revision
        long unchanged = count("""
                UNWIND $rows AS row
                MATCH (x:Explanation {id: row[0]}) WHERE x.text = row[1] AND x.sae = $sae
                RETURN count(x) AS n""", Map.of("sae", sae, "rows", lists.stream().map(l -> List.of(l.get(1), l.get(3)))
                .toList()));
        batched("explanations " + sae, lists, MERGE_EXPLANATIONS.formatted(headline),
                Map.of("sae", sae), Function.identity());
        if (unchanged < lists.size()) {
            // explanations changed: what is derived from them (the server's search index) rebuilds
            cypher.write("MERGE (s:AtlasState {id: $id})"
                    + " SET s.explanationsRevision = coalesce(s.explanationsRevision, 0) + 1",
                    Map.of("id", Vocabulary.ATLAS_STATE));
        }
        if (!dimensions.isEmpty()) {
            vectorIndex(dimensions.iterator().next());
        }
    }

    /**
     * Explanations of one SAE written as they come, in transactions of the write batch, for inputs too large to hold
     * (a whole SAE's Neuronpedia export): memory is one batch plus one int per feature. Ids, headlines, the search
     * revision and the vector index are as {@link #explanations(String, List, String)} makes them; call
     * {@link ExplanationWriter#close()} at the end.
     */
    public ExplanationWriter explanationWriter(String sae, int width, String tag) {
        return new ExplanationWriter(sae, width, tag);
    }

    /** See {@link #explanationWriter}. */
    public final class ExplanationWriter implements AutoCloseable {
        private final String sae;
        private final int width;
        private final String suffix;
        private final String headline;
        private final int[] ordinal;
        private final List<List<Object>> pending = new ArrayList<>();
        private long written;
        private long changed;
        private int dimension = -1;

        private ExplanationWriter(String sae, int width, String tag) {
            this.sae = sae;
            this.width = width;
            this.suffix = tag == null ? "#explanation-" : "#explanation-" + tag + "-";
            this.headline = headline(tag);
            this.ordinal = new int[width];
            // none of this SAE's explanations stored yet (with this tag): they are created, not merged
            this.fresh = count("""
                    MATCH (x:Explanation) WHERE x.sae = $sae AND x.id STARTS WITH $prefix
                    WITH x LIMIT 1 RETURN count(x) AS n""", Map.of("sae", sae, "prefix", sae + "/")) == 0
                    && tag == null;
        }

        private final boolean fresh;

        public void add(Rows.ExplanationRow r) {
            if (r.index() < 0 || r.index() >= width) {
                throw new AtlasException("explanation of feature " + r.index() + " in SAE " + sae + ": expected a"
                        + " feature index in [0, " + width + ")");
            }
            if (r.text() == null || r.text().isBlank()) {
                throw new AtlasException("explanation of feature " + r.index() + " in SAE " + sae
                        + ": expected non-empty text, found " + (r.text() == null ? "null" : "blank text"));
            }
            if (r.embedding() != null) {
                if (dimension >= 0 && dimension != r.embedding().length) {
                    throw new AtlasException("explanations of SAE " + sae + ": embeddings must all have one"
                            + " dimension, found " + dimension + " and " + r.embedding().length);
                }
                dimension = r.embedding().length;
            }
            int k = ordinal[r.index()]++;
            String feature = featureId(sae, r.index());
            pending.add(Arrays.asList(feature, feature + suffix + k, k == 0, r.text(), r.source(), r.score(),
                    embedding(r.embedding())));
            if (pending.size() >= batch) {
                flush();
            }
        }

        /** Explanations written so far. */
        public long written() {
            return written;
        }

        private void flush() {
            if (pending.isEmpty()) {
                return;
            }
            if (fresh) {
                Map<String, Object> params = new HashMap<>();
                params.put("sae", sae);
                params.put("rows", new ArrayList<>(pending));
                cypher.write("""
                        MATCH (s:Sae {id: $sae})
                        UNWIND $rows AS row
                        MATCH (f:Feature {id: row[0]})
                        CREATE (x:Explanation {id: row[1], text: row[3], sae: $sae})-[:EXPLAINS]->(f)
                        SET x.source = row[4], x.score = row[5], x.embedding = row[6], x.model = s.model,
                            x.layer = s.layer
                        FOREACH (_ IN CASE WHEN row[2] THEN [1] ELSE [] END | %s)""".formatted(headline), params);
                changed += pending.size();
                written += pending.size();
                pending.clear();
                return;
            }
            changed += pending.size() - count("""
                    UNWIND $rows AS row
                    MATCH (x:Explanation {id: row[0]}) WHERE x.text = row[1] AND x.sae = $sae
                    RETURN count(x) AS n""", Map.of("sae", sae, "rows", pending.stream()
                    .map(l -> List.of(l.get(1), l.get(3))).toList()));
            Map<String, Object> params = new HashMap<>();
            params.put("sae", sae);
            params.put("rows", new ArrayList<>(pending));
            cypher.write(MERGE_EXPLANATIONS.formatted(headline), params);
            written += pending.size();
            pending.clear();
        }

        @Override
        public void close() {
            flush();
            if (changed > 0) {
                cypher.write("MERGE (s:AtlasState {id: $id})"
                        + " SET s.explanationsRevision = coalesce(s.explanationsRevision, 0) + 1",
                        Map.of("id", Vocabulary.ATLAS_STATE));
            }
            if (dimension >= 0) {
                vectorIndex(dimension);
            }
        }
    }

    /**
     * The vector index over explanation embeddings (cosine), created when the first embeddings arrive: its dimension
     * comes from the data. One dimension per atlas: embeddings of another dimension are refused with a clear error.
     */
    void vectorIndex(int dimension) {
        List<Long> existing = cypher.write("""
                SHOW VECTOR INDEXES YIELD name, options WHERE name = $name
                RETURN options.indexConfig.`vector.dimensions` AS d""", Map.of("name", Vocabulary.VECTOR_EXPLANATIONS))
                .stream().map(r -> ((Number) r.get("d")).longValue()).toList();
        if (!existing.isEmpty()) {
            if (existing.get(0) != dimension) {
                throw new AtlasException("explanation embeddings have dimension " + dimension + " but the atlas's"
                        + " vector index holds dimension " + existing.get(0) + "; one dimension per atlas");
            }
            return;
        }
        // index options take no parameters; the dimension is an int we checked, the name a constant
        cypher.write("CREATE VECTOR INDEX " + Vocabulary.VECTOR_EXPLANATIONS + " IF NOT EXISTS FOR (x:Explanation)"
                + " ON x.embedding OPTIONS {indexConfig: {`vector.dimensions`: " + dimension
                + ", `vector.similarity_function`: 'cosine'}}", Map.of());
        cypher.write("CALL db.awaitIndexes(300)", Map.of());
    }

    /** An embedding as the list Neo4j stores as a double array; refuses non-finite values. */
    static List<Double> embedding(float[] e) {
        if (e == null) {
            return null;
        }
        List<Double> out = new ArrayList<>(e.length);
        for (float v : e) {
            if (!Float.isFinite(v)) {
                throw new AtlasException("explanation embedding: expected finite numbers, found " + v);
            }
            out.add((double) v);
        }
        return out;
    }

    public void examples(String sae, List<Rows.ExampleRow> rows) {
        batched("examples " + sae, rows, """
                UNWIND $rows AS row
                MATCH (f:Feature {id: row[0]})
                MERGE (x:Example {id: row[1]})
                SET x.tokens = row[2], x.values = row[3], x.maxValue = row[4], x.rank = row[5]
                MERGE (x)-[:EXAMPLE_OF]->(f)""", Map.of("sae", sae), r -> {
            List<Double> values = new ArrayList<>(r.values().length);
            double max = 0;
            for (float v : r.values()) {
                values.add((double) v);
                max = Math.max(max, v);
            }
            return Arrays.asList(featureId(sae, r.index()), featureId(sae, r.index()) + "#example-" + r.rank(),
                    r.tokens(), values, max, r.rank());
        });
    }

    /** Sets each feature's logit table (positive and negative tokens with their values) on its node. */
    @Override
    public void logits(String sae, List<Rows.LogitRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        batched("logits " + sae, rows, """
                UNWIND $rows AS row
                MATCH (f:Feature {id: row[0]})
                SET f.logitPositiveTokens = row[1], f.logitPositiveValues = row[2],
                    f.logitNegativeTokens = row[3], f.logitNegativeValues = row[4]""", Map.of("sae", sae),
                r -> Arrays.asList(featureId(sae, r.index()), r.positiveTokens(),
                        Arrays.stream(r.positiveValues()).boxed().toList(), r.negativeTokens(),
                        Arrays.stream(r.negativeValues()).boxed().toList()));
    }

    /**
     * Loads a run and its edges as relationships of type {@code relationship}. Returns false (and writes nothing)
     * when a complete run with this id is already stored. Safe to kill at any point: the run stays {@code loading}
     * (invisible) until its last edge is in, and the next call clears the leftovers and loads it again.
     */
    public boolean run(Rows.RunRow run, String relationship, List<Rows.EdgeRow> edges) {
        checkRelationship(relationship);
        RunLoading.Load load = begin(run);
        if (load.alreadyComplete()) {
            return false;
        }
        load.clearEdges(List.of(relationship));
        // by first endpoint: a batch then touches each of its features' records and locks in one go
        List<Rows.EdgeRow> ordered = new ArrayList<>(edges);
        ordered.sort(java.util.Comparator.comparingInt(Rows.EdgeRow::i).thenComparingInt(Rows.EdgeRow::j));
        List<String> keys = propertyKeys(edges);
        String sae = run.sae();
        Consumer<List<Rows.EdgeRow>> write;
        if (core != null) {
            Map<Integer, Long> nodes = core.featureNodes(sae);
            write = b -> core.createEdges(run.id(), relationship, keys, sae, nodes, b);
        } else {
            Map<Integer, String> nodes = elementIds(sae);
            String create = """
                    UNWIND $rows AS row
                    MATCH (a) WHERE elementId(a) = row[0]
                    MATCH (b) WHERE elementId(b) = row[1]
                    CREATE (a)-[e:%s %s]->(b)""".formatted(relationship, propertyMap(keys));
            write = statement(create, Map.of("run", run.id()), e -> {
                List<Object> row = new ArrayList<>(keys.size() + 2);
                row.add(elementId(nodes, sae, e.i()));
                row.add(elementId(nodes, sae, e.j()));
                for (String k : keys) {
                    row.add(parameter(e.properties().get(k)));
                }
                return row;
            });
        }
        if (writers == 1) {
            batched("edges " + run.kind(), ordered, write);
        } else {
            String stage = "edges " + run.kind();
            progress.update(stage, 0, edges.size());
            java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
            EdgeBuckets.write(ordered, writers, bucket -> loading.writeBatches(bucket, write,
                    n -> progress.update(stage, done.addAndGet(n), edges.size())));
        }
        load.complete(Map.of("edgeCount", edges.size()));
        return true;
    }

    /** Deletes a run and its edges, in batches (safe on large runs). */
    public void deleteRun(String runId, String relationship) {
        checkRelationship(relationship);
        new RunStore(cypher, batch).deleteRun(runId, progress);
    }

    /** Begins loading the run: its node is created as {@code loading} unless it exists. */
    private RunLoading.Load begin(Rows.RunRow run) {
        return loading.begin("Run", run.id(), """
                MATCH (s:Sae {id: $sae})
                MERGE (r:Run {id: $id})
                ON CREATE SET r += $props, r.kind = $kind, r.sae = $sae, r.status = $loading,
                              r.createdAt = toString(datetime())
                MERGE (r)-[:ON_SAE]->(s)
                RETURN r.status AS status""", Map.of("sae", run.sae(), "kind", run.kind(), "props", run.properties()),
                () -> "run " + run.id() + ": SAE " + run.sae() + " is not in the database; load the SAE before its runs");
    }

    /** Feature index to element id for one SAE, read once so edges need no index seek per endpoint. */
    private Map<Integer, String> elementIds(String sae) {
        Map<Integer, String> ids = new HashMap<>();
        for (Map<String, Object> r : cypher.read("MATCH (f:Feature {sae: $sae}) RETURN f.index AS i, elementId(f) AS id",
                Map.of("sae", sae))) {
            ids.put(((Number) r.get("i")).intValue(), (String) r.get("id"));
        }
        return ids;
    }

    private static String elementId(Map<Integer, String> nodes, String sae, int index) {
        String id = nodes.get(index);
        if (id == null) {
            throw new AtlasException("edge endpoint: feature " + index + " of SAE " + sae
                    + " is not in the database; load the SAE's features before its runs");
        }
        return id;
    }

    /** The property keys of a run's edges, sorted; they become a fixed property map of the CREATE. */
    static List<String> propertyKeys(List<Rows.EdgeRow> edges) {
        TreeSet<String> keys = new TreeSet<>();
        for (Rows.EdgeRow e : edges) {
            keys.addAll(e.properties().keySet());
        }
        keys.remove("run");
        return List.copyOf(keys);
    }

    /** {@code {run: $run, `k0`: row[2], ...}}; null values are simply not stored. */
    static String propertyMap(List<String> keys) {
        StringBuilder map = new StringBuilder("{run: $run");
        for (int k = 0; k < keys.size(); k++) {
            map.append(", `").append(keys.get(k).replace("`", "``")).append("`: row[").append(k + 2).append(']');
        }
        return map.append('}').toString();
    }

    /**
     * {@code value} as Bolt would send it: integers as longs, floats as doubles. In-process Cypher stores a Java
     * Integer parameter as a 32-bit int; this keeps the stored types the same on every path.
     */
    static Object parameter(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(AtlasWriter::parameter).toList();
        }
        return value;
    }

    static void checkRelationship(String relationship) {
        if (!RunStore.EDGE_TYPES.contains(relationship)) {
            throw new AtlasException("unknown edge relationship " + relationship + " (expected one of "
                    + RunStore.EDGE_TYPES + ")");
        }
    }

    private void write(String statement, Map<String, Object> params) {
        cypher.write(statement, params);
    }

    private long count(String statement, Map<String, Object> params) {
        return ((Number) cypher.write(statement, params).get(0).get("n")).longValue();
    }

    private <T> void batched(String stage, List<T> rows, String statement, Map<String, Object> extra,
                             Function<T, List<Object>> toRow) {
        batched(stage, rows, statement(statement, extra, toRow));
    }

    private <T> void batched(String stage, List<T> rows, Consumer<List<T>> write) {
        loading.write(stage, rows, write);
    }

    /** Writes one batch with {@code statement}, each row as the list {@code toRow} makes, in {@code $rows}. */
    private <T> Consumer<List<T>> statement(String statement, Map<String, Object> extra,
                                            Function<T, List<Object>> toRow) {
        return rows -> {
            List<List<Object>> lists = new ArrayList<>(rows.size());
            for (T row : rows) {
                lists.add(toRow.apply(row));
            }
            Map<String, Object> params = new HashMap<>(extra);
            params.put("rows", lists);
            cypher.write(statement, params);
        };
    }
}
