package org.saeatlas.ingest.store;

import java.lang.reflect.Array;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.collections.api.factory.primitive.IntSets;
import org.eclipse.collections.api.map.primitive.MutableIntObjectMap;
import org.eclipse.collections.api.set.primitive.IntSet;
import org.eclipse.collections.impl.map.mutable.primitive.IntObjectHashMap;
import org.neo4j.exceptions.KernelException;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;
import org.neo4j.internal.kernel.api.TokenWrite;
import org.neo4j.internal.kernel.api.Write;
import org.neo4j.kernel.api.KernelTransaction;
import org.neo4j.kernel.api.Statement;
import org.neo4j.kernel.api.exceptions.Status;
import org.neo4j.kernel.impl.coreapi.InternalTransaction;
import org.neo4j.values.storable.Value;
import org.neo4j.values.storable.Values;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.schema.Vocabulary;

/**
 * The two bulk writes of {@link AtlasWriter} (a new SAE's features, a run's edges) straight into the embedded
 * database's kernel, in-process: create the node or relationship, then apply all its properties in one call (what
 * Cypher's {@code CREATE} does underneath), without planning a query, converting parameters or evaluating
 * expressions per row; endpoints are found by internal node id, read once per run. It writes exactly what the
 * Cypher statements of {@link AtlasWriter} write (same labels, types, properties and value types: integers as
 * 64-bit longs, floats as doubles, lists as arrays, nulls not stored), one transaction per call, and retries a call
 * a few times on transient failures (deadlocks) as {@code InProcessCypher} does. Only for the embedded database; a
 * server gets the Cypher statements over Bolt. Same constraints, indexes and transaction log as any other write.
 */
final class EmbeddedWrites {

    private static final int ATTEMPTS = 5;
    private static final IntSet NONE = IntSets.immutable.empty();

    private final GraphDatabaseService db;

    EmbeddedWrites(GraphDatabaseService db) {
        this.db = db;
    }

    /** One transaction's kernel operations. */
    @FunctionalInterface
    private interface Work {
        void run(Transaction tx, KernelTransaction ktx, Write write, TokenWrite tokens) throws KernelException;
    }

    /**
     * Creates {@code rows} as new features of {@code sae} (which has none yet), each with its {@code IN_SAE}
     * relationship, in one transaction: what {@code CREATE (f:Feature {id: ...}) SET ... CREATE (f)-[:IN_SAE]->(s)}
     * writes.
     */
    @SuppressWarnings("deprecation") // Node.getId: the kernel's handle of the SAE node, within this transaction
    void createFeatures(String sae, List<Rows.FeatureRow> rows) {
        inTransaction((tx, ktx, write, tokens) -> {
            Node s = tx.findNode(Label.label(Vocabulary.SAE), "id", sae);
            if (s == null) {
                throw new AtlasException("features of SAE " + sae + ": the SAE is not in the database; load the SAE"
                        + " before its features");
            }
            long saeNode = s.getId();
            int[] label = {tokens.labelGetOrCreateForName(Vocabulary.FEATURE)};
            int inSae = tokens.relationshipTypeGetOrCreateForName(Vocabulary.IN_SAE);
            int id = tokens.propertyKeyGetOrCreateForName("id");
            int saeKey = tokens.propertyKeyGetOrCreateForName("sae");
            int index = tokens.propertyKeyGetOrCreateForName("index");
            int firingRate = tokens.propertyKeyGetOrCreateForName("firingRate");
            int meanActivation = tokens.propertyKeyGetOrCreateForName("meanActivation");
            int maxActivation = tokens.propertyKeyGetOrCreateForName("maxActivation");
            int histogram = tokens.propertyKeyGetOrCreateForName("histogram");
            Value saeValue = Values.stringValue(sae);
            for (Rows.FeatureRow r : rows) {
                MutableIntObjectMap<Value> props = new IntObjectHashMap<>(8);
                props.put(id, Values.stringValue(Vocabulary.featureId(sae, r.index())));
                props.put(saeKey, saeValue);
                props.put(index, Values.longValue(r.index()));
                put(props, firingRate, "firingRate", r.firingRate());
                put(props, meanActivation, "meanActivation", r.meanActivation());
                put(props, maxActivation, "maxActivation", r.maxActivation());
                if (r.histogram() != null) {
                    props.put(histogram, Values.longArray(r.histogram()));
                }
                long f = write.nodeCreateWithLabels(label);
                write.nodeApplyChanges(f, NONE, NONE, props);
                write.relationshipCreate(f, inSae, saeNode);
            }
        });
    }

    /** Internal node id of each feature of {@code sae}, by feature index: read once, used for every edge batch. */
    @SuppressWarnings("deprecation") // Node.getId: the kernel's node handle within this database, never shown to users
    Map<Integer, Long> featureNodes(String sae) {
        Map<Integer, Long> ids = new HashMap<>();
        try (Transaction tx = db.beginTx();
             ResourceIterator<Node> nodes = tx.findNodes(Label.label(Vocabulary.FEATURE), "sae", sae)) {
            while (nodes.hasNext()) {
                Node f = nodes.next();
                if (f.getProperty("index", null) instanceof Number n) {
                    ids.put(n.intValue(), f.getId());
                }
            }
            tx.commit();
        }
        return ids;
    }

    /**
     * Creates {@code edges} (between features of {@code sae}) as relationships of type {@code relationship} with
     * {@code run: runId} and the edge properties {@code keys}, in one transaction: what
     * {@code CREATE (a)-[e:TYPE {run: $run, k: row[..], ...}]->(b)} writes.
     */
    void createEdges(String runId, String relationship, List<String> keys, String sae, Map<Integer, Long> nodes,
                     List<Rows.EdgeRow> edges) {
        // endpoints and values first, so a missing feature or an unstorable value fails before any write
        long[] from = new long[edges.size()];
        long[] to = new long[edges.size()];
        Value[][] values = new Value[edges.size()][keys.size()];
        for (int k = 0; k < edges.size(); k++) {
            Rows.EdgeRow e = edges.get(k);
            from[k] = node(nodes, sae, e.i());
            to[k] = node(nodes, sae, e.j());
            for (int p = 0; p < keys.size(); p++) {
                Object v = storable(keys.get(p), e.properties().get(keys.get(p)));
                values[k][p] = v == null ? null : Values.of(v);
            }
        }
        Value run = Values.stringValue(runId);
        inTransaction((tx, ktx, write, tokens) -> {
            int type = tokens.relationshipTypeGetOrCreateForName(relationship);
            int runKey = tokens.propertyKeyGetOrCreateForName("run");
            int[] keyIds = new int[keys.size()];
            for (int p = 0; p < keyIds.length; p++) {
                keyIds[p] = tokens.propertyKeyGetOrCreateForName(keys.get(p));
            }
            for (int k = 0; k < from.length; k++) {
                MutableIntObjectMap<Value> props = new IntObjectHashMap<>(keyIds.length + 2);
                props.put(runKey, run);
                for (int p = 0; p < keyIds.length; p++) {
                    if (values[k][p] != null) {
                        props.put(keyIds[p], values[k][p]);
                    }
                }
                long e = write.relationshipCreate(from[k], type, to[k]);
                write.relationshipApplyChanges(e, props);
            }
        });
    }

    private static long node(Map<Integer, Long> nodes, String sae, int index) {
        Long id = nodes.get(index);
        if (id == null) {
            throw new AtlasException("edge endpoint: feature " + index + " of SAE " + sae
                    + " is not in the database; load the SAE's features before its runs");
        }
        return id;
    }

    private static void put(MutableIntObjectMap<Value> props, int key, String name, Object value) {
        Object stored = storable(name, value);
        if (stored != null) {
            props.put(key, Values.of(stored));
        }
    }

    /**
     * The value Cypher stores for the parameter {@code value}: integers as longs, floats as doubles, lists as
     * arrays of one such type; null for null (not stored). Anything else fails naming the property.
     */
    static Object storable(String key, Object value) {
        if (value == null || value instanceof Long || value instanceof Double || value instanceof String
                || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof List<?> list && !list.isEmpty()) {
            Object first = storable(key, list.get(0));
            Class<?> type = first instanceof Long ? long.class : first instanceof Double ? double.class
                    : first instanceof Boolean ? boolean.class : first instanceof String ? String.class : null;
            if (type != null) {
                Object array = Array.newInstance(type, list.size());
                for (int k = 0; k < list.size(); k++) {
                    Object item = storable(key, list.get(k));
                    if (item == null || item.getClass() != first.getClass()) {
                        throw new AtlasException("property " + key + ": expected a list of values of one type, found "
                                + list);
                    }
                    Array.set(array, k, item);
                }
                return array;
            }
        }
        throw new AtlasException("property " + key + ": expected a string, number, boolean or a non-empty list of"
                + " one of those, found " + value.getClass().getSimpleName() + " " + value);
    }

    /** Runs {@code work} in one write transaction, committed; retried on transient failures. */
    private void inTransaction(Work work) {
        for (int attempt = 1; ; attempt++) {
            try (Transaction tx = db.beginTx()) {
                KernelTransaction ktx = ((InternalTransaction) tx).kernelTransaction();
                try (Statement ignored = ktx.acquireStatement()) {
                    work.run(tx, ktx, ktx.dataWrite(), ktx.tokenWrite());
                }
                tx.commit();
                return;
            } catch (KernelException | RuntimeException e) {
                if (!isTransient(e) || attempt == ATTEMPTS) {
                    throw e instanceof AtlasException a ? a
                            : new AtlasException("write to the embedded database failed: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(Math.min(500, 20L << Math.min(attempt, 5)));
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                    throw new AtlasException("interrupted while retrying a write", stop);
                }
            }
        }
    }

    private static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.neo4j.graphdb.TransientFailureException) {
                return true;
            }
            if (t instanceof Status.HasStatus s
                    && s.status().code().classification() == Status.Classification.TransientError) {
                return true;
            }
        }
        return false;
    }
}
