package org.saeatlas.ingest.atlas;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.saeatlas.errors.AtlasException;

/**
 * What is known about each task on disk, next to the task folders: {@code <results>/state/<task>.json} records a
 * failure (the error's first line, with the key it failed with) or, for a task on the database, that it is done
 * (its key and the ids of what it stored). A SAE task is done when its task folder for the current key exists.
 * Every state file is written whole under a temporary name and renamed.
 */
public final class TaskState {

    public static final String STATE = "state";

    public enum State { BUILT, STALE, FAILED, MISSING }

    /** One task's status; {@code detail}: what changed (stale), the error's first line (failed), or the folder. */
    public record Status(AtlasPlan.Task task, State state, String detail) { }

    /** A task's state file. */
    public record Record(String task, String status, String key, String error, Map<String, Object> basis,
                         Map<String, List<String>> stored, String at) { }

    private TaskState() {
    }

    static Path file(Path results, String taskId) {
        return results.resolve(STATE).resolve(taskId.replaceAll("[^A-Za-z0-9._-]", "_") + ".json");
    }

    public static Record read(Path results, String taskId) {
        Path f = file(results, taskId);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return TaskFolder.JSON.readValue(f.toFile(), Record.class);
        } catch (IOException e) {
            return null; // unreadable state is no state: the task is looked at again
        }
    }

    static void recordFailure(Path results, String taskId, String key, Throwable error, TaskKeys.Basis basis) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        String first = message.lines().findFirst().orElse(message);
        write(results, new Record(taskId, "failed", key, first, basis.asMap(), Map.of(), Instant.now().toString()));
    }

    static void recordDone(Path results, String taskId, String key, TaskKeys.Basis basis,
                           Map<String, List<String>> stored) {
        write(results, new Record(taskId, "done", key, null, basis.asMap(), stored, Instant.now().toString()));
    }

    static void clear(Path results, String taskId) {
        try {
            Files.deleteIfExists(file(results, taskId));
        } catch (IOException e) {
            throw new AtlasException("cannot remove " + file(results, taskId) + " (" + e.getMessage() + ")", e);
        }
    }

    private static void write(Path results, Record r) {
        try {
            writeAtomically(file(results, r.task()), TaskFolder.JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(r));
        } catch (IOException e) {
            throw new AtlasException("cannot write the state of " + r.task() + " (" + e.getMessage() + ")", e);
        }
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + Thread.currentThread().getId());
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The finished task folders under {@code results}, by task id, newest first. */
    public static Map<String, List<TaskFolder.Manifest>> folders(Path results) {
        Map<String, List<TaskFolder.Manifest>> out = new LinkedHashMap<>();
        if (!Files.isDirectory(results)) {
            return out;
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(results)) {
            dirs = s.filter(p -> !p.getFileName().toString().startsWith(".") && TaskFolder.finished(p))
                    .sorted(Comparator.comparing(TaskState::modified).reversed()).toList();
        } catch (IOException e) {
            throw new AtlasException("cannot list " + results + " (" + e.getMessage() + ")", e);
        }
        for (Path d : dirs) {
            TaskFolder.Manifest m = TaskFolder.manifest(d);
            out.computeIfAbsent(m.taskId(), k -> new ArrayList<>()).add(m);
        }
        return out;
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p.resolve(TaskFolder.MANIFEST)).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The folder of SAE task {@code taskId} for {@code key}, finished or not. */
    public static Path folder(Path results, String taskId, String key) {
        return results.resolve(TaskFolder.name(taskId, key));
    }

    /** Every task's status, in plan order, from the files under {@code results} only (no database). */
    public static List<Status> status(AtlasPlan plan, TaskKeys keys, Path results) {
        Map<String, List<TaskFolder.Manifest>> folders = folders(results);
        List<Status> out = new ArrayList<>();
        for (AtlasPlan.Task t : plan.tasks()) {
            String key = keys.key(t.id());
            Record r = read(results, t.id());
            if (t.kind().compute()) {
                Path f = folder(results, t.id(), key);
                if (TaskFolder.finished(f)) {
                    out.add(new Status(t, State.BUILT, results.relativize(f).toString()));
                } else if (r != null && "failed".equals(r.status()) && key.equals(r.key())) {
                    out.add(new Status(t, State.FAILED, r.error()));
                } else if (folders.containsKey(t.id())) {
                    TaskFolder.Manifest old = folders.get(t.id()).get(0);
                    out.add(new Status(t, State.STALE, explain(keys.changes(t.id(), old.basis()))));
                } else {
                    out.add(new Status(t, State.MISSING, null));
                }
            } else if (r != null && "done".equals(r.status()) && key.equals(r.key())) {
                out.add(new Status(t, State.BUILT, null));
            } else if (r != null && "failed".equals(r.status()) && key.equals(r.key())) {
                out.add(new Status(t, State.FAILED, r.error()));
            } else if (r != null && "done".equals(r.status())) {
                out.add(new Status(t, State.STALE, explain(keys.changes(t.id(), r.basis()))));
            } else {
                out.add(new Status(t, State.MISSING, null));
            }
        }
        return out;
    }

    private static String explain(String changes) {
        return changes.isEmpty() ? "built with another key (an earlier atlas version)" : changes;
    }

    /** Parses a recorded basis map (for tests and messages). */
    static Map<String, Object> map(Object o) {
        return TaskFolder.JSON.convertValue(o, new TypeReference<LinkedHashMap<String, Object>>() { });
    }
}
