package org.saeatlas.ingest.atlas;

import java.util.List;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.compute.SparseActivations;
import org.saeatlas.compute.connections.ConnectionParameters;
import org.saeatlas.ingest.analytics.ConnectionLoader;
import org.saeatlas.ingest.formats.ActivationFiles;
import org.saeatlas.ingest.formats.SaeLensFolder;

/**
 * The one hook for {@link AtlasPlan.Kind#CONNECT} tasks: layer-to-layer connections from an upstream SAE to a
 * downstream one ({@link ConnectionLoader}, as {@code ./atlas connect}), from both SAEs' activations (their
 * {@code activations} files, or their {@code residuals} encoded through their SAELens weights). The nonlinear
 * baseline is trained on the build's engine ({@link org.saeatlas.compute.engine.ComputeEngine#mlp}): with DJL's PyTorch
 * engine when the build runs on it ({@code --device auto|cpu|gpu} and the engine loads), in Java with
 * {@code --device java}; the run records which ({@code baseline}).
 */
public final class ConnectStep {

    /** Whether this build can compute connections. */
    public static final boolean AVAILABLE = true;

    private ConnectStep() {
    }

    /** Refuses a plan with CONNECT tasks when connections are not available (before any work starts). */
    public static void checkAvailable(AtlasPlan plan) {
        if (!AVAILABLE && plan.tasks().stream().anyMatch(t -> t.kind() == AtlasPlan.Kind.CONNECT)) {
            throw new AtlasException(plan.file().file() + ": connections are not available in this build; remove"
                    + " the connections: section (" + plan.tasks().stream()
                    .filter(t -> t.kind() == AtlasPlan.Kind.CONNECT).count() + " CONNECT tasks) to build the rest");
        }
    }

    /**
     * Computes and stores the connections of {@code task} (kind CONNECT: {@code saes() = [upstream, downstream]}),
     * after both SAEs are loaded; returns the ids of the runs it stored (for the task's done marker).
     */
    public static List<String> run(AtlasPlan.Task task, AtlasBuild.Context context) {
        if (task.kind() != AtlasPlan.Kind.CONNECT || task.saes().size() != 2) {
            throw new AtlasException("task " + task.id() + " is not a connection task (expected kind CONNECT with an"
                    + " upstream and a downstream SAE)");
        }
        AtlasFile file = context.plan().file();
        AtlasFile.Sae up = file.sae(task.saes().get(0));
        AtlasFile.Sae down = file.sae(task.saes().get(1));
        int threads = Runtime.getRuntime().availableProcessors();
        SparseActivations xa = activations(up, context, threads);
        SparseActivations xb = activations(down, context, threads);
        ConnectionParameters p = ConnectionParameters.defaults().withThreads(threads);
        ConnectionLoader.Summary s = new ConnectionLoader(context.db().cypher(), context.out())
                .load(up.id(), xa, down.id(), xb, p, context.engine().mlp(p.hidden(), p.epochs()));
        context.out().print(ConnectionLoader.table(List.of(s)));
        return List.of(s.run());
    }

    private static SparseActivations activations(AtlasFile.Sae s, AtlasBuild.Context context, int threads) {
        if (s.inputs().activations() != null) {
            return ActivationFiles.read(s.inputs().activations());
        }
        if (s.inputs().residuals() != null && s.inputs().saelens() != null) {
            return SaeTaskInput.encode(s, SaeLensFolder.read(s.inputs().saelens()), context.engine(), threads,
                    context.out()).activations();
        }
        throw new AtlasException("connections from SAE " + s.id() + ": it has neither activations nor residuals with"
                + " SAELens weights in the atlas file; connections need its activations over the shared tokens");
    }
}
