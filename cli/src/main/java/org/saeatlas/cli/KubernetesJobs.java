package org.saeatlas.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.atlas.AtlasPlan;

/**
 * The Kubernetes form of an atlas plan: an indexed Job ({@code completionMode: Indexed}) whose pod {@code i} runs
 * compute task {@code i} ({@code atlas task ATLAS_FILE --index $(JOB_COMPLETION_INDEX) --out RESULTS}), a load Job,
 * and {@code submit.sh}, which applies the first, waits for it to complete, then applies the second (Kubernetes has
 * no dependencies between Jobs). Both run the image of docker/ (its entrypoint is the {@code atlas} command) with a
 * PersistentVolumeClaim at {@code /atlas/work} holding the atlas file, its inputs, the task folders and, unless a Neo4j
 * server is named, the embedded database. One pod template serves every index, so each pod asks for what the
 * largest compute task needs. Validated against the Job schema only; not run on a cluster here.
 *
 * @param plan      the atlas plan
 * @param name      the Jobs' name prefix (a DNS label)
 * @param image     the atlas image
 * @param claim     the PersistentVolumeClaim mounted at /atlas/work (ReadWriteMany when pods run on several nodes)
 * @param atlasFile the atlas file's path inside the pods
 * @param results   the task folders' path inside the pods
 * @param database  the load's database arguments, paths inside the pods
 * @param secret    the Secret whose key {@code password} is NEO4J_PASSWORD for a server, or null
 * @param pageCacheMib the embedded database's page cache, 0 for a server
 * @param parallelism  pods running at once (0: all)
 */
record KubernetesJobs(AtlasPlan plan, String name, String image, String claim, String atlasFile, String results,
                      List<String> database, String secret, long pageCacheMib, int parallelism) {

    static final String COMPUTE = "compute-job.yaml";
    static final String LOAD = "load-job.yaml";
    static final String SUBMIT = "submit.sh";
    static final String MOUNT = "/atlas/work";
    /** The image's user and group (docker/Dockerfile), so the volume is the pods' to write. */
    static final long ATLAS_UID = 10001;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // "2" stays a string: Kubernetes wants strings in args, and YAML would read a bare 2 as a number
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    KubernetesJobs {
        if (!name.matches("[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?")) {
            throw new AtlasException("--k8s-name: expected a lowercase DNS label of at most 42 characters (letters,"
                    + " digits, '-'; the Jobs are <name>-compute and <name>-load), found '" + name + "'");
        }
    }

    Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(COMPUTE, yaml(computeJob()));
        files.put(LOAD, yaml(loadJob()));
        files.put(SUBMIT, submit());
        return files;
    }

    Map<String, Object> computeJob() {
        int n = plan.computeCount();
        ClusterResources.Request r = ClusterResources.largest(plan);
        List<String> args = new ArrayList<>(List.of("task", atlasFile, "--index", "$(JOB_COMPLETION_INDEX)", "--out",
                results, "--threads", String.valueOf(r.cpus()), "--data", "/tmp/sae-atlas"));
        Map<String, Object> spec = map(
                "completionMode", "Indexed",
                "completions", n,
                "parallelism", parallelism > 0 ? Math.min(parallelism, n) : n,
                // a pod that fails is retried, at most 3 times per task on average
                "backoffLimit", 3 * n,
                "template", podTemplate("compute", args, r, false));
        return job(name + "-compute", "compute", spec);
    }

    Map<String, Object> loadJob() {
        ClusterResources.Request r = ClusterResources.load(plan, pageCacheMib);
        List<String> args = new ArrayList<>(List.of("load", atlasFile, "--from", results));
        args.addAll(database);
        Map<String, Object> spec = map("completions", 1, "parallelism", 1, "backoffLimit", 3,
                "template", podTemplate("load", args, r, secret != null));
        return job(name + "-load", "load", spec);
    }

    private Map<String, Object> job(String jobName, String component, Map<String, Object> spec) {
        return map("apiVersion", "batch/v1", "kind", "Job",
                "metadata", map("name", jobName, "labels", labels(component)),
                "spec", spec);
    }

    private Map<String, Object> labels(String component) {
        return map("app.kubernetes.io/name", "sae-atlas", "app.kubernetes.io/instance", name,
                "app.kubernetes.io/component", component);
    }

    private Map<String, Object> podTemplate(String component, List<String> args, ClusterResources.Request r,
                                            boolean password) {
        List<Object> env = new ArrayList<>();
        env.add(map("name", "JAVA_OPTS", "value", r.jvmOptions()));
        if (password) {
            env.add(map("name", "NEO4J_PASSWORD", "valueFrom",
                    map("secretKeyRef", map("name", secret, "key", "password"))));
        }
        String memory = r.memoryMib() + "Mi";
        Map<String, Object> container = map(
                "name", component,
                "image", image,
                "args", args,
                "env", env,
                "resources", map("requests", map("cpu", String.valueOf(r.cpus()), "memory", memory),
                        "limits", map("memory", memory)),
                "volumeMounts", List.of(map("name", "work", "mountPath", MOUNT)));
        Map<String, Object> pod = map(
                "restartPolicy", "Never",
                "securityContext", map("runAsUser", ATLAS_UID, "runAsGroup", ATLAS_UID, "fsGroup", ATLAS_UID),
                "containers", List.of(container),
                "volumes", List.of(map("name", "work", "persistentVolumeClaim", map("claimName", claim))));
        return map("metadata", map("labels", labels(component)), "spec", pod);
    }

    private String submit() {
        return "#!/usr/bin/env bash\n"
                + "# Runs the atlas build of " + plan.file().file() + " on Kubernetes: the indexed Job of "
                + plan.computeCount() + " compute task(s),\n"
                + "# then, once it completed, the load Job. The atlas file and its inputs must be on the volume "
                + "(claim " + claim + ")\n# at " + atlasFile + "'s folder. Run it again to resume: finished task "
                + "folders are skipped, what is loaded\n# is not loaded again. Written by `atlas plan --k8s`; not "
                + "tested on a real cluster.\n"
                + "set -euo pipefail\n"
                + "here=$(cd \"$(dirname \"$0\")\" && pwd)\n"
                + "finished() {   # a Job's end: 0 when it completed, 1 when it failed\n"
                + "  while :; do\n"
                + "    for condition in Complete Failed; do\n"
                + "      status=$(kubectl get job \"$1\" -o jsonpath=\"{.status.conditions[?(@.type=='$condition')].status}\")\n"
                + "      if [ \"$status\" = True ]; then\n"
                + "        [ $condition = Complete ] && return 0\n"
                + "        echo \"job $1 failed: kubectl describe job $1; kubectl logs job/$1\" >&2; return 1\n"
                + "      fi\n"
                + "    done\n"
                + "    sleep 10\n"
                + "  done\n"
                + "}\n"
                + "kubectl delete job " + name + "-compute " + name + "-load --ignore-not-found\n"
                + "kubectl apply -f \"$here/" + COMPUTE + "\"\n"
                + "echo \"waiting for job/" + name + "-compute (kubectl get pods -l app.kubernetes.io/instance="
                + name + ")\"\n"
                + "finished " + name + "-compute\n"
                + "kubectl apply -f \"$here/" + LOAD + "\"\n"
                + "finished " + name + "-load\n"
                + "kubectl logs job/" + name + "-load --tail=40\n";
    }

    private static String yaml(Object o) {
        try {
            return "# Written by `atlas plan --k8s`; validated against the Kubernetes Job schema, not run on a cluster"
                    + " here.\n" + YAML.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An insertion-ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
