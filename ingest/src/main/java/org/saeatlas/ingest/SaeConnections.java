package org.saeatlas.ingest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.connections.ConnectionParameters;
import org.saeatlas.compute.connections.NonlinearBaseline;
import org.saeatlas.ingest.analytics.ConnectionLoader;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.Neo4jTarget;
import org.saeatlas.ingest.formats.ActivationFiles;

/**
 * Sparse connections from an upstream SAE's features to a downstream SAE's, from both SAEs' activations over the same
 * tokens ({@code ./atlas connect}): a connection run ({@link ConnectionLoader}).
 */
public final class SaeConnections {

    /** The upstream SAE A and downstream SAE B, their activation files, and the connection parameters. */
    public record Request(String saeA, Path activationsA, String saeB, Path activationsB,
            ConnectionParameters params) {
    }

    private final Neo4jTarget target;
    private final PrintStream out;

    public SaeConnections(Neo4jTarget target, PrintStream out) {
        this.target = target;
        this.out = out;
    }

    /**
     * Reads both activations, makes the nonlinear baseline with {@code baselines} (given the parameters; it may
     * refuse), stores the run and returns its summary.
     */
    public ConnectionLoader.Summary connect(Request r, Function<ConnectionParameters, NonlinearBaseline> baselines) {
        SparseActivations xa = ActivationFiles.read(r.activationsA());
        SparseActivations xb = ActivationFiles.read(r.activationsB());
        NonlinearBaseline model = baselines.apply(r.params());
        try (AtlasDatabase db = AtlasDatabase.open(target)) {
            return new ConnectionLoader(db.cypher(), out).load(r.saeA(), xa, r.saeB(), xb, r.params(), model);
        }
    }
}
