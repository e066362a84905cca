package org.saeatlas.ingest.atlas;

import org.saeatlas.compute.AtlasException;

/**
 * The one hook for {@link AtlasPlan.Kind#CONNECT} tasks: layer-to-layer connections from an upstream SAE to a
 * downstream one. Not available in this build: an atlas file with {@code connections:} is refused before any work
 * starts. The connections work fills in {@link #AVAILABLE} and {@link #run}.
 */
public final class ConnectStep {

    /** Whether this build can compute connections. */
    public static final boolean AVAILABLE = false;

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
    public static java.util.List<String> run(AtlasPlan.Task task, AtlasBuild.Context context) {
        throw new AtlasException("connections are not available in this build (task " + task.id() + ")");
    }
}
