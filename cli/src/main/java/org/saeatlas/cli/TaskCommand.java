package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.saeatlas.compute.engine.ComputeEngine;
import org.saeatlas.ingest.atlas.AtlasBuild;
import org.saeatlas.ingest.atlas.AtlasPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "task", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compute one task of an atlas file (a SAE: statistics, co-activation, decoder cosine, stable"
            + " dependence graph) into its task folder under --out, without a database: one element of a Slurm job"
            + " array or Kubernetes indexed Job. Compute tasks are numbered 0..N-1 in file order (`./atlas status`"
            + " lists them); a task whose folder exists is not computed again. Then `./atlas load atlas.yaml --from"
            + " RESULTS` loads them.",
            "Example: ./atlas task atlas.yaml --index $SLURM_ARRAY_TASK_ID --out /shared/atlas-results"})
class TaskCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ATLAS_FILE", description = "The atlas file (atlas.yaml).")
    Path file;

    @Option(names = "--index", required = true, paramLabel = "I", description = "Compute task index, 0-based.")
    int index;

    @Option(names = "--out", required = true, paramLabel = "RESULTS", description = "Folder of the task folders"
            + " (shared storage on a cluster); the task folder appears in it complete or not at all.")
    Path out;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads [all cores].")
    Integer threads;

    @Option(names = "--data", defaultValue = "${env:ATLAS_DATA:-atlas-data}",
            description = "Data folder, for the compute engine's native cache (default: ${DEFAULT-VALUE}).")
    Path data;

    @Mixin
    DeviceOptions device;

    @Override
    public Integer call() {
        AtlasPlan plan = AtlasFileOptions.plan(file);
        AtlasPlan.Task task = plan.computeTask(index);
        int t = threads != null ? Math.max(1, threads) : Runtime.getRuntime().availableProcessors();
        try (ComputeEngine engine = device.engine(data, t)) {
            AtlasBuild build = new AtlasBuild(plan, out, engine, System.out);
            Path folder = build.compute(task, t, System.out);
            System.out.println("task " + index + " (" + task.id() + ") done: " + folder);
        }
        return 0;
    }
}
