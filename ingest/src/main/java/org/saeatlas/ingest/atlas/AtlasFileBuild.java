package org.saeatlas.ingest.atlas;

import java.io.PrintStream;
import java.nio.file.Path;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.ingest.db.AtlasDatabase;
import org.saeatlas.ingest.db.Neo4jTarget;

/**
 * An atlas file built ({@code ./atlas build atlas.yaml}, {@code ./atlas load}, {@code ./atlas demo}): the compute
 * tasks that are missing computed into {@code results} (unless the request only loads), then the database opened,
 * every finished task folder loaded and the database tasks run ({@link AtlasBuild}).
 */
public final class AtlasFileBuild {

    /**
     * The plan, its results folder, compute tasks at once ({@code jobs}; 0: compute nothing, load what
     * {@code results} holds) within {@code memoryBudget} bytes, and whether the database stays open for the caller
     * (to serve it) or is closed when the build ends.
     */
    public record Request(AtlasPlan plan, Path results, int jobs, long memoryBudget, boolean keepOpen) {
    }

    /** The build (its outcomes and summary) and the database, open when the request kept it open, else null. */
    public record Result(AtlasBuild build, AtlasDatabase database) {
    }

    private final Neo4jTarget target;
    private final PrintStream out;

    public AtlasFileBuild(Neo4jTarget target, PrintStream out) {
        this.target = target;
        this.out = out;
    }

    public Result run(Request r, ComputeEngine engine) {
        AtlasBuild build = new AtlasBuild(r.plan(), r.results(), engine, out);
        if (r.jobs() > 0) {
            build.computeMissing(r.jobs(), r.memoryBudget());
            out.println("opening Neo4j " + (target.embedded() ? "(embedded, " + target.dataDir() + ")" : target.uri())
                    + " ...");
        }
        AtlasDatabase db = AtlasDatabase.open(target);
        try {
            build.loadAndRun(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        if (!r.keepOpen()) {
            db.close();
            db = null;
        }
        return new Result(build, db);
    }
}
