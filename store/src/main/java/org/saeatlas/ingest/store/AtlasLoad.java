package org.saeatlas.ingest.store;

import java.util.List;
import java.util.Map;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * Loads an atlas into Neo4j the fastest safe way: Neo4j's offline importer ({@link BulkImport}) when the target is an
 * embedded database that does not exist yet, otherwise online batched writes ({@link AtlasWriter}), which are
 * idempotent and crash-safe per run. Either way the database is then open, migrated and ready.
 */
public final class AtlasLoad {

    /** {@code AUTO}: bulk for a new embedded database, online otherwise. */
    public enum Mode { AUTO, ONLINE, OFFLINE }

    /**
     * How a load went. {@code nodeSeconds}/{@code edgeSeconds}: time writing nodes (with their structural
     * relationships) and run edges online; for a bulk load both are the whole import (numbering included), and
     * {@code openSeconds} the first start with index creation and population ({@code bulkTimes} splits them; null
     * for an online load). {@code nodeCpuSeconds}/{@code edgeCpuSeconds}: CPU
     * time of the whole process (every thread, the database's included) over the same spans, a figure that
     * depends less on what else the machine runs than the wall-clock one.
     */
    public record Result(AtlasDatabase database, boolean bulk, long nodes, long relationships, long edges,
                         double nodeSeconds, double edgeSeconds, double openSeconds, double nodeCpuSeconds,
                         double edgeCpuSeconds, BulkTimes bulkTimes) { }

    /**
     * Where a bulk load's time went: checking and numbering the atlas, Neo4j's importer writing the store, then on
     * the first open starting the DBMS (what every load pays, an empty database too), the migrations (creating the
     * constraints populates their indexes) and waiting for the other indexes to be populated.
     */
    public record BulkTimes(double prepareSeconds, double importSeconds, double startSeconds, double migrateSeconds,
                            double populateSeconds) {
        /** Everything the bulk path adds to starting a database: numbering, import, index creation and population. */
        public double loadSeconds() {
            return prepareSeconds + importSeconds + migrateSeconds + populateSeconds;
        }
    }

    /** Longest wait for index population after a bulk import, seconds. */
    static final long POPULATION_TIMEOUT = 24 * 3600;

    /** CPU seconds used by this process so far (all threads), or NaN where the JVM does not say. */
    public static double processCpuSeconds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private AtlasLoad() {
    }

    public static Result load(Neo4jTarget target, BulkImport.Content content, Mode mode, Progress progress) {
        boolean bulk = mode == Mode.OFFLINE
                || mode == Mode.AUTO && target.embedded() && BulkImport.isNew(target.dataDir());
        if (bulk) {
            if (!target.embedded()) {
                throw new org.saeatlas.errors.AtlasException("offline bulk import needs the embedded database (no"
                        + " --neo4j-uri); for a server, use neo4j-admin database import or load online");
            }
            BulkImport.Result r = BulkImport.into(target.dataDir(), content, progress);
            long t0 = System.nanoTime();
            progress.update("opening, creating indexes", 0, 1);
            AtlasDatabase db = AtlasDatabase.open(target);
            progress.update("opening, creating indexes", 1, 1);
            long t1 = System.nanoTime();
            try {
                // the migrations create the indexes; they are populated in the background: ready means populated
                progress.update("populating indexes", 0, 1);
                db.cypher().write("CALL db.awaitIndexes($seconds)", Map.of("seconds", POPULATION_TIMEOUT));
                progress.update("populating indexes", 1, 1);
                if (r.embeddingDimension() > 0) { // as an online load creates it
                    new AtlasWriter(db.cypher(), progress).vectorIndex(r.embeddingDimension());
                }
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
            long t2 = System.nanoTime();
            double seconds = r.prepareSeconds() + r.importSeconds();
            return new Result(db, true, r.nodes(), r.relationships(), r.edges(), seconds, seconds,
                    (t2 - t0) / 1e9, Double.NaN, Double.NaN, new BulkTimes(r.prepareSeconds(), r.importSeconds(),
                    db.startSeconds(), db.migrateSeconds(), (t2 - t1) / 1e9));
        }
        long t0 = System.nanoTime();
        AtlasDatabase db = AtlasDatabase.open(target);
        try {
            return online(db, content, progress, (System.nanoTime() - t0) / 1e9);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Result online(AtlasDatabase db, BulkImport.Content c, Progress progress, double openSeconds) {
        AtlasWriter writer = new AtlasWriter(db.cypher(), progress);
        long t0 = System.nanoTime();
        double cpu0 = processCpuSeconds();
        c.models().forEach(writer::model);
        c.saes().forEach(writer::sae);
        long nodes = c.models().size() + c.saes().size();
        long rels = c.saes().size();
        for (var e : c.features().entrySet()) {
            writer.features(e.getKey(), e.getValue());
            nodes += e.getValue().size();
            rels += e.getValue().size();
        }
        nodes += count(c.explanations()) + count(c.examples());
        rels += count(c.explanations()) + count(c.examples());
        c.explanations().forEach(writer::explanations);
        c.examples().forEach(writer::examples);
        long t1 = System.nanoTime();
        double cpu1 = processCpuSeconds();
        long edges = 0;
        for (BulkImport.RunEdges run : c.runs()) {
            if (writer.run(run.run(), run.relationship(), run.edges())) {
                edges += run.edges().size();
            }
        }
        long t2 = System.nanoTime();
        double cpu2 = processCpuSeconds();
        return new Result(db, false, nodes + c.runs().size(), rels + c.runs().size() + edges, edges,
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, openSeconds, cpu1 - cpu0, cpu2 - cpu1, null);
    }

    private static long count(Map<String, ? extends List<?>> perSae) {
        return perSae.values().stream().mapToLong(List::size).sum();
    }
}
