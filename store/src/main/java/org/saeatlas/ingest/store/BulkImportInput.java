package org.saeatlas.ingest.store;

import static org.saeatlas.schema.Vocabulary.featureId;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.collections.api.map.primitive.MutableIntLongMap;
import org.eclipse.collections.impl.map.mutable.primitive.IntLongHashMap;
import org.neo4j.batchimport.api.InputIterable;
import org.neo4j.batchimport.api.InputIterator;
import org.neo4j.batchimport.api.input.IdType;
import org.neo4j.batchimport.api.input.Input;
import org.neo4j.batchimport.api.input.InputChunk;
import org.neo4j.batchimport.api.input.InputEntityVisitor;
import org.neo4j.batchimport.api.input.ReadableGroups;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.schema.Vocabulary;

/**
 * A whole atlas as input for Neo4j's importer, straight from memory. Every node is numbered up front and the number
 * is its record id in the new store (the importer's {@code ACTUAL} ids), so relationships are given by the numbers of
 * their ends: no id column to parse, sort or look up. Every property is what an online load stores
 * ({@link EmbeddedWrites#storable}: integers as longs, floats as doubles, lists as arrays, nulls not stored), so an
 * offline and an online build hold the same graph. Building it refuses, naming the item, what the importer would
 * otherwise trip over halfway: a duplicate id, or a reference to a model, SAE or feature the atlas does not have.
 */
final class BulkImportInput {

    /** Entities a chunk hands to the importer at a time (its default batch). */
    private static final int CHUNK = 10_000;

    /** One kind of entity: how many there are, and how the k-th is told to the importer. */
    private interface Part {
        int size();

        void write(int k, InputEntityVisitor v) throws IOException;
    }

    private final List<Part> nodes = new ArrayList<>();
    private final List<Part> relationships = new ArrayList<>();
    private long nodeCount;
    private long relationshipCount;
    private long edgeCount;

    private BulkImportInput() {
    }

    long nodeCount() {
        return nodeCount;
    }

    long relationshipCount() {
        return relationshipCount;
    }

    /** Relationships that are edges of runs (the rest link features, explanations, examples and runs to SAEs). */
    long edgeCount() {
        return edgeCount;
    }

    /** Numbers {@code c}, checking that every id is unique and every reference resolves. */
    static BulkImportInput of(BulkImport.Content c) {
        BulkImportInput g = new BulkImportInput();
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();

        Map<String, Long> models = new HashMap<>();
        List<Rows.ModelRow> modelRows = c.models();
        long modelBase = g.nodes(modelRows.size(), (k, v) -> {
            Rows.ModelRow m = modelRows.get(k);
            v.labels(new String[] {Vocabulary.MODEL});
            put(v, "id", m.id());
            put(v, "name", m.name());
        });
        for (int k = 0; k < modelRows.size(); k++) {
            unique(models, modelRows.get(k).id(), modelBase + k, "model");
        }

        Map<String, Long> saes = new HashMap<>();
        Map<String, Rows.SaeRow> saeRows = new HashMap<>();
        List<Rows.SaeRow> saeList = c.saes();
        long[] saeModel = new long[saeList.size()];
        long saeBase = g.nodes(saeList.size(), (k, v) -> {
            Rows.SaeRow s = saeList.get(k);
            v.labels(new String[] {Vocabulary.SAE});
            put(v, "id", s.id());
            put(v, "model", s.model());
            put(v, "release", s.release());
            put(v, "layer", s.layer());
            put(v, "hookPoint", s.hookPoint());
            put(v, "width", s.width());
            put(v, "seed", s.seed());
            put(v, "architecture", s.architecture());
            put(v, "dIn", s.dIn());
            put(v, "l0", s.l0());
            put(v, "fvu", s.fvu());
            put(v, "errorNorm", s.errorNorm());
            put(v, "histogramEdges", c.histogramEdges().get(s.id()));
        });
        for (int k = 0; k < saeList.size(); k++) {
            Rows.SaeRow s = saeList.get(k);
            unique(saes, s.id(), saeBase + k, "SAE");
            saeRows.put(s.id(), s);
            saeModel[k] = reference(models, s.model(), "SAE " + s.id(), "model");
        }
        g.relationships(saeList.size(), (k, v) -> link(v, saeBase + k, Vocabulary.OF_MODEL, saeModel[k]));

        // features of each SAE, numbered contiguously, SAEs in id order; the first explanation is the headline
        Map<String, MutableIntLongMap> features = new HashMap<>();
        Map<String, String> headline = new HashMap<>();
        new TreeMap<>(c.explanations()).forEach((sae, rows) -> rows.forEach(x ->
                headline.putIfAbsent(featureId(sae, x.index()), x.text())));
        for (var e : new TreeMap<>(c.features()).entrySet()) {
            String sae = e.getKey();
            List<Rows.FeatureRow> rows = e.getValue();
            long saeNode = reference(saes, sae, "features of SAE " + sae, "SAE");
            long base = g.nodes(rows.size(), (k, v) -> {
                Rows.FeatureRow f = rows.get(k);
                String id = featureId(sae, f.index());
                v.labels(new String[] {Vocabulary.FEATURE});
                put(v, "id", id);
                put(v, "sae", sae);
                put(v, "index", f.index());
                put(v, "firingRate", f.firingRate());
                put(v, "meanActivation", f.meanActivation());
                put(v, "maxActivation", f.maxActivation());
                put(v, "explanation", headline.get(id));
                put(v, "histogram", f.histogram());
            });
            MutableIntLongMap numbers = new IntLongHashMap(rows.size());
            for (int k = 0; k < rows.size(); k++) {
                int index = rows.get(k).index();
                if (numbers.containsKey(index)) {
                    throw new AtlasException("features of SAE " + sae + ": feature index " + index
                            + " appears twice; expected each index once");
                }
                numbers.put(index, base + k);
            }
            features.put(sae, numbers);
            g.relationships(rows.size(), (k, v) -> link(v, base + k, Vocabulary.IN_SAE, saeNode));
        }

        for (var e : new TreeMap<>(c.explanations()).entrySet()) {
            String sae = e.getKey();
            List<Rows.ExplanationRow> rows = e.getValue();
            Rows.SaeRow saeRow = saeRows.get(sae);
            long[] explained = new long[rows.size()];
            String[] ids = new String[rows.size()];
            Object[] embeddings = new Object[rows.size()];
            Map<Integer, Integer> ordinal = new HashMap<>();
            for (int k = 0; k < rows.size(); k++) {
                Rows.ExplanationRow x = rows.get(k);
                if (x.text() == null || x.text().isBlank()) {
                    throw new AtlasException("explanation of feature " + x.index() + " in SAE " + sae
                            + ": expected non-empty text, found " + (x.text() == null ? "null" : "blank text"));
                }
                explained[k] = feature(features, sae, x.index(), "explanation");
                embeddings[k] = AtlasWriter.embedding(x.embedding()); // refuses NaN and infinities now, not mid-import
                ids[k] = featureId(sae, x.index()) + "#explanation-" + (ordinal.merge(x.index(), 1, Integer::sum) - 1);
            }
            long base = g.nodes(rows.size(), (k, v) -> {
                Rows.ExplanationRow x = rows.get(k);
                v.labels(new String[] {Vocabulary.EXPLANATION});
                put(v, "id", ids[k]);
                put(v, "text", x.text());
                put(v, "source", x.source());
                put(v, "score", x.score());
                put(v, "sae", sae);
                put(v, "model", saeRow.model());
                put(v, "layer", saeRow.layer());
                put(v, "embedding", embeddings[k]);
            });
            g.relationships(rows.size(), (k, v) -> link(v, base + k, Vocabulary.EXPLAINS, explained[k]));
        }

        for (var e : new TreeMap<>(c.examples()).entrySet()) {
            String sae = e.getKey();
            List<Rows.ExampleRow> rows = e.getValue();
            long[] of = new long[rows.size()];
            Set<String> ids = new HashSet<>();
            for (int k = 0; k < rows.size(); k++) {
                Rows.ExampleRow x = rows.get(k);
                of[k] = feature(features, sae, x.index(), "example");
                if (!ids.add(featureId(sae, x.index()) + "#example-" + x.rank())) {
                    throw new AtlasException("examples of SAE " + sae + ": feature " + x.index() + " has two examples of"
                            + " rank " + x.rank() + "; expected each rank once per feature");
                }
            }
            long base = g.nodes(rows.size(), (k, v) -> {
                Rows.ExampleRow x = rows.get(k);
                double[] values = new double[x.values().length];
                double max = 0; // as an online load computes it
                for (int t = 0; t < values.length; t++) {
                    values[t] = x.values()[t];
                    max = Math.max(max, x.values()[t]);
                }
                v.labels(new String[] {Vocabulary.EXAMPLE});
                put(v, "id", featureId(sae, x.index()) + "#example-" + x.rank());
                put(v, "tokens", x.tokens());
                put(v, "values", values);
                put(v, "maxValue", max);
                put(v, "rank", x.rank());
            });
            g.relationships(rows.size(), (k, v) -> link(v, base + k, Vocabulary.EXAMPLE_OF, of[k]));
        }

        List<BulkImport.RunEdges> runs = c.runs();
        Map<String, Long> runIds = new HashMap<>();
        long[] runSae = new long[runs.size()];
        long runBase = g.nodes(runs.size(), (k, v) -> {
            BulkImport.RunEdges run = runs.get(k);
            Map<String, Object> props = new TreeMap<>(run.run().properties());
            props.put("kind", run.run().kind());
            props.put("sae", run.run().sae());
            props.put("status", Vocabulary.STATUS_COMPLETE);
            props.put("edgeCount", (long) run.edges().size());
            props.put("createdAt", now);
            props.put("completedAt", now);
            props.put("id", run.run().id());
            v.labels(new String[] {Vocabulary.RUN});
            for (var p : props.entrySet()) {
                put(v, p.getKey(), p.getValue());
            }
        });
        for (int k = 0; k < runs.size(); k++) {
            Rows.RunRow run = runs.get(k).run();
            unique(runIds, run.id(), runBase + k, "run");
            runSae[k] = reference(saes, run.sae(), "run " + run.id(), "SAE");
            run.properties().forEach((key, value) -> storable("run " + run.id(), key, value));
        }
        g.relationships(runs.size(), (k, v) -> link(v, runBase + k, Vocabulary.ON_SAE, runSae[k]));

        for (BulkImport.RunEdges run : runs) {
            String id = run.run().id();
            String sae = run.run().sae();
            List<Rows.EdgeRow> edges = run.edges();
            long[] from = new long[edges.size()];
            long[] to = new long[edges.size()];
            for (int k = 0; k < edges.size(); k++) {
                Rows.EdgeRow e = edges.get(k);
                from[k] = feature(features, sae, e.i(), "edge of run " + id);
                to[k] = feature(features, sae, e.j(), "edge of run " + id);
                e.properties().forEach((key, value) -> storable("edge " + e.i() + "-" + e.j() + " of run " + id, key,
                        value));
            }
            g.relationships(edges.size(), (k, v) -> {
                link(v, from[k], run.relationship(), to[k]);
                put(v, "run", id); // the run's id, whatever an edge's own "run" says, as online
                for (var p : edges.get(k).properties().entrySet()) {
                    if (!p.getKey().equals("run")) {
                        put(v, p.getKey(), p.getValue());
                    }
                }
            });
            g.edgeCount += edges.size();
        }
        return g;
    }

    /** The importer's input: nodes then relationships, in chunks handed to its threads, progress per part. */
    Input input(Progress progress) {
        InputIterable nodeInput = () -> new Chunks(nodes, true, "importing nodes", progress);
        InputIterable relationshipInput = () -> new Chunks(relationships, false, "importing relationships", progress);
        // rough sizes: the importer only uses them to plan memory
        Input.Estimates estimates = Input.knownEstimates(nodeCount, relationshipCount, nodeCount * 8,
                relationshipCount * 6, nodeCount * 8 * 16, relationshipCount * 6 * 10, nodeCount);
        return Input.input(nodeInput, relationshipInput, IdType.ACTUAL, estimates, ReadableGroups.EMPTY);
    }

    /** Adds {@code size} nodes; returns the number of the first. */
    private long nodes(int size, Writer w) {
        long base = nodeCount;
        nodes.add(part(size, w));
        nodeCount += size;
        return base;
    }

    private void relationships(int size, Writer w) {
        relationships.add(part(size, w));
        relationshipCount += size;
    }

    @FunctionalInterface
    private interface Writer {
        void write(int k, InputEntityVisitor v) throws IOException;
    }

    private static Part part(int size, Writer w) {
        return new Part() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public void write(int k, InputEntityVisitor v) throws IOException {
                w.write(k, v);
            }
        };
    }

    private static void link(InputEntityVisitor v, long from, String type, long to) {
        v.startId(from);
        v.type(type);
        v.endId(to);
    }

    /** A property as an online load stores it; null is not stored. */
    private static void put(InputEntityVisitor v, String key, Object value) {
        Object stored = value instanceof double[] || value instanceof long[] ? value
                : EmbeddedWrites.storable(key, value);
        if (stored != null) {
            v.property(key, stored);
        }
    }

    /** Checks now that {@code value} can be stored, so a bad value is refused before the importer starts. */
    private static void storable(String of, String key, Object value) {
        try {
            EmbeddedWrites.storable(key, value);
        } catch (AtlasException e) {
            throw new AtlasException(of + ": " + e.getMessage(), e);
        }
    }

    private static void unique(Map<String, Long> numbers, String id, long number, String what) {
        if (numbers.putIfAbsent(id, number) != null) {
            throw new AtlasException(what + " " + id + " appears twice in the atlas; expected each " + what
                    + " id once");
        }
    }

    private static long reference(Map<String, Long> numbers, String id, String of, String what) {
        Long n = numbers.get(id);
        if (n == null) {
            throw new AtlasException(of + ": " + what + " " + id + " is not in the atlas; expected one of "
                    + new TreeMap<>(numbers).keySet());
        }
        return n;
    }

    private static long feature(Map<String, MutableIntLongMap> features, String sae, int index, String of) {
        MutableIntLongMap numbers = features.get(sae);
        if (numbers == null || !numbers.containsKey(index)) {
            throw new AtlasException(of + ": feature " + index + " of SAE " + sae + " is not in the atlas"
                    + (numbers == null ? " (the SAE has no features)" : ""));
        }
        return numbers.get(index);
    }

    /** Hands out consecutive ranges of the parts' entities to the importer's threads. */
    private static final class Chunks implements InputIterator {
        private final List<Part> parts;
        private final long[] starts;
        private final boolean nodes;
        private final String stage;
        private final Progress progress;
        private long next;

        Chunks(List<Part> parts, boolean nodes, String stage, Progress progress) {
            this.parts = parts;
            this.nodes = nodes;
            this.stage = stage;
            this.progress = progress;
            starts = new long[parts.size() + 1];
            for (int p = 0; p < parts.size(); p++) {
                starts[p + 1] = starts[p] + parts.get(p).size();
            }
        }

        @Override
        public InputChunk newChunk() {
            return new Chunk();
        }

        @Override
        public synchronized boolean next(InputChunk chunk) {
            long total = starts[parts.size()];
            if (next >= total) {
                if (total > 0 && next == total) {
                    progress.update(stage, total, total);
                    next++; // report the end once
                }
                return false;
            }
            Chunk c = (Chunk) chunk;
            c.at = next;
            c.to = Math.min(total, next + CHUNK);
            c.part = 0;
            while (starts[c.part + 1] <= c.at) {
                c.part++;
            }
            progress.update(stage, next, total);
            next = c.to;
            return true;
        }

        @Override
        public void close() {
        }

        private final class Chunk implements InputChunk {
            long at;
            long to;
            int part;

            @Override
            public boolean next(InputEntityVisitor v) throws IOException {
                if (at >= to) {
                    return false;
                }
                while (starts[part + 1] <= at) {
                    part++;
                }
                if (nodes) {
                    v.id(at);
                }
                parts.get(part).write((int) (at - starts[part]), v);
                v.endOfEntity();
                at++;
                return true;
            }

            @Override
            public void close() {
            }
        }
    }
}
