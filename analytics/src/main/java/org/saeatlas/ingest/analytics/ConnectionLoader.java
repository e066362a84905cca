package org.saeatlas.ingest.analytics;

import org.saeatlas.schema.AtlasVersion;
import static org.saeatlas.schema.Vocabulary.featureId;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.db.CypherExecutor;
import org.saeatlas.ingest.db.CypherRow;
import org.saeatlas.ingest.store.Rows;
import org.saeatlas.ingest.store.RunLoading;
import org.saeatlas.compute.Progress;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.connections.Connection;
import org.saeatlas.compute.connections.ConnectionGraph;
import org.saeatlas.compute.connections.ConnectionParameters;
import org.saeatlas.compute.connections.ConnectionResult;
import org.saeatlas.compute.connections.FeatureLinearity;
import org.saeatlas.compute.connections.NonlinearBaseline;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.ingest.formats.ProgressPrinter;
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
    private final CypherExecutor db;
    private final PrintStream out;
    private final Progress progress;
    private final RunLoading loading;

    public ConnectionLoader(CypherExecutor db, PrintStream out) {
        this.db = db;
        this.out = out;
        this.progress = new ProgressPrinter(out);
        this.loading = new RunLoading(db, progress);
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
                AtlasVersion.SOFTWARE).substring(0, 16);
        RunLoading.Load load = begin(runId, saeA, saeB, identity, inputs, params.linearThreshold());
        if (load.alreadyComplete()) {
            CypherRow r = new CypherRow(load.stored());
            out.println("  connection run " + runId + " (" + saeA + " -> " + saeB + ") already loaded");
            return new Summary(runId, saeA, saeB, false, r.asLong("edgeCount"), r.asLong("stableConnections"),
                    r.intOrNull("rStar"), r.asLong("linearEvaluated"), r.asLong("linearFeatures"),
                    r.asDouble("linearThreshold"), 0);
        }
        load.clearEdges(List.of(Vocabulary.CONNECTS, Vocabulary.LINEARITY));
        ConnectionResult res = ConnectionGraph.run(xa, xb, params, baseline, progress);
        loading.write("connections " + saeA + " -> " + saeB, res.connections(), """
                UNWIND $rows AS row
                MATCH (a:Feature {id: row.a}), (b:Feature {id: row.b})
                CREATE (a)-[e:CONNECTS]->(b)
                SET e.run = $run, e.weight = row.weight, e.standardisedWeight = row.standardised,
                    e.replicates = row.replicates, e.nullReplicates = row.nullReplicates,
                    e.signConsistency = row.signConsistency, e.stable = row.stable""",
                Map.of("run", runId), c -> connectionRow(saeA, saeB, c));
        loading.write("linearity of " + saeB, res.linearity(), """
                UNWIND $rows AS row
                MATCH (f:Feature {id: row.f}), (r:Run {id: $run})
                CREATE (f)-[l:LINEARITY]->(r)
                SET l.run = $run, l.linearR2 = row.linearR2, l.nonlinearR2 = row.nonlinearR2,
                    l.lossDifference = row.lossDifference, l.linear = row.linear, l.inputs = row.inputs,
                    l.terms = row.terms""",
                Map.of("run", runId), l -> linearityRow(saeB, l));
        long stable = res.stable().size();
        Map<String, Object> done = new HashMap<>();
        done.put("edgeCount", res.connections().size());
        done.put("stableConnections", stable);
        done.put("rStar", res.fdrTable().rStar().isPresent() ? res.fdrTable().rStar().getAsInt() : null);
        done.put("fdrTable", RunAnalysis.json(Rows.fdrRows(res.fdrTable(), false)));
        done.put("linearEvaluated", res.linearity().size());
        done.put("linearFeatures", res.linearCount());
        done.put("linearShare", res.linearity().isEmpty() ? null : res.linearShare());
        done.put("observedTrialMeanConnections", res.observedTrialMeanConnections());
        done.put("nullTrialMeanConnections", res.nullTrialMeanConnections());
        done.put("tokens", res.tokens());
        load.complete(done);
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
        List<CypherRow> rows = CypherRow.of(db.read("MATCH (s:Sae {id: $id}) RETURN s.width AS width",
                Map.of("id", sae)));
        if (rows.isEmpty()) {
            throw new AtlasException("SAE " + sae + " is not in the atlas; add it with `atlas build` first");
        }
        int width = rows.get(0).asInt("width");
        if (x.featureCount() != width) {
            throw new AtlasException("SAE " + sae + ": activations have " + x.featureCount()
                    + " feature columns but the SAE has width " + width);
        }
    }

    private RunLoading.Load begin(String runId, String saeA, String saeB, Map<String, Object> identity,
                                  String inputs, double threshold) {
        return loading.begin("Run", runId, """
                MATCH (sa:Sae {id: $a}), (sb:Sae {id: $b})
                MERGE (r:Run {id: $id})
                ON CREATE SET r.kind = $kind, r.sae = $a, r.saeB = $b, r.saes = [$a, $b], r.method = $method,
                              r.parameters = $parameters, r.software = $software, r.inputSha256 = $inputs,
                              r.linearThreshold = $threshold, r.baseline = $baseline,
                              r.status = $loading, r.createdAt = toString(datetime())
                MERGE (r)-[:ON_SAE]->(sa)
                MERGE (r)-[:ON_SAE]->(sb)
                RETURN r.status AS status""", RunAnalysis.params("a", saeA, "b", saeB,
                "kind", Vocabulary.KIND_CONNECTION, "method", "sparse_lasso", "parameters", RunAnalysis.json(identity),
                "software", AtlasVersion.SOFTWARE, "inputs", inputs, "threshold", threshold,
                "baseline", identity.get("baseline")),
                () -> "connections " + saeA + " -> " + saeB + ": both SAEs must be in the atlas first"
                        + " (load them with `atlas build` or the demo)");
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

}
