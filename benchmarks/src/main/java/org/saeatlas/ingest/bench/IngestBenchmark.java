package org.saeatlas.ingest.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.saeatlas.ingest.store.SyntheticAtlas;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.store.AtlasLoad;
import org.saeatlas.ingest.store.BulkImport;
import org.saeatlas.ingest.store.Rows;
import org.saeatlas.schema.Vocabulary;

/**
 * Ingest throughput on a synthetic atlas (default 131,072 features and 1,000,000 dependence edges), in one of three
 * modes: {@code naive} (the reference: UNWIND of 10k maps a transaction, MERGE by id, edges matched by two id
 * seeks), {@code online} ({@link org.saeatlas.ingest.store.AtlasWriter}) and {@code offline} (Neo4j's importer into a
 * new embedded database, {@link BulkImport}). Prints nodes/s and relationships/s. Run it with {@code ./atlas bench
 * ingest}, or this main: {@code <mode> <folder> [features] [edges]}.
 */
public final class IngestBenchmark {

    /** What to run. */
    public record Parameters(String mode, int features, int edges, long seed) {
        public Parameters {
            if (!List.of("naive", "online", "offline").contains(mode)) {
                throw new AtlasException("bench mode: expected naive, online or offline, found " + mode);
            }
        }
    }

    /**
     * Measured figures. {@code nodes}/{@code relationships}: the features and run edges stored. {@code bulk}: where
     * an offline load's time went (null online).
     */
    public record Figures(String mode, long nodes, long relationships, double nodeSeconds, double edgeSeconds,
                          double openSeconds, double nodeCpuSeconds, double edgeCpuSeconds, AtlasLoad.BulkTimes bulk) {

        /**
         * Seconds from data in memory to a ready database, without starting the DBMS (every mode starts one, an
         * empty database too): features then edges online; CSVs, import, index creation and population offline.
         */
        public double totalSeconds() {
            return bulk != null ? bulk.loadSeconds() : nodeSeconds + edgeSeconds;
        }

        public double nodesPerSecond() {
            return nodes / nodeSeconds;
        }

        public double relationshipsPerSecond() {
            return relationships / edgeSeconds;
        }
    }

    private IngestBenchmark() {
    }

    public static Figures run(Parameters p, Neo4jTarget target, PrintStream out, Progress progress) {
        long t0 = System.nanoTime();
        BulkImport.Content atlas = SyntheticAtlas.generate(p.features(), p.edges(), p.seed());
        out.printf(Locale.ROOT, "synthetic atlas: %,d features, %,d edges (seed %d), generated in %.1fs%n",
                p.features(), p.edges(), p.seed(), (System.nanoTime() - t0) / 1e9);
        Figures f = switch (p.mode()) {
            case "naive" -> naive(target, atlas, progress);
            case "online" -> measured(p.mode(), AtlasLoad.load(target, atlas, AtlasLoad.Mode.ONLINE, progress));
            default -> measured(p.mode(), AtlasLoad.load(target, atlas, AtlasLoad.Mode.OFFLINE, progress));
        };
        if (f.bulk() == null) {
            out.printf(Locale.ROOT, "%s: %,d feature nodes in %.1fs = %,.0f nodes/s; %,d edges in %.1fs = %,.0f"
                            + " relationships/s (database open %.1fs)%n", f.mode(), f.nodes(), f.nodeSeconds(),
                    f.nodesPerSecond(), f.relationships(), f.edgeSeconds(), f.relationshipsPerSecond(), f.openSeconds());
        } else {
            AtlasLoad.BulkTimes b = f.bulk();
            out.printf(Locale.ROOT, "%s: checking and numbering %.1fs + importer %.1fs + migrations creating the"
                            + " indexes %.1fs + index population after them %.1fs = %.1fs (DBMS start %.1fs not counted:"
                            + " every mode pays it)%n", f.mode(), b.prepareSeconds(), b.importSeconds(),
                    b.migrateSeconds(), b.populateSeconds(), b.loadSeconds(), b.startSeconds());
            double store = b.prepareSeconds() + b.importSeconds();
            out.printf(Locale.ROOT, "%s store on disk (numbering and importer, before the first open): %,d features +"
                            + " %,d edges in %.1fs = %,.0f nodes/s and %,.0f relationships/s%n", f.mode(), f.nodes(),
                    f.relationships(), store, f.nodes() / store, f.relationships() / store);
        }
        out.printf(Locale.ROOT, "%s end to end: %,d features + %,d edges ready in %.1fs = %,.0f nodes/s and"
                        + " %,.0f relationships/s over the whole load%n", f.mode(), f.nodes(), f.relationships(),
                f.totalSeconds(), f.nodes() / f.totalSeconds(), f.relationships() / f.totalSeconds());
        if (!Double.isNaN(f.nodeCpuSeconds())) {
            // wall-clock figures follow whatever else the machine runs; process CPU time much less so
            out.printf(Locale.ROOT, "%s: process CPU %.1fs for the nodes = %,.0f nodes per CPU-second; %.1fs for the"
                    + " edges = %,.0f relationships per CPU-second%n", f.mode(), f.nodeCpuSeconds(),
                    f.nodes() / f.nodeCpuSeconds(), f.edgeCpuSeconds(), f.relationships() / f.edgeCpuSeconds());
        }
        return f;
    }

    private static Figures measured(String mode, AtlasLoad.Result r) {
        try (AtlasDatabase db = r.database()) {
            long features = featureCount(db.driver());
            long edges = edgeCount(db.driver());
            return new Figures(mode, features, edges, r.nodeSeconds(), r.edgeSeconds(), r.openSeconds(),
                    r.nodeCpuSeconds(), r.edgeCpuSeconds(), r.bulkTimes());
        }
    }

    /** The reference figure: what AtlasWriter did before (maps, 10k rows, MERGE, two id seeks per edge). */
    private static Figures naive(Neo4jTarget target, BulkImport.Content atlas, Progress progress) {
        long t0 = System.nanoTime();
        try (AtlasDatabase db = AtlasDatabase.open(target)) {
            double open = (System.nanoTime() - t0) / 1e9;
            Driver driver = db.driver();
            Rows.SaeRow sae = atlas.saes().get(0);
            write(driver, "MERGE (m:Model {id: $id})", Map.of("id", sae.model()));
            write(driver, "MATCH (m:Model {id: $model}) MERGE (s:Sae {id: $id}) MERGE (s)-[:OF_MODEL]->(m)",
                    Map.of("id", sae.id(), "model", sae.model()));
            List<Map<String, Object>> features = new ArrayList<>();
            for (Rows.FeatureRow r : atlas.features().get(sae.id())) {
                Map<String, Object> m = new HashMap<>();
                m.put("id", Vocabulary.featureId(sae.id(), r.index()));
                m.put("index", r.index());
                m.put("firingRate", r.firingRate());
                m.put("meanActivation", r.meanActivation());
                m.put("maxActivation", r.maxActivation());
                features.add(m);
            }
            long t1 = System.nanoTime();
            double cpu1 = AtlasLoad.processCpuSeconds();
            batches(driver, "naive features", features, Map.of("sae", sae.id()), """
                    MATCH (s:Sae {id: $sae})
                    UNWIND $rows AS row
                    MERGE (f:Feature {id: row.id})
                    SET f.sae = $sae, f.index = row.index, f.firingRate = row.firingRate,
                        f.meanActivation = row.meanActivation, f.maxActivation = row.maxActivation
                    MERGE (f)-[:IN_SAE]->(s)""", progress);
            long t2 = System.nanoTime();
            double cpu2 = AtlasLoad.processCpuSeconds();
            BulkImport.RunEdges run = atlas.runs().get(0);
            List<Map<String, Object>> edges = new ArrayList<>();
            for (Rows.EdgeRow e : run.edges()) {
                edges.add(Map.of("a", Vocabulary.featureId(sae.id(), e.i()), "b", Vocabulary.featureId(sae.id(), e.j()),
                        "props", e.properties()));
            }
            long t3 = System.nanoTime();
            double cpu3 = AtlasLoad.processCpuSeconds();
            batches(driver, "naive edges", edges, Map.of("run", run.run().id()), """
                    UNWIND $rows AS row
                    MATCH (a:Feature {id: row.a}), (b:Feature {id: row.b})
                    CREATE (a)-[e:%s]->(b)
                    SET e = row.props, e.run = $run""".formatted(run.relationship()), progress);
            long t4 = System.nanoTime();
            double cpu4 = AtlasLoad.processCpuSeconds();
            return new Figures("naive", featureCount(driver), edgeCount(driver), (t2 - t1) / 1e9, (t4 - t3) / 1e9, open,
                    cpu2 - cpu1, cpu4 - cpu3, null);
        }
    }

    private static void batches(Driver driver, String stage, List<Map<String, Object>> rows, Map<String, Object> extra,
                                String cypher, Progress progress) {
        try (Session session = driver.session()) {
            for (int from = 0; from < rows.size(); from += 10_000) {
                Map<String, Object> params = new HashMap<>(extra);
                params.put("rows", rows.subList(from, Math.min(rows.size(), from + 10_000)));
                session.executeWrite(tx -> tx.run(cypher, params).consume());
                progress.update(stage, Math.min(rows.size(), from + 10_000), rows.size());
            }
        }
    }

    private static void write(Driver driver, String cypher, Map<String, Object> params) {
        try (Session session = driver.session()) {
            session.executeWrite(tx -> tx.run(cypher, params).consume());
        }
    }

    private static long featureCount(Driver driver) {
        return single(driver, "MATCH (f:Feature {sae: $sae}) RETURN count(f) AS n");
    }

    private static long edgeCount(Driver driver) {
        return single(driver, "MATCH (:Feature {sae: $sae})-[e:DEPENDS]->() RETURN count(e) AS n");
    }

    private static long single(Driver driver, String cypher) {
        try (Session session = driver.session()) {
            return session.run(cypher, Map.of("sae", SyntheticAtlas.SAE)).single().get("n").asLong();
        }
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: IngestBenchmark naive|online|offline <new folder> [features] [edges]");
            System.exit(2);
        }
        Parameters p = new Parameters(args[0], args.length > 2 ? Integer.parseInt(args[2]) : 131_072,
                args.length > 3 ? Integer.parseInt(args[3]) : 1_000_000, 42);
        run(p, new Neo4jTarget(null, null, null, Path.of(args[1]), 0, 0, "1g"), System.out,
                new org.saeatlas.ingest.formats.ProgressPrinter(System.out));
    }
}
