package org.saeatlas.ingest.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.neo4j.batchimport.api.BatchImporter;
import org.neo4j.batchimport.api.Monitor;
import org.neo4j.batchimport.api.input.Collector;
import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.internal.batchimport.DefaultAdditionalIds;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.io.layout.DatabaseLayout;
import org.neo4j.io.layout.Neo4jLayout;
import org.neo4j.io.layout.recordstorage.RecordDatabaseLayout;
import org.neo4j.io.pagecache.context.CursorContextFactory;
import org.neo4j.io.pagecache.tracing.PageCacheTracer;
import org.neo4j.kernel.impl.index.schema.IndexImporterFactoryImpl;
import org.neo4j.kernel.impl.scheduler.JobSchedulerFactory;
import org.neo4j.kernel.impl.transaction.log.files.TransactionLogInitializer;
import org.neo4j.logging.internal.NullLogService;
import org.neo4j.memory.EmptyMemoryTracker;
import org.neo4j.scheduler.JobScheduler;
import org.neo4j.storageengine.api.StorageEngineFactory;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;

/**
 * Offline bulk load of a whole atlas into a new embedded database: Neo4j's own importer (the engine behind
 * {@code neo4j-admin database import full}) reads the atlas straight from memory ({@link BulkImportInput}: every node
 * numbered up front, relationships given by node number, no CSVs written or parsed, no id lookups) into a staging
 * folder next to the database folder, which is renamed into place only when the import succeeded. A kill at any
 * point leaves either no database (the next load starts over) or the complete one. Constraints and indexes are
 * created by the schema migrations when the database is first opened. Runs are written {@code complete} directly.
 */
public final class BulkImport {

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
     * What was imported and how long it took: checking and numbering the atlas ({@code prepareSeconds}), then Neo4j's
     * importer writing the store ({@code importSeconds}); {@code embeddingDimension}: of the explanation embeddings,
     * 0 when there are none (the vector index to create).
     */
    public record Result(long nodes, long relationships, long edges, double prepareSeconds, double importSeconds,
                         int embeddingDimension) { }

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

    /** Whether to print the importer's own report of its stages (system property {@code atlas.import.log}). */
    private static final boolean VERBOSE = System.getProperty("atlas.import.log") != null;

    /** Imports {@code content} as the database of the embedded DBMS whose folder is {@code home}, which must be new. */
    public static Result into(Path home, Content content, Progress progress) {
        if (!isNew(home)) {
            throw new AtlasException("bulk import into " + home + ": expected a new database folder, found an existing"
                    + " database; load online instead, or delete the folder to rebuild it");
        }
        int dimension = embeddingDimension(content); // refuses mixed dimensions before anything is written
        long t0 = System.nanoTime();
        progress.update("checking and numbering the atlas", 0, 1);
        BulkImportInput graph = BulkImportInput.of(content); // refuses duplicates and dangling references, naming them
        progress.update("checking and numbering the atlas", 1, 1);
        Path staging = home.resolveSibling(home.getFileName() + ".importing");
        try {
            deleteTree(staging); // leftovers of an interrupted import
            Files.createDirectories(staging);
            long t1 = System.nanoTime();
            runImporter(staging, graph, progress);
            long t2 = System.nanoTime();
            Files.createDirectories(home.toAbsolutePath().getParent());
            deleteTree(home); // holds no database (checked above), at most logs of an earlier start
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
            return new Result(graph.nodeCount(), graph.relationshipCount(), graph.edgeCount(), (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9, dimension);
        } catch (IOException e) {
            throw new UncheckedIOException("bulk import into " + home + ": " + e.getMessage(), e);
        }
    }

    /** Runs Neo4j's importer on {@code graph} into the DBMS folder {@code home}, as the embedded DBMS lays it out. */
    private static void runImporter(Path home, BulkImportInput graph, Progress progress) throws IOException {
        Config config = Config.newBuilder().set(GraphDatabaseSettings.neo4j_home, home.toAbsolutePath()).build();
        DatabaseLayout layout = RecordDatabaseLayout.of(Neo4jLayout.of(config), GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        StorageEngineFactory engine = StorageEngineFactory.selectStorageEngine(config);
        long memory = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() : 4L << 30;
        org.neo4j.batchimport.api.Configuration settings = new org.neo4j.batchimport.api.Configuration() {
            @Override
            public long maxOffHeapMemory() {
                return memory / 4; // the importer's caches; the rest stays with the JVM and the page cache
            }
        };
        // the importer's own progress bars and messages, kept for an error message
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
             DefaultFileSystemAbstraction fs = new DefaultFileSystemAbstraction();
             JobScheduler jobs = JobSchedulerFactory.createInitialisedScheduler()) {
            BatchImporter importer = engine.batchImporter(layout, fs, PageCacheTracer.NULL, settings,
                    NullLogService.getInstance(), out, VERBOSE, DefaultAdditionalIds.EMPTY, config, Monitor.NO_MONITOR,
                    jobs, Collector.STRICT, TransactionLogInitializer.getLogFilesInitializer(),
                    new IndexImporterFactoryImpl(), EmptyMemoryTracker.INSTANCE,
                    CursorContextFactory.NULL_CONTEXT_FACTORY);
            importer.doImport(graph.input(progress));
            if (VERBOSE) {
                System.err.println(log.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof AtlasException a) {
                throw a;
            }
            throw new AtlasException("Neo4j's importer failed: " + e.getMessage() + "\n"
                    + log.toString(StandardCharsets.UTF_8), e);
        } catch (Exception e) { // closing the job scheduler
            throw new AtlasException("Neo4j's importer could not shut down: " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        org.saeatlas.ingest.formats.Folders.deleteTree(root);
    }
}
