package org.saeatlas.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.atlas.AtlasPlan;

/**
 * The Slurm batch scripts of an atlas plan: one job array per class of compute tasks (array index = the plan's task
 * index, so each element runs {@code atlas task ATLAS_FILE --index $SLURM_ARRAY_TASK_ID --out RESULTS}), a load job
 * that runs when every element succeeded ({@code --dependency=afterok}) and loads the task folders into the atlas's
 * Neo4j, then runs the tasks on the database (communities, matches, comparisons); and {@code submit.sh}, which
 * submits them in that order. Re-submitting resumes: finished task folders are skipped, loaded ones not reloaded.
 *
 * @param plan       the atlas plan
 * @param dir        where the scripts go (their logs go to {@code dir/logs})
 * @param results    the folder of task folders, on storage every node sees
 * @param database   the load's database arguments ({@code --data DIR} or {@code --neo4j-uri URI --neo4j-user U})
 * @param pageCacheMib the embedded database's page cache (memory of the load job), 0 for a server
 * @param java       the java executable on the nodes
 * @param classpath  the atlas's jar and libraries on the nodes
 * @param options    {@code #SBATCH} options for every job (partition, time, account, ...), without the prefix
 * @param maxRunning at most this many elements of an array run at once (0: no limit)
 */
record SlurmScripts(AtlasPlan plan, Path dir, Path results, List<String> database, long pageCacheMib, String java,
                    String classpath, List<String> options, int maxRunning) {

    static final String SUBMIT = "submit.sh";
    static final String LOAD = "load.sbatch";

    /** File name -> content, in submission order; submit.sh last. */
    Map<String, String> files() {
        for (Path p : List.of(dir, results, plan.file().file())) {
            if (p.toString().chars().anyMatch(Character::isWhitespace)) {
                throw new AtlasException("--slurm: " + p + " has a space in it; #SBATCH lines cannot quote paths,"
                        + " so choose folders without spaces");
            }
        }
        Map<String, String> files = new LinkedHashMap<>();
        List<ClusterResources.TaskClass> classes = ClusterResources.classes(plan);
        for (int k = 0; k < classes.size(); k++) {
            files.put(computeName(k), compute(classes.get(k)));
        }
        files.put(LOAD, load());
        files.put(SUBMIT, submit(classes.size()));
        return files;
    }

    static String computeName(int k) {
        return "compute-" + k + ".sbatch";
    }

    private String compute(ClusterResources.TaskClass c) {
        ClusterResources.Request r = c.request();
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("# SAE Feature Atlas: compute tasks of ").append(plan.file().file())
                .append(", one job array element per task (element = task index):\n");
        for (AtlasPlan.Task t : c.tasks()) {
            s.append(String.format("#   %4d  %-40s heap estimate %,d MiB, %d core(s)%n", t.index(), t.id(),
                    ClusterResources.mib(t.memoryEstimate()), t.cpus()));
        }
        s.append("# Written by `atlas plan --slurm`; submit with ").append(dir.resolve(SUBMIT))
                .append(" (it runs the load after these).\n");
        String array = c.indices().stream().map(String::valueOf).collect(Collectors.joining(","))
                + (maxRunning > 0 ? "%" + maxRunning : "");
        s.append("#SBATCH --job-name=atlas-compute\n");
        s.append("#SBATCH --array=").append(array).append('\n');
        s.append("#SBATCH --cpus-per-task=").append(r.cpus()).append('\n');
        s.append("#SBATCH --mem=").append(r.memoryMib()).append("M\n");
        s.append("#SBATCH --output=").append(dir.resolve("logs")).append("/compute-%A_%a.out\n");
        sbatchCommon(s);
        s.append(environment(r));
        s.append("# the compute engine's native library is unpacked once per node, on local disk\n");
        s.append("atlas task \"$ATLAS_FILE\" --index \"$SLURM_ARRAY_TASK_ID\" --out \"$RESULTS\" \\\n");
        s.append("    --threads \"${SLURM_CPUS_PER_TASK:-").append(r.cpus())
                .append("}\" --data \"${TMPDIR:-/tmp}/sae-atlas-$(id -u)\"\n");
        return s.toString();
    }

    private String load() {
        ClusterResources.Request r = ClusterResources.load(plan, pageCacheMib);
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("# SAE Feature Atlas: load the task folders of ").append(plan.file().file())
                .append(" into the atlas's Neo4j, then the\n# tasks on the database (")
                .append(databaseTasks()).append(").\n");
        s.append("# Submitted by ").append(dir.resolve(SUBMIT))
                .append(" to run once every compute task succeeded (--dependency=afterok).\n");
        if (database.contains("--neo4j-uri")) {
            s.append("# The server's password comes from NEO4J_PASSWORD in the environment sbatch was called from.\n");
        }
        s.append("#SBATCH --job-name=atlas-load\n");
        s.append("#SBATCH --cpus-per-task=").append(r.cpus()).append('\n');
        s.append("#SBATCH --mem=").append(r.memoryMib()).append("M\n");
        s.append("#SBATCH --output=").append(dir.resolve("logs")).append("/load-%j.out\n");
        sbatchCommon(s);
        s.append(environment(r));
        s.append("atlas load \"$ATLAS_FILE\" --from \"$RESULTS\"");
        for (String a : database) {
            s.append(' ').append(Shell.quote(a));
        }
        s.append('\n');
        return s.toString();
    }

    private String databaseTasks() {
        Map<AtlasPlan.Kind, Long> n = plan.tasks().stream().filter(t -> !t.kind().compute())
                .collect(Collectors.groupingBy(AtlasPlan.Task::kind, LinkedHashMap::new, Collectors.counting()));
        if (n.isEmpty()) {
            return "none in this plan";
        }
        List<String> parts = new ArrayList<>();
        n.forEach((k, c) -> parts.add(c + " " + switch (k) {
            case ANALYSE -> "communities";
            case MATCH -> "match";
            case COMPARE -> "comparison";
            case CONNECT -> "connection";
            default -> k.name().toLowerCase(Locale.ROOT);
        }));
        return String.join(", ", parts);
    }

    private void sbatchCommon(StringBuilder s) {
        // a preempted job goes back to the queue; its log goes on where it stopped
        s.append("#SBATCH --requeue\n#SBATCH --open-mode=append\n");
        for (String o : options) {
            s.append("#SBATCH ").append(o).append('\n');
        }
    }

    private String environment(ClusterResources.Request r) {
        return "set -euo pipefail\n"
                + "ATLAS_FILE=" + Shell.quote(plan.file().file().toString()) + "\n"
                + "RESULTS=" + Shell.quote(results.toString()) + "\n"
                + "JAVA=${JAVA:-" + Shell.quote(java) + "}\n"
                + "ATLAS_CLASSPATH=${ATLAS_CLASSPATH:-" + Shell.quote(classpath) + "}\n"
                + "atlas() {\n"
                + "  \"$JAVA\" " + r.jvmOptions() + " -cp \"$ATLAS_CLASSPATH\" org.saeatlas.cli.Main \"$@\"\n"
                + "}\n";
    }

    private String submit(int arrays) {
        StringBuilder s = new StringBuilder("#!/usr/bin/env bash\n");
        s.append("# Submits the atlas build of ").append(plan.file().file()).append(": ")
                .append(plan.computeCount()).append(" compute task(s) as ").append(arrays)
                .append(" job array(s),\n# then the load job, which runs once every element succeeded (afterok).\n");
        s.append("# Run it again after a time limit, a preemption or a failed task: finished task folders are kept and\n"
                + "# skipped, what is loaded is not loaded again. Written by `atlas plan --slurm`.\n");
        s.append("set -euo pipefail\n");
        s.append("here=$(cd \"$(dirname \"$0\")\" && pwd)\n");
        s.append("mkdir -p \"$here/logs\" ").append(Shell.quote(results.toString())).append('\n');
        s.append("compute=()\n");
        for (int k = 0; k < arrays; k++) {
            s.append("compute+=(\"$(sbatch --parsable \"$here/").append(computeName(k))
                    .append("\" | cut -d';' -f1)\")\n");
        }
        s.append("after=$(IFS=:; echo \"${compute[*]}\")\n");
        s.append("load=$(sbatch --parsable --dependency=\"afterok:$after\" --kill-on-invalid-dep=yes \"$here/")
                .append(LOAD).append("\" | cut -d';' -f1)\n");
        s.append("echo \"compute: ${compute[*]}\"\n");
        s.append("echo \"load: $load (after every compute task succeeded)\"\n");
        s.append("echo \"follow: squeue -j $(IFS=,; echo \"${compute[*]},$load\")   logs: $here/logs\"\n");
        return s.toString();
    }
}
