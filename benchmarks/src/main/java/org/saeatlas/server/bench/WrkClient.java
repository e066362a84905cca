package org.saeatlas.server.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.saeatlas.errors.StateException;

/**
 * The API measured by an outside client: <a href="https://github.com/wg/wrk">wrk</a>, a separate process with its own
 * connections, driven by a Lua script this class writes. Each request's body is a GraphQL POST: either
 * {@code prefix + a random feature index + suffix} (a feature page or a 2-hop neighbourhood of a random feature) or one
 * of a fixed list of bodies in turn (searches). The script's {@code done} hook prints one line of figures, parsed here.
 * wrk is not a build dependency: where it is not installed, {@link #locate} says so and what to do.
 */
public final class WrkClient {

    /** What one request sends: a random feature index between prefix and suffix, or the bodies in turn. */
    public record Workload(String prefix, String suffix, int features, List<String> bodies) {
        public Workload {
            bodies = List.copyOf(bodies);
            if ((features > 0) == !bodies.isEmpty()) {
                throw new IllegalArgumentException("a workload has random features or fixed bodies, not both");
            }
        }

        static Workload randomFeature(String prefix, String suffix, int features) {
            return new Workload(prefix, suffix, features, List.of());
        }

        static Workload inTurn(List<String> bodies) {
            return new Workload("", "", 0, bodies);
        }
    }

    /**
     * wrk's figures for one run: {@code socketErrors} (connect, read, write, timeout) and {@code statusErrors}
     * (HTTP status above 399) as wrk counts them, latencies in microseconds.
     */
    public record Result(long requests, double seconds, long socketErrors, long statusErrors, double p50Us,
                         double p90Us, double p99Us, double maxUs) {
        public double perSecond() {
            return requests / seconds;
        }
    }

    static final String FIGURES = "wrk-figures";
    private static final String INSTALL = "install it (Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk),"
            + " or leave out --wrk to measure with the built-in loopback clients";

    private final String wrk;
    private final String version;

    private WrkClient(String wrk, String version) {
        this.wrk = wrk;
        this.version = version;
    }

    /**
     * The wrk on {@code path} (a PATH value), or a StateException saying that wrk is not installed and how to install
     * it. Checked before the benchmark loads anything.
     */
    public static WrkClient locate(String path) {
        for (String dir : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "wrk");
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return new WrkClient(candidate.toString(), versionOf(candidate.toString()));
            }
        }
        throw new StateException("bench api --wrk: wrk is not installed (no executable 'wrk' on the PATH); " + INSTALL);
    }

    /** wrk's first line of {@code -v}, e.g. "wrk 4.1.0 [epoll]". */
    private static String versionOf(String wrk) {
        try {
            Process p = new ProcessBuilder(wrk, "-v").redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("wrk");
            p.waitFor(10, TimeUnit.SECONDS);
            int copyright = first.indexOf(" Copyright");
            return copyright > 0 ? first.substring(0, copyright) : first;
        } catch (IOException e) {
            throw new StateException("bench api --wrk: " + wrk + " does not run (" + e.getMessage() + "); " + INSTALL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException("bench api --wrk: interrupted", e);
        }
    }

    public String version() {
        return version;
    }

    /**
     * Runs wrk against {@code url} (POST) for {@code seconds} with {@code connections} kept-alive connections over
     * {@code threads} threads, the script written into {@code dir}; random features drawn from {@code seed}.
     */
    public Result run(String url, Workload workload, int connections, int threads, int seconds, long seed, Path dir)
            throws IOException, InterruptedException {
        Path script = Files.writeString(Files.createTempFile(dir, "wrk-", ".lua"), script(url, workload, seed));
        List<String> command = List.of(wrk, "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "-s", script.toString(), url);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new StateException("bench api --wrk: wrk did not finish within " + (seconds + 60) + " s: " + out);
        }
        Files.deleteIfExists(script);
        if (p.exitValue() != 0) {
            throw new StateException("bench api --wrk: " + String.join(" ", command) + " exited with " + p.exitValue()
                    + ": " + out.strip());
        }
        return parse(out);
    }

    /** The figures line of the script's done hook in wrk's output. */
    static Result parse(String output) {
        for (String line : output.lines().toList()) {
            if (line.startsWith(FIGURES + " ")) {
                String[] f = line.substring(FIGURES.length() + 1).trim().split("\\s+");
                if (f.length != 8) {
                    break;
                }
                return new Result(Long.parseLong(f[0]), Long.parseLong(f[1]) / 1e6, Long.parseLong(f[2]),
                        Long.parseLong(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Double.parseDouble(f[6]), Double.parseDouble(f[7]));
            }
        }
        throw new StateException("bench api --wrk: no '" + FIGURES + "' line in wrk's output: " + output.strip());
    }

    /** The Lua script: POSTs the workload's bodies to the URL's path; done() prints the figures on one line. */
    static String script(String url, Workload w, long seed) {
        String path = java.net.URI.create(url).getRawPath();
        List<String> bodies = new ArrayList<>();
        for (String b : w.bodies()) {
            bodies.add("  " + longString(b) + ",");
        }
        return String.format(Locale.ROOT, """
                -- written by `atlas bench api --wrk`: one GraphQL POST per request
                local path = %s
                local prefix = %s
                local suffix = %s
                local features = %d
                local bodies = {
                %s
                }
                local headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
                local threads = 0

                function setup(thread)
                  thread:set("thread_index", threads)
                  threads = threads + 1
                end

                local turn = 0
                function init(args)
                  math.randomseed(%d + 7919 * (thread_index or 0))
                  turn = thread_index or 0
                end

                function request()
                  local body
                  if features > 0 then
                    body = prefix .. string.format("%%d", math.random(0, features - 1)) .. suffix
                  else
                    turn = turn + 1
                    body = bodies[(turn %% #bodies) + 1]
                  end
                  return wrk.format("POST", path, headers, body)
                end

                function done(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("%s %%d %%d %%d %%d %%.0f %%.0f %%.0f %%.0f\\n", summary.requests,
                    summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
                    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
                end
                """, longString(path), longString(w.prefix()), longString(w.suffix()), w.features(),
                String.join("\n", bodies), seed, FIGURES);
    }

    /** A Lua long string holding {@code s} verbatim, with a level of '=' that does not occur in it. */
    static String longString(String s) {
        String eq = "";
        while (s.contains("]" + eq + "]")) {
            eq += "=";
        }
        return "[" + eq + "[" + s + "]" + eq + "]";
    }
}
