package org.saeatlas.ingest.atlas;

import org.saeatlas.schema.AtlasVersion;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.formats.Checksums;
import org.saeatlas.ingest.SaeLoader;

/**
 * The content key of every task of a plan: a SAE task's key hashes its SAE's metadata, settings and the SHA-256 of
 * every input file (a folder: of its files, by relative path), and the software version; a task on the database
 * hashes its own id and settings with the keys of the tasks it depends on. A changed input therefore changes the
 * keys of exactly the tasks that read it and of the tasks after them. File checksums are cached by path, size and
 * modification time in {@code <results>/state/checksums.json}, so an unchanged input is not read again.
 */
public final class TaskKeys {

    /** What a task's key was made from, kept with the task so that a stale task can say what changed. */
    public record Basis(Map<String, Object> inputs, Map<String, Object> settings, Map<String, Object> metadata,
                        Map<String, String> dependencies, String software) {

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("inputs", inputs);
            m.put("settings", settings);
            m.put("metadata", metadata);
            m.put("dependencies", dependencies);
            m.put("software", software);
            return m;
        }
    }

    private final AtlasPlan plan;
    private final Path cacheFile;
    private final Map<String, String> cache = new ConcurrentHashMap<>();
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final Map<String, Basis> bases = new LinkedHashMap<>();

    /**
     * Keys computed when first asked for, so that one task (a cluster's array element) reads only its own inputs
     * ({@code results} may be null: no checksum cache).
     */
    public TaskKeys(AtlasPlan plan, Path results) {
        this.plan = plan;
        this.cacheFile = results == null ? null : results.resolve(TaskState.STATE).resolve("checksums.json");
        loadCache();
    }

    public synchronized String key(String taskId) {
        String k = keys.get(taskId);
        if (k == null) {
            AtlasPlan.Task t = plan.task(taskId);
            int cached = cache.size();
            Basis b = basis(t);
            k = Checksums.of(t.id(), t.kind().name(), TaskFolder.JSON.valueToTree(b.asMap()).toString());
            bases.put(t.id(), b);
            keys.put(t.id(), k);
            if (cache.size() != cached) {
                saveCache();
            }
        }
        return k;
    }

    public synchronized Basis basis(String taskId) {
        key(taskId);
        return bases.get(taskId);
    }

    private Basis basis(AtlasPlan.Task t) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : t.inputs().entrySet()) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("path", e.getValue().toString());
            in.put("sha256", sha256(e.getValue()));
            inputs.put(e.getKey(), in);
        }
        Map<String, Object> settings = new TreeMap<>();
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (t.kind() == AtlasPlan.Kind.SAE) {
            AtlasFile.Sae s = plan.file().sae(t.saes().get(0));
            settings.putAll(s.settings().values());
            metadata.put("model", s.model());
            metadata.put("release", s.release());
            metadata.put("layer", s.layer());
            metadata.put("hookPoint", s.hookPoint());
            metadata.put("width", s.width());
            metadata.put("seed", s.seed());
            metadata.put("architecture", s.architecture());
            // the effective method parameters, defaults included: a release whose defaults change is stale too
            org.saeatlas.compute.coactivation.CoActivationParameters co =
                    org.saeatlas.compute.coactivation.CoActivationParameters.defaults();
            metadata.put("coactivation.min_count", co.minCount());
            metadata.put("coactivation.min_abs_correlation", co.minAbsCorrelation());
            metadata.put("coactivation.top_k", co.topK());
            metadata.put("cosine.top_k", SaeLoader.COSINE_TOP_K);
            if (s.settings().dependence()) {
                for (Map.Entry<String, Object> e : s.settings().stability(1).asMap().entrySet()) {
                    if (!e.getKey().equals("threads")) {
                        metadata.put("dependence." + e.getKey(), e.getValue());
                    }
                }
            }
        } else if (t.kind() == AtlasPlan.Kind.MATCH) {
            settings.put("by", plan.file().similarities());
        }
        Map<String, String> deps = new LinkedHashMap<>();
        for (String d : t.dependsOn()) {
            deps.put(d, key(d));
        }
        return new Basis(inputs, settings, metadata, deps, AtlasVersion.SOFTWARE);
    }

    /** What differs between a recorded basis and the current one, in words; empty when nothing does. */
    public String changes(String taskId, Map<String, Object> recorded) {
        Basis now = basis(taskId);
        List<String> out = new ArrayList<>();
        Map<String, Object> was = recorded == null ? Map.of() : recorded;
        diff(out, "input", asMap(was.get("inputs")), now.inputs(), true);
        diff(out, "setting", asMap(was.get("settings")), now.settings(), false);
        diff(out, "", asMap(was.get("metadata")), now.metadata(), false);
        Map<String, Object> deps = asMap(was.get("dependencies"));
        for (Map.Entry<String, String> d : now.dependencies().entrySet()) {
            if (!d.getValue().equals(deps.get(d.getKey()))) {
                out.add(d.getKey() + " changed");
            }
        }
        if (!now.software().equals(was.get("software"))) {
            out.add("software " + was.get("software") + " -> " + now.software());
        }
        return String.join("; ", out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static void diff(List<String> out, String what, Map<String, Object> was, Map<String, Object> now,
                             boolean files) {
        for (Map.Entry<String, Object> e : now.entrySet()) {
            Object old = was.get(e.getKey());
            String name = (what.isEmpty() ? "" : what + " ") + e.getKey();
            if (files) {
                Map<String, Object> o = asMap(old);
                Map<String, Object> n = asMap(e.getValue());
                if (old == null) {
                    out.add(name + " added (" + n.get("path") + ")");
                } else if (!String.valueOf(o.get("sha256")).equals(String.valueOf(n.get("sha256")))) {
                    out.add(name + " changed (" + n.get("path") + ": checksum differs)");
                } else if (!String.valueOf(o.get("path")).equals(String.valueOf(n.get("path")))) {
                    out.add(name + " moved (" + o.get("path") + " -> " + n.get("path") + ", same content)");
                }
            } else if (!same(old, e.getValue())) {
                out.add(name + " " + (old == null ? "unset" : old) + " -> " + (e.getValue() == null ? "unset"
                        : e.getValue()));
            }
        }
        for (String k : was.keySet()) {
            if (!now.containsKey(k)) {
                out.add((what.isEmpty() ? "" : what + " ") + k + " removed");
            }
        }
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return String.valueOf(a).equals(String.valueOf(b));
    }

    /** SHA-256 of a file, or of a folder's files by sorted relative path; cached by path, size and time. */
    String sha256(Path p) {
        try {
            if (Files.isDirectory(p)) {
                List<Path> files;
                try (var walk = Files.walk(p)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                List<String> parts = new ArrayList<>();
                for (Path f : files) {
                    parts.add(p.relativize(f).toString().replace('\\', '/'));
                    parts.add(fileSha(f));
                }
                return Checksums.of(parts.toArray(String[]::new));
            }
            return fileSha(p);
        } catch (IOException e) {
            throw new AtlasException("input " + p + ": cannot read it to checksum (" + e.getMessage() + ")", e);
        }
    }

    private String fileSha(Path f) throws IOException {
        String cacheKey = f.toAbsolutePath() + "|" + Files.size(f) + "|" + Files.getLastModifiedTime(f).toMillis();
        String hit = cache.get(cacheKey);
        if (hit != null) {
            return hit;
        }
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
            String sha = HexFormat.of().formatHex(md.digest());
            cache.put(cacheKey, sha);
            return sha;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void loadCache() {
        if (cacheFile == null || !Files.isRegularFile(cacheFile)) {
            return;
        }
        try {
            cache.putAll(TaskFolder.JSON.readValue(cacheFile.toFile(), new TypeReference<Map<String, String>>() { }));
        } catch (IOException e) {
            // a damaged cache only costs reading the inputs again
        }
    }

    private void saveCache() {
        if (cacheFile == null) {
            return;
        }
        try {
            TaskState.writeAtomically(cacheFile, TaskFolder.JSON.writeValueAsBytes(new TreeMap<>(cache)));
        } catch (IOException | AtlasException e) {
            // the cache is an optimisation: a read-only results folder still builds
        }
    }
}
