package org.saeatlas.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.saeatlas.errors.AtlasException;
import org.saeatlas.ingest.atlas.AtlasPlan;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the build of an atlas file for a cluster's scheduler instead of running it here.",
            "--slurm DIR: a Slurm job array per class of compute tasks (element i runs `atlas task ATLAS_FILE --index i"
                + " --out RESULTS`, with memory and cores from the task's size), a load job that runs after all of"
                + " them succeeded (afterok) and loads the task folders into the atlas's Neo4j, then communities,"
                + " matches and comparisons, and DIR/submit.sh to submit them. RESULTS must be on storage every node"
                + " sees. Re-running submit.sh after a time limit, preemption or failure resumes.",
            "--k8s DIR: the same as a Kubernetes indexed Job (JOB_COMPLETION_INDEX) and a load Job on the image of"
                + " docker/, with a PersistentVolumeClaim at /atlas/work, and DIR/submit.sh (kubectl). Validated against the"
                + " Job schema; not tested on a real cluster.",
            "Example: ./atlas plan atlas.yaml --slurm slurm/ --results /shared/atlas-results --data /shared/atlas-data"
                + " --partition cpu --time 04:00:00 && slurm/submit.sh",
            "Example: ./atlas plan atlas.yaml --k8s k8s/ --image registry.example.org/sae-atlas:0.1 && k8s/submit.sh"})
class PlanCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ATLAS_FILE", description = "The atlas file (atlas.yaml).")
    Path file;

    static class Target {
        @Option(names = "--slurm", paramLabel = "DIR", required = true, description = "Write Slurm batch scripts here.")
        Path slurm;

        @Option(names = "--k8s", paramLabel = "DIR", required = true,
                description = "Write Kubernetes Jobs here.")
        Path k8s;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--results", paramLabel = "DIR", description = "Slurm: folder of the task folders, on shared"
            + " storage [--data/results]. Kubernetes: their path in the pods [/atlas/work/results].")
    Path results;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--max-running", paramLabel = "N", defaultValue = "0", description = "Compute tasks running at"
            + " once (Slurm: per job array, its %%N; Kubernetes: the Job's parallelism) [0: no limit].")
    int maxRunning;

    @Option(names = "--partition", paramLabel = "NAME", description = "Slurm partition of every job.")
    String partition;

    @Option(names = "--time", paramLabel = "LIMIT", description = "Slurm time limit of every job, e.g. 04:00:00"
            + " (a task killed at its limit resumes when submit.sh is run again).")
    String time;

    @Option(names = "--sbatch", paramLabel = "OPTION", description = "Another #SBATCH option for every job, e.g."
            + " --sbatch=--account=lab (repeatable).")
    List<String> sbatch = new ArrayList<>();

    @Option(names = "--java", paramLabel = "PATH", description = "Slurm: the java the jobs run [this one's].")
    String java;

    @Option(names = "--classpath", paramLabel = "CP", description = "Slurm: the atlas's jar and libraries on the"
            + " nodes [this installation's atlas-cli.jar and lib/*].")
    String classpath;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = "sae-atlas:latest",
            description = "Kubernetes: the atlas image (docker/Dockerfile) [${DEFAULT-VALUE}].")
    String image;

    @Option(names = "--claim", paramLabel = "NAME", defaultValue = "sae-atlas-work", description = "Kubernetes:"
            + " the PersistentVolumeClaim mounted at /atlas/work: atlas file, inputs, results, database"
            + " [${DEFAULT-VALUE}].")
    String claim;

    @Option(names = "--k8s-name", paramLabel = "NAME", description = "Kubernetes: the Jobs' name prefix"
            + " [sae-atlas-<atlas file name>].")
    String k8sName;

    @Option(names = "--k8s-atlas-file", paramLabel = "PATH", description = "Kubernetes: the atlas file's path in"
            + " the pods [/atlas/work/<its file name>].")
    String k8sAtlasFile;

    @Option(names = "--secret", paramLabel = "NAME", description = "Kubernetes, with --neo4j-uri: the Secret whose"
            + " key 'password' is the server's password [<name>-neo4j].")
    String secret;

    @Override
    public Integer call() throws IOException {
        AtlasPlan plan = AtlasFileOptions.plan(file);
        if (plan.computeCount() == 0) {
            throw new AtlasException(file + ": the plan has no compute task; nothing to schedule");
        }
        if (maxRunning < 0) {
            throw new AtlasException("--max-running: expected 0 (no limit) or more, found " + maxRunning);
        }
        boolean server = database.uri != null && !database.uri.isBlank();
        Path dir;
        Map<String, String> files;
        String secretName = null;
        if (target.slurm != null) {
            dir = target.slurm.toAbsolutePath().normalize();
            Path data = database.data.toAbsolutePath().normalize();
            Path res = AtlasFileOptions.results(results, data).toAbsolutePath().normalize();
            List<String> db = server ? List.of("--neo4j-uri", database.uri, "--neo4j-user", database.user)
                    : List.of("--data", data.toString(), "--page-cache", database.pageCache);
            files = new SlurmScripts(plan, dir, res, db, server ? 0 : mib(database.pageCache),
                    java != null ? java : Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    classpath != null ? classpath : installedClasspath(), slurmOptions(), maxRunning).files();
        } else {
            dir = target.k8s.toAbsolutePath().normalize();
            String name = k8sName != null ? k8sName : defaultName(plan.file().file());
            String inPod = k8sAtlasFile != null ? k8sAtlasFile
                    : KubernetesJobs.MOUNT + "/" + plan.file().file().getFileName();
            String res = results != null ? results.toString() : KubernetesJobs.MOUNT + "/results";
            List<String> db = server ? List.of("--neo4j-uri", database.uri, "--neo4j-user", database.user)
                    : List.of("--data", KubernetesJobs.MOUNT + "/atlas-data", "--page-cache", database.pageCache);
            secretName = server ? (secret != null ? secret : name + "-neo4j") : null;
            files = new KubernetesJobs(plan, name, image, claim, inPod, res, db, secretName,
                    server ? 0 : mib(database.pageCache), maxRunning).files();
        }
        write(dir, files);
        print(plan, dir, files);
        if (server) {
            System.out.println(target.slurm != null
                    ? "The server's password is written nowhere: export NEO4J_PASSWORD before running submit.sh."
                    : "The server's password is written nowhere: the load Job reads it from the Secret '"
                            + secretName + "' (key 'password').");
        }
        return 0;
    }

    private List<String> slurmOptions() {
        List<String> o = new ArrayList<>();
        if (partition != null) {
            o.add("--partition=" + partition);
        }
        if (time != null) {
            o.add("--time=" + time);
        }
        for (String s : sbatch) {
            if (!s.startsWith("-") || s.contains("\n")) {
                throw new AtlasException("--sbatch: expected one sbatch option such as --account=lab, found '" + s
                        + "'");
            }
            o.add(s);
        }
        return o;
    }

    private static void write(Path dir, Map<String, String> files) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.writeString(p, f.getValue());
            if (f.getKey().endsWith(".sh") || f.getKey().endsWith(".sbatch")) {
                try {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: run them with bash
                }
            }
        }
    }

    private void print(AtlasPlan plan, Path dir, Map<String, String> files) {
        System.out.println(plan.computeCount() + " compute task(s), " + (plan.tasks().size() - plan.computeCount())
                + " task(s) on the database after the load; written to " + dir + ":");
        for (String f : files.keySet()) {
            System.out.println("  " + f);
        }
        if (target.slurm != null) {
            for (ClusterResources.TaskClass c : ClusterResources.classes(plan)) {
                System.out.printf("  array of %d task(s): %d core(s), %d MiB (heap %d MiB)%n", c.tasks().size(),
                        c.request().cpus(), c.request().memoryMib(), c.request().heapMib());
            }
        } else {
            ClusterResources.Request r = ClusterResources.largest(plan);
            System.out.printf("  every compute pod: %d core(s), %d MiB (heap %d MiB), the largest task's%n",
                    r.cpus(), r.memoryMib(), r.heapMib());
        }
        System.out.println("Submit with " + dir.resolve("submit.sh") + "; run it again to resume.");
    }

    /** This installation's atlas-cli.jar and lib/*, from where this class was loaded. */
    static String installedClasspath() {
        Path source;
        try {
            source = Path.of(PlanCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new AtlasException("cannot tell where the atlas is installed (" + e.getMessage()
                    + "); give --classpath");
        }
        // a jar (an installation, the image) or target/classes (a checkout, beside target/atlas-cli.jar)
        Path jar = Files.isDirectory(source) ? source.resolveSibling("atlas-cli.jar") : source;
        Path lib = jar.resolveSibling("lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new AtlasException("cannot find the atlas's jar and libraries (looked for " + jar + " and " + lib
                    + "); build it (mvn -DskipTests package) or give --classpath");
        }
        return jar.toAbsolutePath().normalize() + ":" + lib.toAbsolutePath().normalize() + "/*";
    }

    /** sae-atlas-<file name without extension>, as a DNS label. */
    static String defaultName(Path atlasFile) {
        String base = atlasFile.getFileName().toString().replaceFirst("\\.[^.]*$", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        String name = base.isEmpty() || base.equals("atlas") ? "sae-atlas" : "sae-atlas-" + base;
        return name.length() > 42 ? name.substring(0, 42).replaceAll("-+$", "") : name;
    }

    /** "256m", "2g", "512k" or bytes, in MiB (rounded up). */
    static long mib(String size) {
        String v = size.trim().toLowerCase(Locale.ROOT);
        long unit = v.endsWith("g") ? 1L << 30 : v.endsWith("m") ? 1L << 20 : v.endsWith("k") ? 1L << 10 : 1;
        try {
            long n = Long.parseLong(unit == 1 ? v : v.substring(0, v.length() - 1));
            return ClusterResources.mib(n * unit);
        } catch (NumberFormatException e) {
            throw new AtlasException("--page-cache: expected a size such as 256m or 2g, found '" + size + "'");
        }
    }
}
