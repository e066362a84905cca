package org.saeatlas.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker/Dockerfile built for real with podman (no daemon) and run: {@code --version} and {@code check} (an embedded
 * Neo4j, a small demo atlas computed and loaded, the server asked over HTTP) inside the image, with a fresh volume on
 * /atlas/data that the image's non-root user must be able to write. Base images cannot be pulled here, so
 * docker/test-base-images.sh makes them from Debian packages (debootstrap, then podman import; cached).
 *
 * <p>Needs root, podman and debootstrap (.ci/run installs them); without them the test is skipped and says why. A
 * failed image build fails the test. Where the sandbox refuses to start containers at all (e.g. setrlimit denied),
 * shown by a probe container of the plain base image, the run part is skipped with the refusal as the reason.
 */
class ImageIT {

    static final String IMAGE = "localhost/sae-atlas-imageit:latest";
    static final String VOLUME = "sae-atlas-imageit-data";
    static final String BUILD_BASE = "localhost/sae-atlas-base/build:bookworm";
    static final String RUNTIME_BASE = "localhost/sae-atlas-base/runtime:bookworm";

    static final Path ROOT = Path.of(System.getProperty("atlas.repository.root", "..")).toAbsolutePath().normalize();

    /** Extra podman options that this host needs (runtime, ulimits); found by {@link #containersRun()}. */
    static final List<String> runOptions = new ArrayList<>();
    static final List<String> runtime = new ArrayList<>();
    static boolean built;

    record Result(int exit, String output) {
        String firstError() {
            return output.lines().filter(l -> l.toLowerCase().contains("error")).findFirst()
                    .orElse(output.lines().reduce((a, b) -> b).orElse("(no output)"));
        }
    }

    static Result run(Path dir, long timeoutMinutes, List<String> command) {
        try {
            Path log = Files.createTempFile("imageit-", ".log");
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutMinutes
                        + " min; output: " + Files.readString(log));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static List<String> podman(String... args) {
        List<String> c = new ArrayList<>(List.of("podman"));
        c.addAll(runtime);
        c.addAll(List.of(args));
        return c;
    }

    static boolean onPath(String tool) {
        return run(ROOT, 1, List.of("sh", "-c", "command -v " + tool)).exit() == 0;
    }

    @BeforeAll
    static void buildImage() {
        assumeTrue(onPath("podman"), "podman is not installed (.ci/run installs it: apt-get install podman)");
        assumeTrue(onPath("debootstrap"), "debootstrap is not installed (.ci/run installs it)");
        assumeTrue("0".equals(run(ROOT, 1, List.of("id", "-u")).output().strip()),
                "debootstrap and podman's image store need root");
        if (onPath("runc")) {
            // podman's default runtime on Debian 12 (crun 1.8) refuses hosts with cgroup v1 and v2 controllers mixed
            runtime.addAll(List.of("--runtime", "runc"));
        }
        long t = System.nanoTime();
        Result bases = run(ROOT, 20, List.of("bash", "docker/test-base-images.sh"));
        assertEquals(0, bases.exit(), "making the base images failed:\n" + bases.output());
        System.out.printf("ImageIT: base images ready in %.0f s%n", (System.nanoTime() - t) / 1e9);

        t = System.nanoTime();
        String repository = System.getProperty("atlas.maven.repository");
        List<String> build = podman("build", "--layers=false", "--format", "docker", "-f", "docker/Dockerfile",
                "-t", IMAGE, "--build-arg", "BUILD_IMAGE=" + BUILD_BASE, "--build-arg", "RUNTIME_IMAGE=" + RUNTIME_BASE);
        if (repository != null && Files.isDirectory(Path.of(repository))) {
            // the Maven build inside offline, from this build's local repository (an overlay: nothing written back)
            build.addAll(List.of("--build-arg", "MAVEN_FLAGS=-o", "-v", repository + ":/root/.m2/repository:O"));
        }
        build.add(".");
        Result image = run(ROOT, 20, build);
        assertEquals(0, image.exit(), "podman build of docker/Dockerfile failed:\n" + image.output());
        built = true;
        System.out.printf("ImageIT: image built in %.0f s%n", (System.nanoTime() - t) / 1e9);
    }

    @AfterAll
    static void removeImage() {
        if (built) {
            run(ROOT, 5, podman("volume", "rm", "-f", VOLUME));
            run(ROOT, 5, podman("rmi", "-f", IMAGE));
        }
    }

    /**
     * Whether this host lets podman start a container, tried on the plain runtime base image: first as a user runs
     * it; if the sandbox denies setting resource limits (podman asks for a million open files, and this host's runc
     * was seen refusing any process limit above 32,768), again with moderate limits not above the host's. Skips the test with the refusal when neither starts.
     */
    static void containersRun() {
        if (!runOptions.isEmpty()) {
            return;
        }
        List<String> plain = podman("run", "--rm", RUNTIME_BASE, "true");
        Result first = run(ROOT, 5, plain);
        if (first.exit() == 0) {
            runOptions.add("--rm");
            return;
        }
        // moderate values (enough for Neo4j and the JVM's threads), never above the host's own
        long files = Math.min(limit("Max open files"), 16_384);
        long processes = Math.min(limit("Max processes"), 8_192);
        List<String> lowered = List.of("--rm", "--ulimit", "nofile=" + files + ":" + files,
                "--ulimit", "nproc=" + processes + ":" + processes);
        List<String> second = podman("run");
        second.addAll(lowered);
        second.addAll(List.of(RUNTIME_BASE, "true"));
        Result retry = run(ROOT, 5, second);
        assumeTrue(retry.exit() == 0, "this sandbox does not let podman start a container: " + first.firstError()
                + "; with lower ulimits: " + retry.firstError());
        System.out.println("ImageIT: containers start here only with ulimits below the host's (" + first.firstError()
                + ")");
        runOptions.addAll(lowered);
    }

    static long limit(String name) {
        try {
            return Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith(name))
                    .map(l -> l.substring(name.length()).trim().split("\\s+")[0])
                    .mapToLong(v -> "unlimited".equals(v) ? 1 << 20 : Long.parseLong(v)).findFirst().orElse(4096);
        } catch (IOException e) {
            return 4096;
        }
    }

    static Result inImage(long timeoutMinutes, String... args) {
        containersRun();
        List<String> c = podman("run");
        c.addAll(runOptions);
        c.add("--no-healthcheck");  // podman runs health checks through systemd timers, absent in a sandbox
        c.addAll(List.of(args));
        return run(ROOT, timeoutMinutes, c);
    }

    @Test
    void theImagePrintsItsVersion() {
        Result r = inImage(5, IMAGE, "--version");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().lines().anyMatch(l -> l.strip().matches("sae-atlas \\d+\\.\\d+\\.\\d+")), r.output());
    }

    @Test
    void checkPassesInsideTheImageWritingToAFreshDataVolumeAsTheAtlasUser() {
        run(ROOT, 5, podman("volume", "rm", "-f", VOLUME));
        long t = System.nanoTime();
        Result r = inImage(15, "-v", VOLUME + ":/atlas/data", IMAGE, "check");
        System.out.printf("ImageIT: check inside the image in %.0f s%n", (System.nanoTime() - t) / 1e9);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("check passed in"), r.output());
        assertTrue(r.output().contains("small demo atlas generated, computed and loaded"), r.output());
        // the image runs as its own user, and the volume it declares is that user's: check unpacked the compute
        // engine's native library into it (ATLAS_DATA=/atlas/data)
        Result who = inImage(5, "-v", VOLUME + ":/atlas/data", "--entrypoint", "sh", IMAGE, "-c",
                "id -un; id -u; stat -c %U /atlas/data; ls /atlas/data");
        assertEquals(0, who.exit(), who.output());
        List<String> lines = who.output().lines().toList();
        assertEquals("atlas", lines.get(0), who.output());
        assertEquals("10001", lines.get(1), "the uid Kubernetes pods run as (atlas plan --k8s)");
        assertEquals("atlas", lines.get(2), who.output());
        assertTrue(lines.contains("djl-cache"), who.output());
    }
}
