package org.saeatlas.ingest.atlas;

import java.io.PrintStream;
import java.nio.file.Path;
import org.saeatlas.compute.ComputeEngine;
import org.saeatlas.ingest.db.AtlasDatabase;

/** Runs the tasks of an atlas plan: compute into task folders, load them, then the tasks on the database. */
public final class AtlasBuild {

    /**
     * What a task on the database works with.
     *
     * @param plan    the plan
     * @param keys    every task's key
     * @param results the folder of task folders and state
     * @param db      the atlas database
     * @param engine  the compute engine (encoding, decoder cosine)
     * @param out     where the task prints
     */
    public record Context(AtlasPlan plan, TaskKeys keys, Path results, AtlasDatabase db, ComputeEngine engine,
                          PrintStream out) { }
}
