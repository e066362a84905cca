package org.saeatlas.cli;

import org.saeatlas.cli.AtlasCli.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atlas plan}: the Slurm scripts run as bash would run them (with sbatch and java replaced by recorders), the
 * Kubernetes Jobs checked against the Job JSON Schema. The real Slurm run is SlurmClusterIT.
 */
class PlanCommandTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String CLASSPATH = "/opt/atlas/atlas-cli.jar:/opt/atlas/lib/*";

    @TempDir
    Path dir;

    Path atlasFile;

    Run atlas(String... args) {
        return AtlasCli.run(args);
    }

    /**
     * Three SAEs: two of 64 features with tiny inputs (one class: 1 core, the 1 GiB minimum heap) and one of 8,192
     * features whose activations file is 400 MiB (sparse on disk): heap estimate 256 + 4 x 400 MiB plus its cfg's
     * bytes = 1,857 MiB, rounded up to 2,048; 2 cores (width <= 32,768). Matches and comparisons of the two seeds.
     */
    @BeforeEach
    void atlasFile() throws IOException {
        for (String s : List.of("l0-s0", "l0-s1", "l1-s0")) {
            Files.writeString(dir.resolve(s + ".npz"), "x");
            Path sae = Files.createDirectories(dir.resolve("sae-" + s));
            Files.writeString(sae.resolve("cfg.json"), "{\"d_in\": 8, \"d_sae\": " + (s.equals("l1-s0") ? 8192 : 64)
                    + "}");
            Files.writeString(sae.resolve("sae_weights.safetensors"), "");
        }
        try (RandomAccessFile big = new RandomAccessFile(dir.resolve("l1-s0.npz").toFile(), "rw")) {
            big.setLength(400L << 20);
        }
        atlasFile = dir.resolve("atlas.yaml");
        Files.writeString(atlasFile, """
                version: 1
                models:
                  - id: lm
                    saes:
                      - {id: l0-s0, layer: 0, seed: 0, inputs: {activations: l0-s0.npz, saelens: sae-l0-s0}}
                      - {id: l0-s1, layer: 0, seed: 1, inputs: {activations: l0-s1.npz, saelens: sae-l0-s1}}
                      - {id: l1-s0, layer: 1, seed: 0, inputs: {activations: l1-s0.npz, saelens: sae-l1-s0}}
                matches:
                  seeds: same layer
                comparisons:
                  seeds: same layer
                """);
    }

    Run slurm(String... extra) {
        List<String> args = new ArrayList<>(List.of("plan", atlasFile.toString(), "--slurm", dir.resolve("slurm")
                .toString(), "--data", dir.resolve("data").toString(), "--classpath", CLASSPATH));
        args.addAll(List.of(extra));
        Run r = atlas(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.out() + r.err());
        return r;
    }

    String read(String first, String... more) throws IOException {
        return Files.readString(dir.resolve(first).resolve(String.join("/", more)));
    }

    static String bash(Path cwd, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    @Test
    void slurmOneJobArrayPerResourceClassWhoseIndicesAreThePlansTaskIndices() throws Exception {
        Run r = slurm("--partition", "cpu", "--time", "02:00:00", "--sbatch=--account=lab");
        assertTrue(r.out().contains("3 compute task(s), 5 task(s) on the database after the load"), r.out());

        String small = read("slurm", "compute-0.sbatch");
        assertTrue(small.contains("\n#SBATCH --array=0,1\n"), small);
        assertTrue(small.contains("\n#SBATCH --cpus-per-task=1\n#SBATCH --mem=1536M\n"), small);   // 1024 + 512
        assertTrue(small.contains(" -Xmx1024m "), small);
        String wide = read("slurm", "compute-1.sbatch");
        assertTrue(wide.contains("\n#SBATCH --array=2\n"), wide);
        assertTrue(wide.contains("\n#SBATCH --cpus-per-task=2\n#SBATCH --mem=2560M\n"), wide);    // 2048 + 512
        assertTrue(wide.contains(" -Xmx2048m "), wide);
        String load = read("slurm", "load.sbatch");
        // the largest task's heap, its overhead and the embedded database's page cache: 2048 + 512 + 256
        assertTrue(load.contains("\n#SBATCH --cpus-per-task=2\n#SBATCH --mem=2816M\n"), load);
        assertTrue(load.contains("(3 communities, 1 match, 1 comparison)"), load);
        for (String script : List.of(small, wide, load)) {
            assertTrue(script.contains("\n#SBATCH --partition=cpu\n#SBATCH --time=02:00:00\n#SBATCH --account=lab\n"),
                    script);
            assertTrue(script.contains("\n#SBATCH --requeue\n"), script);
        }
        try (Stream<Path> files = Files.list(dir.resolve("slurm"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                bash(dir, Map.of(), "bash", "-n", f.toString());   // every script parses
                assertTrue(Files.isExecutable(f), f.toString());
            }
        }
    }

    @Test
    void submitQueuesTheArraysThenTheLoadAfterAllOfThemSucceeded() throws Exception {
        slurm();
        // sbatch replaced by a recorder that answers like `sbatch --parsable` on a federated cluster ("id;cluster")
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("sbatch-calls");
        Files.writeString(bin.resolve("sbatch"), "#!/bin/bash\necho \"$*\" >> " + calls + "\n"
                + "n=$(wc -l < " + calls + ")\necho \"$((100 + n));cluster\"\n");
        bin.resolve("sbatch").toFile().setExecutable(true);
        String out = bash(dir, Map.of("PATH", bin + ":" + System.getenv("PATH")), "bash",
                dir.resolve("slurm/submit.sh").toString());
        List<String> lines = Files.readAllLines(calls);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("--parsable " + dir.resolve("slurm/compute-0.sbatch"), lines.get(0));
        assertEquals("--parsable " + dir.resolve("slurm/compute-1.sbatch"), lines.get(1));
        assertEquals("--parsable --dependency=afterok:101:102 --kill-on-invalid-dep=yes "
                + dir.resolve("slurm/load.sbatch"), lines.get(2));
        assertTrue(out.contains("load: 103 (after every compute task succeeded)"), out);
        assertTrue(Files.isDirectory(dir.resolve("data/results")), "the results folder exists before any job runs");
    }

    @Test
    void anArrayElementRunsTheTaskCommandOfItsIndexAndTheLoadLoadsTheResults() throws Exception {
        slurm();
        // java replaced by a recorder of its arguments
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/bash\nprintf '%s\\n' \"$@\"\n");
        java.toFile().setExecutable(true);
        List<String> element = bash(dir, Map.of("JAVA", java.toString(), "SLURM_ARRAY_TASK_ID", "1",
                "SLURM_CPUS_PER_TASK", "1", "TMPDIR", dir.toString()), "bash",
                dir.resolve("slurm/compute-0.sbatch").toString()).lines().toList();
        int main = element.indexOf("org.saeatlas.cli.Main");
        assertEquals("-Xmx1024m", element.get(0));
        assertEquals(CLASSPATH, element.get(main - 1));
        assertEquals(List.of("task", atlasFile.toString(), "--index", "1", "--out",
                dir.resolve("data/results").toString(), "--threads", "1", "--data",
                dir + "/sae-atlas-" + bash(dir, Map.of(), "id", "-u").strip()), element.subList(main + 1,
                element.size()));

        List<String> load = bash(dir, Map.of("JAVA", java.toString()), "bash",
                dir.resolve("slurm/load.sbatch").toString()).lines().toList();
        main = load.indexOf("org.saeatlas.cli.Main");
        assertEquals("-Xmx2048m", load.get(0));
        assertEquals(List.of("load", atlasFile.toString(), "--from", dir.resolve("data/results").toString(),
                "--data", dir.resolve("data").toString(), "--page-cache", "256m"), load.subList(main + 1, load.size()));
    }

    @Test
    void aNeo4jServerIsNamedButItsPasswordIsWrittenNowhere() throws Exception {
        slurm("--neo4j-uri", "neo4j+s://db.example.org", "--neo4j-user", "atlas", "--neo4j-password",
                "s3cret-pw");
        String load = read("slurm", "load.sbatch");
        assertTrue(load.contains("atlas load \"$ATLAS_FILE\" --from \"$RESULTS\" --neo4j-uri neo4j+s://db.example.org"
                + " --neo4j-user atlas\n"), load);
        assertTrue(load.contains("NEO4J_PASSWORD"), "says where the password comes from");
        Run k8s = atlas("plan", atlasFile.toString(), "--k8s", dir.resolve("k8s").toString(), "--neo4j-uri",
                "neo4j+s://db.example.org", "--neo4j-password", "s3cret-pw");
        assertEquals(0, k8s.exit(), k8s.out() + k8s.err());
        for (String d : List.of("slurm", "k8s")) {
            try (Stream<Path> files = Files.list(dir.resolve(d))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertFalse(Files.readString(f).contains("s3cret-pw"), f.toString());
                }
            }
        }
        JsonNode loadJob = YAML.readTree(dir.resolve("k8s/load-job.yaml").toFile());
        JsonNode env = loadJob.at("/spec/template/spec/containers/0/env");
        assertEquals("sae-atlas-neo4j", env.get(1).at("/valueFrom/secretKeyRef/name").asText(), env.toString());
        assertEquals(1, YAML.readTree(dir.resolve("k8s/compute-job.yaml").toFile())
                .at("/spec/template/spec/containers/0/env").size(), "compute pods get no password");
    }

    @Test
    void kubernetesAnIndexedJobAndALoadJobThatTheJobSchemaAccepts() throws Exception {
        Run r = atlas("plan", atlasFile.toString(), "--k8s", dir.resolve("k8s").toString(), "--image",
                "registry.example.org/sae-atlas:0.1", "--max-running", "2");
        assertEquals(0, r.exit(), r.out() + r.err());
        JsonNode compute = YAML.readTree(dir.resolve("k8s/compute-job.yaml").toFile());
        JsonNode load = YAML.readTree(dir.resolve("k8s/load-job.yaml").toFile());
        assertEquals(List.of(), KubernetesJobSchema.errors(compute));
        assertEquals(List.of(), KubernetesJobSchema.errors(load));

        assertEquals("Indexed", compute.at("/spec/completionMode").asText());
        assertEquals(3, compute.at("/spec/completions").asInt());
        assertEquals(2, compute.at("/spec/parallelism").asInt());
        JsonNode container = compute.at("/spec/template/spec/containers/0");
        assertEquals("registry.example.org/sae-atlas:0.1", container.get("image").asText());
        assertEquals(List.of("task", "/atlas/work/atlas.yaml", "--index", "$(JOB_COMPLETION_INDEX)", "--out",
                "/atlas/work/results", "--threads", "2", "--data", "/tmp/sae-atlas"), strings(container.get("args")));
        // one pod template for every index: the largest task's request
        assertEquals("2560Mi", container.at("/resources/requests/memory").asText());
        assertEquals("2560Mi", container.at("/resources/limits/memory").asText());
        assertTrue(container.at("/env/0/value").asText().startsWith("-Xmx2048m "));
        assertEquals("sae-atlas-work", compute.at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName")
                .asText());
        assertEquals(List.of("load", "/atlas/work/atlas.yaml", "--from", "/atlas/work/results", "--data", "/atlas/work/atlas-data",
                "--page-cache", "256m"), strings(load.at("/spec/template/spec/containers/0/args")));
        bash(dir, Map.of(), "bash", "-n", dir.resolve("k8s/submit.sh").toString());
    }

    @Test
    void theSchemaCheckRefusesWhatKubernetesWouldNot() throws Exception {
        atlas("plan", atlasFile.toString(), "--k8s", dir.resolve("k8s").toString());
        JsonNode job = YAML.readTree(dir.resolve("k8s/compute-job.yaml").toFile());

        ObjectNode word = job.deepCopy();
        ((ObjectNode) word.get("spec")).put("completions", "three");
        assertTrue(KubernetesJobSchema.errors(word).stream().anyMatch(e -> e.contains("completions")),
                KubernetesJobSchema.errors(word).toString());

        ObjectNode typo = job.deepCopy();
        ((ObjectNode) typo.get("spec")).put("completionsMode", "Indexed");
        assertTrue(KubernetesJobSchema.errors(typo).stream().anyMatch(e -> e.contains("completionsMode")),
                KubernetesJobSchema.errors(typo).toString());

        // a bare number in args: what YAML makes of an unquoted 2, and Kubernetes refuses
        ObjectNode number = job.deepCopy();
        ((ArrayNode) number.at("/spec/template/spec/containers/0/args")).set(7, 2);
        assertFalse(KubernetesJobSchema.errors(number).isEmpty());

        // deep in the pod template too
        ObjectNode container = job.deepCopy();
        ((ObjectNode) container.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "Always");
        assertTrue(KubernetesJobSchema.errors(container).stream().anyMatch(e -> e.contains("imagePullPolicyy")),
                KubernetesJobSchema.errors(container).toString());

        ObjectNode noKind = job.deepCopy();
        noKind.remove("kind");
        assertTrue(KubernetesJobSchema.errors(noKind).stream().anyMatch(e -> e.contains("kind")),
                KubernetesJobSchema.errors(noKind).toString());
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() {
        Run negative = atlas("plan", atlasFile.toString(), "--slurm", dir.resolve("s").toString(), "--classpath",
                CLASSPATH, "--max-running", "-1");
        assertEquals(2, negative.exit());
        assertTrue(negative.err().contains("--max-running"), negative.err());
        Run name = atlas("plan", atlasFile.toString(), "--k8s", dir.resolve("k").toString(), "--k8s-name", "Atlas_1");
        assertEquals(2, name.exit());
        assertTrue(name.err().contains("--k8s-name") && name.err().contains("Atlas_1"), name.err());
        Run both = atlas("plan", atlasFile.toString(), "--k8s", "a", "--slurm", "b");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
        Run missing = atlas("plan", dir.resolve("nope.yaml").toString(), "--k8s", dir.resolve("k").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("nope.yaml"), missing.err());
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> {
            assertTrue(n.isTextual(), "not a string: " + n);
            out.add(n.asText());
        });
        return out;
    }
}
