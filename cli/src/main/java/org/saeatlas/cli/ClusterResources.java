package org.saeatlas.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.ingest.atlas.AtlasPlan;

/**
 * What a scheduler is asked for, per compute task of an atlas plan, from the plan's estimates: the JVM heap
 * ({@code -Xmx}), the memory the job may use (heap plus the JVM's own: native compute library, metaspace, thread
 * stacks, and for the load the embedded Neo4j's page cache) and its cores. Tasks asking for the same are one class:
 * one Slurm job array each.
 */
final class ClusterResources {

    /** Smallest heap a task gets: the JVM, the compute engine and a small SAE fit in it. */
    static final long MIN_HEAP_MIB = 1024;
    /** Smallest heap of the load job: embedded Neo4j, matches and comparisons of two SAEs. */
    static final long MIN_LOAD_HEAP_MIB = 2048;
    /** JVM options every job runs with (the ./atlas launcher's, without its heap). */
    static final String JVM_OPTIONS = "-XX:+UseParallelGC -Dai.djl.offline=true"
            + " --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED";

    private ClusterResources() {
    }

    /** One job's request: heap for -Xmx and memory for the scheduler, both in MiB, and cores. */
    record Request(long heapMib, long memoryMib, int cpus) {

        String jvmOptions() {
            return "-Xmx" + heapMib + "m " + JVM_OPTIONS;
        }
    }

    /** Compute tasks that ask for the same, in plan order. */
    record TaskClass(Request request, List<AtlasPlan.Task> tasks) {

        /** The plan indices of its tasks: Slurm array indices. */
        List<Integer> indices() {
            return tasks.stream().map(AtlasPlan.Task::index).toList();
        }
    }

    /** A compute task's request: its heap estimate rounded up to 256 MiB (at least 1 GiB), plus JVM overhead. */
    static Request of(AtlasPlan.Task task) {
        long heap = roundUp(Math.max(MIN_HEAP_MIB, mib(task.memoryEstimate())));
        return new Request(heap, heap + overhead(heap), Math.max(1, task.cpus()));
    }

    /**
     * The load job's request: at least 2 GiB of heap and as much as the largest compute task (matches hold two SAEs'
     * decoders), the page cache of the embedded database on top, and the most cores any task uses.
     */
    static Request load(AtlasPlan plan, long pageCacheMib) {
        long heap = MIN_LOAD_HEAP_MIB;
        int cpus = 2;
        for (AtlasPlan.Task t : plan.computeTasks()) {
            Request r = of(t);
            heap = Math.max(heap, r.heapMib());
            cpus = Math.max(cpus, r.cpus());
        }
        return new Request(heap, heap + overhead(heap) + pageCacheMib, cpus);
    }

    /** The compute tasks grouped by request, classes in order of their first task. */
    static List<TaskClass> classes(AtlasPlan plan) {
        Map<Request, List<AtlasPlan.Task>> by = new LinkedHashMap<>();
        for (AtlasPlan.Task t : plan.computeTasks()) {
            by.computeIfAbsent(of(t), r -> new ArrayList<>()).add(t);
        }
        List<TaskClass> out = new ArrayList<>();
        by.forEach((r, ts) -> out.add(new TaskClass(r, List.copyOf(ts))));
        return out;
    }

    /** The largest request of any compute task (a Kubernetes indexed Job has one pod template for all). */
    static Request largest(AtlasPlan plan) {
        long heap = MIN_HEAP_MIB;
        int cpus = 1;
        for (AtlasPlan.Task t : plan.computeTasks()) {
            Request r = of(t);
            heap = Math.max(heap, r.heapMib());
            cpus = Math.max(cpus, r.cpus());
        }
        return new Request(heap, heap + overhead(heap), cpus);
    }

    /** Memory beside the heap: a quarter of it, at least 512 MiB. */
    static long overhead(long heapMib) {
        return Math.max(512, heapMib / 4);
    }

    static long mib(long bytes) {
        return (bytes + (1L << 20) - 1) >> 20;
    }

    private static long roundUp(long mib) {
        return (mib + 255) / 256 * 256;
    }
}
