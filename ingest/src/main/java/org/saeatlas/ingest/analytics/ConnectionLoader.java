package org.saeatlas.ingest.analytics;

import static org.saeatlas.schema.Vocabulary.featureId;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;
import org.saeatlas.compute.AtlasException;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.connections.Connection;
import org.saeatlas.compute.connections.ConnectionGraph;
import org.saeatlas.compute.connections.ConnectionParameters;
import org.saeatlas.compute.connections.ConnectionResult;
import org.saeatlas.compute.connections.FeatureLinearity;
import org.saeatlas.compute.connections.NonlinearBaseline;
import org.saeatlas.compute.fdr.FdrTable;
import org.saeatlas.ingest.Checksums;
import org.saeatlas.ingest.ProgressPrinter;
import org.saeatlas.ingest.SaeLoader;
import org.saeatlas.schema.Vocabulary;

/**
 * Computes the sparse connections from the features of an upstream SAE A to those of a downstream SAE B
 * ({@link ConnectionGraph}) and stores them as a run of kind {@value Vocabulary#KIND_CONNECTION} with
 * {@code saes = [A, B]}:
 * {@code (:Feature)-[:CONNECTS {run, weight, standardisedWeight, replicates, nullReplicates, signConsistency,
 * stable}]->(:Feature)} from upstream to downstream, and per evaluated downstream feature
 * {@code (:Feature)-[:LINEARITY {run, linearR2, nonlinearR2, lossDifference, linear, inputs, terms}]->(:Run)}. The run
 * keeps its parameters, FDR table, r*, linear threshold, nonlinear baseline and the share of linear features.
 *
 * <p>The atlas protocol: the run id is a digest of its content (both SAEs, parameters, baseline, both activation
 * files' checksums, software); the run is {@code loading} while edges are written and {@code complete} after; loading
 * the same content again is a no-op, and an interrupted load is redone from scratch.
 */
public final class ConnectionLoader {
    private final Statements db;
    private final PrintStream out;
    private final Progress progress;

    public ConnectionLoader(org.neo4j.driver.Driver driver, PrintStream out) {
        this.db = new Statements(driver);
        this.out = out;
        this.progress = new ProgressPrinter(out);
    }

    /** One row of the run's linear-share table. */
    public record Summary(String run, String saeA, String saeB, boolean computed, long connections, long stable,
                          Integer rStar, long evaluated, long linear, double linearThreshold, double seconds) {
        /** Share of evaluated downstream features flagged linear, NaN when none was evaluated. */
        public double linearShare() {
            return evaluated == 0 ? Double.NaN : linear / (double) evaluated;
        }
    }

    public Summary load(String saeA, SparseActivations xa, String saeB, SparseActivations xb,
                        ConnectionParameters params, NonlinearBaseline baseline) {
        long t0 = System.nanoTime();
        if (saeA.equals(saeB)) {
            throw new AtlasException("connections: upstream and downstream SAE are both " + saeA
                    + "; expected two different SAEs (e.g. consecutive layers)");
        }
        checkWidth(saeA, xa);
        checkWidth(saeB, xb);
        if (xa.tokens() != xb.tokens()) {
            throw new AtlasException("connections: activations of " + saeA + " have " + xa.tokens()
                    + " tokens but those of " + saeB + " have " + xb.tokens()
                    + "; both must cover the same tokens in the same order");
        }
        Map<String, Object> identity = new LinkedHashMap<>(params.asMap());
        identity.put("baseline", baseline.name());
        String inputs = Checksums.of(Checksums.of(xa), Checksums.of(xb));
        String runId = "connection-" + Checksums.of(saeA, saeB, RunAnalysis.json(identity), inputs,
                SaeLoader.SOFTWARE).substring(0, 16);
        String status = begin(runId, saeA, saeB, identity, inputs, params.linearThreshold());
        if (Vocabulary.STATUS_COMPLETE.equals(status)) {
            Value r = db.read("MATCH (r:Run {id: $id}) RETURN r", Map.of("id", runId)).get(0).get("r");
            out.println("  connection run " + runId + " (" + saeA + " -> " + saeB + ") already loaded");
            return new Summary(runId, saeA, saeB, false, r.get("edgeCount").asLong(), r.get("stableConnections").asLong(),
                    r.get("rStar").isNull() ? null : r.get("rStar").asInt(), r.get("linearEvaluated").asLong(),
                    r.get("linearFeatures").asLong(), r.get("linearThreshold").asDouble(), 0);
        }
        db.auto("""
                MATCH ()-[e:CONNECTS {run: $run}]->()
                CALL { WITH e DELETE e } IN TRANSACTIONS OF 10000 ROWS""", Map.of("run", runId));
        db.auto("""
                MATCH ()-[e:LINEARITY {run: $run}]->()
                CALL { WITH e DELETE e } IN TRANSACTIONS OF 10000 ROWS""", Map.of("run", runId));
        ConnectionResult res = ConnectionGraph.run(xa, xb, params, baseline, progress);
        db.batched("connections " + saeA + " -> " + saeB, res.connections(), """
                UNWIND $rows AS row
                MATCH (a:Feature {id: row.a}), (b:Feature {id: row.b})
                CREATE (a)-[e:CONNECTS]->(b)
                SET e.run = $run, e.weight = row.weight, e.standardisedWeight = row.standardised,
                    e.replicates = row.replicates, e.nullReplicates = row.nullReplicates,
                    e.signConsistency = row.signConsistency, e.stable = row.stable""",
                Map.of("run", runId), c -> connectionRow(saeA, saeB, c), progress);
        db.batched("linearity of " + saeB, res.linearity(), """
                UNWIND $rows AS row
                MATCH (f:Feature {id: row.f}), (r:Run {id: $run})
                CREATE (f)-[l:LINEARITY]->(r)
                SET l.run = $run, l.linearR2 = row.linearR2, l.nonlinearR2 = row.nonlinearR2,
                    l.lossDifference = row.lossDifference, l.linear = row.linear, l.inputs = row.inputs,
                    l.terms = row.terms""",
                Map.of("run", runId), l -> linearityRow(saeB, l), progress);
        long stable = res.stable().size();
        Map<String, Object> done = new HashMap<>();
        done.put("id", runId);
        done.put("complete", Vocabulary.STATUS_COMPLETE);
        done.put("edges", res.connections().size());
        done.put("stable", stable);
        done.put("rStar", res.fdrTable().rStar().isPresent() ? res.fdrTable().rStar().getAsInt() : null);
        done.put("fdr", RunAnalysis.json(fdrRows(res.fdrTable())));
        done.put("evaluated", res.linearity().size());
        done.put("linear", res.linearCount());
        done.put("share", res.linearity().isEmpty() ? null : res.linearShare());
        done.put("obsMean", res.observedTrialMeanConnections());
        done.put("nullMean", res.nullTrialMeanConnections());
        done.put("tokens", res.tokens());
        db.write("""
                MATCH (r:Run {id: $id})
                SET r.edgeCount = $edges, r.stableConnections = $stable, r.rStar = $rStar, r.fdrTable = $fdr,
                    r.linearEvaluated = $evaluated, r.linearFeatures = $linear, r.linearShare = $share,
                    r.observedTrialMeanConnections = $obsMean, r.nullTrialMeanConnections = $nullMean,
                    r.tokens = $tokens, r.status = $complete, r.completedAt = toString(datetime())""", done);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Integer rStar = res.fdrTable().rStar().isPresent() ? res.fdrTable().rStar().getAsInt() : null;
        out.printf(Locale.ROOT, "  connections %s -> %s: %,d seen, %,d stable (r* = %s), %d of %d downstream features"
                        + " linear (%.1fs)%n", saeA, saeB, res.connections().size(), stable,
                rStar == null ? "none" : rStar, res.linearCount(), res.linearity().size(), seconds);
        return new Summary(runId, saeA, saeB, true, res.connections().size(), stable, rStar, res.linearity().size(),
                res.linearCount(), params.linearThreshold(), seconds);
    }

    /** The linear-share table of several runs, in the published layout. */
    public static String table(List<Summary> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-24s %-24s %10s %8s %8s %13s%n",
                "upstream", "downstream", "connections", "stable", "linear", "share linear"));
        for (Summary s : rows) {
            sb.append(String.format(Locale.ROOT, "%-24s %-24s %10d %8d %8s %13s%n", s.saeA(), s.saeB(),
                    s.connections(), s.stable(), s.linear() + "/" + s.evaluated(),
                    s.evaluated() == 0 ? "not computed" : String.format(Locale.ROOT, "%.1f%%", 100 * s.linearShare())));
        }
        if (!rows.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "linear: the nonlinear baseline gains less than %s of the feature's"
                    + " variance on held-out tokens%n", rows.get(0).linearThreshold()));
        }
        return sb.toString();
    }

    private void checkWidth(String sae, SparseActivations x) {
        List<Record> rows = db.read("MATCH (s:Sae {id: $id}) RETURN s.width AS width", Map.of("id", sae));
        if (rows.isEmpty()) {
            throw new AtlasException("SAE " + sae + " is not in the atlas; add it with `atlas build` first");
        }
        int width = rows.get(0).get("width").asInt();
        if (x.featureCount() != width) {
            throw new AtlasException("SAE " + sae + ": activations have " + x.featureCount()
                    + " feature columns but the SAE has width " + width);
        }
    }

    private String begin(String runId, String saeA, String saeB, Map<String, Object> identity, String inputs,
                         double threshold) {
        List<Record> rows = db.writeReturning("""
                MATCH (sa:Sae {id: $a}), (sb:Sae {id: $b})
                MERGE (r:Run {id: $id})
                ON CREATE SET r.kind = $kind, r.sae = $a, r.saeB = $b, r.saes = [$a, $b], r.method = $method,
                              r.parameters = $parameters, r.software = $software, r.inputSha256 = $inputs,
                              r.linearThreshold = $threshold, r.baseline = $baseline,
                              r.status = $loading, r.createdAt = toString(datetime())
                MERGE (r)-[:ON_SAE]->(sa)
                MERGE (r)-[:ON_SAE]->(sb)
                RETURN r.status AS status""", RunAnalysis.params("a", saeA, "b", saeB, "id", runId,
                "kind", Vocabulary.KIND_CONNECTION, "method", "sparse_lasso", "parameters", RunAnalysis.json(identity),
                "software", SaeLoader.SOFTWARE, "inputs", inputs, "threshold", threshold,
                "baseline", identity.get("baseline"), "loading", Vocabulary.STATUS_LOADING));
        if (rows.isEmpty()) {
            throw new AtlasException("connections " + saeA + " -> " + saeB + ": both SAEs must be in the atlas first"
                    + " (load them with `atlas build` or the demo)");
        }
        return rows.get(0).get("status").asString();
    }

    private static Map<String, Object> connectionRow(String saeA, String saeB, Connection c) {
        Map<String, Object> m = new HashMap<>();
        m.put("a", featureId(saeA, c.upstream()));
        m.put("b", featureId(saeB, c.downstream()));
        m.put("weight", c.weight());
        m.put("standardised", c.standardised());
        m.put("replicates", c.replicates());
        m.put("nullReplicates", c.nullReplicates());
        m.put("signConsistency", c.signConsistency());
        m.put("stable", c.stable());
        return m;
    }

    private static Map<String, Object> linearityRow(String saeB, FeatureLinearity l) {
        Map<String, Object> m = new HashMap<>();
        m.put("f", featureId(saeB, l.feature()));
        m.put("linearR2", l.linearR2());
        m.put("nonlinearR2", l.nonlinearR2());
        m.put("lossDifference", l.lossDifference());
        m.put("linear", l.linear());
        m.put("inputs", l.inputs());
        m.put("terms", l.terms());
        return m;
    }

    private static List<Map<String, Object>> fdrRows(FdrTable table) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (FdrTable.Row r : table.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("r", r.r());
            m.put("observed", r.observed());
            m.put("expectedNull", r.expectedNull());
            m.put("fdrEstimate", Double.isFinite(r.fdrEst()) ? r.fdrEst() : null);
            rows.add(m);
        }
        return rows;
    }
}
