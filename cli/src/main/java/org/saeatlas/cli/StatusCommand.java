package org.saeatlas.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.saeatlas.ingest.atlas.AtlasFile;
import org.saeatlas.ingest.atlas.AtlasPlan;
import org.saeatlas.ingest.atlas.TaskKeys;
import org.saeatlas.ingest.atlas.TaskState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Each task of an atlas file: built, stale (an input file's checksum or a setting changed:"
            + " says which), failed (the error's first line) or missing. Reads the results folder only (no database).",
            "Example: ./atlas status atlas.yaml",
            "Example: ./atlas status atlas.yaml --json --results /shared/atlas-results"})
class StatusCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ATLAS_FILE", description = "The atlas file (atlas.yaml).")
    Path file;

    @Option(names = "--json", description = "One JSON object: the tasks with their state and detail, and counts.")
    boolean json;

    @Option(names = "--results", paramLabel = "DIR", description = "Folder of the task folders (default: --data/results).")
    Path results;

    @Option(names = "--data", defaultValue = "${env:ATLAS_DATA:-atlas-data}",
            description = "Data folder (default: ${DEFAULT-VALUE}; env ATLAS_DATA).")
    Path data;

    @Override
    public Integer call() throws Exception {
        AtlasPlan plan = AtlasPlan.of(AtlasFile.read(file));
        Path dir = AtlasFileOptions.results(results, data);
        TaskKeys keys = new TaskKeys(plan, dir);
        List<TaskState.Status> status = TaskState.status(plan, keys, dir);
        Map<TaskState.State, Integer> counts = new EnumMap<>(TaskState.State.class);
        for (TaskState.State s : TaskState.State.values()) {
            counts.put(s, 0);
        }
        for (TaskState.Status s : status) {
            counts.merge(s.state(), 1, Integer::sum);
        }
        if (json) {
            List<Map<String, Object>> tasks = new ArrayList<>();
            for (TaskState.Status s : status) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", s.task().index());
                m.put("id", s.task().id());
                m.put("kind", s.task().kind().name().toLowerCase(Locale.ROOT));
                m.put("state", s.state().name().toLowerCase(Locale.ROOT));
                m.put("detail", s.detail());
                m.put("key", keys.key(s.task().id()));
                m.put("dependsOn", s.task().dependsOn());
                tasks.add(m);
            }
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("file", file.toString());
            all.put("results", dir.toString());
            Map<String, Integer> c = new LinkedHashMap<>();
            counts.forEach((k, v) -> c.put(k.name().toLowerCase(Locale.ROOT), v));
            all.put("counts", c);
            all.put("tasks", tasks);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(all));
            return 0;
        }
        System.out.println(file + " (results in " + dir + "):");
        int width = status.stream().mapToInt(s -> s.task().id().length()).max().orElse(10);
        for (TaskState.Status s : status) {
            System.out.printf(Locale.ROOT, "  %3d  %-" + width + "s  %-8s %s%n", s.task().index(), s.task().id(),
                    s.state().name().toLowerCase(Locale.ROOT), s.detail() == null ? "" : s.detail());
        }
        System.out.printf(Locale.ROOT, "%d built, %d stale, %d failed, %d missing%n", counts.get(TaskState.State.BUILT),
                counts.get(TaskState.State.STALE), counts.get(TaskState.State.FAILED),
                counts.get(TaskState.State.MISSING));
        return 0;
    }
}
