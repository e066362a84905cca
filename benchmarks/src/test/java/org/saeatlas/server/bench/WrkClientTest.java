package org.saeatlas.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.saeatlas.errors.StateException;

/** The outside-client path of {@code bench api --wrk}: finding wrk, its Lua script, reading its figures. */
class WrkClientTest {

    @TempDir
    Path dir;

    @Test
    void withoutWrkOnThePathItSaysSoAndHowToInstallIt() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(empty.resolve("wrk")); // a folder named wrk is not wrk
        StateException e = assertThrows(StateException.class, () -> WrkClient.locate(empty.toString()));
        assertTrue(e.getMessage().contains("wrk is not installed") && e.getMessage().contains("apt-get install wrk")
                && e.getMessage().contains("leave out --wrk"), e.getMessage());
        assertThrows(StateException.class, () -> WrkClient.locate(null));
    }

    @Test
    void readsTheFiguresLineOfTheScriptAmongWrksOwnOutput() {
        WrkClient.Result r = WrkClient.parse("""
                Running 20s test @ http://127.0.0.1:8080/graphql
                  2 threads and 16 connections
                wrk-figures 120000 20000000 3 2 2150 4100 7600 31000
                Requests/sec:   6000.00
                """);
        assertEquals(120_000, r.requests());
        assertEquals(20.0, r.seconds());
        assertEquals(6000.0, r.perSecond());
        assertEquals(3, r.socketErrors());
        assertEquals(2, r.statusErrors());
        assertEquals(List.of(2150.0, 4100.0, 7600.0, 31000.0), List.of(r.p50Us(), r.p90Us(), r.p99Us(), r.maxUs()));
        StateException e = assertThrows(StateException.class, () -> WrkClient.parse("unable to connect to 127.0.0.1"));
        assertTrue(e.getMessage().contains("unable to connect"), e.getMessage());
    }

    @Test
    void luaLongStringsHoldAnyBodyVerbatim() {
        assertEquals("[[{\"a\": 1}]]", WrkClient.longString("{\"a\": 1}"));
        assertEquals("[=[x]]y]=]", WrkClient.longString("x]]y"));
        assertEquals("[==[]]]=]]==]", WrkClient.longString("]]]=]"));
    }

    /**
     * wrk (where installed; skipped and reported as skipped elsewhere) against a small HTTP server that keeps what it
     * receives: every request is a POST to the path with a body of the workload, the feature ids are random in range
     * and spread over it, the fixed bodies come in turn, and wrk's request count matches what the server answered.
     */
    @Test
    void wrkSendsTheWorkloadsBodiesAndCountsWhatWasAnswered() throws Exception {
        WrkClient wrk;
        try {
            wrk = WrkClient.locate(System.getenv("PATH"));
        } catch (StateException e) {
            assumeTrue(false, "wrk is not installed: " + e.getMessage());
            return;
        }
        ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
        AtomicLong answered = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/graphql", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(x.getRequestMethod() + " " + x.getRequestHeaders().getFirst("Content-Type") + " " + body);
            byte[] answer = "{\"data\":{}}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
            answered.incrementAndGet();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/graphql";
            WrkClient.Workload features = WrkClient.Workload.randomFeature(
                    "{\"query\":\"{ feature(id: \\\"sae/", "\\\") { id } }\"}", 50);
            WrkClient.Result r = wrk.run(url, features, 4, 2, 1, 42, dir);
            assertTrue(r.requests() > 20, "wrk ran: " + r);
            assertEquals(0, r.socketErrors() + r.statusErrors());
            assertTrue(r.requests() <= answered.get(), r.requests() + " counted, " + answered.get() + " answered");
            Pattern shape = Pattern.compile("POST application/json \\{\"query\":\"\\{ feature\\(id: \\\\\"sae/(\\d+)\\\\\"\\) \\{ id } }\"}");
            Set<Integer> seen = new HashSet<>();
            for (String b : bodies) {
                Matcher m = shape.matcher(b);
                assertTrue(m.matches(), b);
                int id = Integer.parseInt(m.group(1));
                assertTrue(id >= 0 && id < 50, b);
                seen.add(id);
            }
            assertTrue(seen.size() >= 40, "random ids spread over the 50 features: " + seen.size());
            assertTrue(r.p50Us() > 0 && r.p50Us() <= r.p99Us() && r.p99Us() <= r.maxUs(), r.toString());

            bodies.clear();
            List<String> inTurn = List.of("{\"query\":\"{ a }\"}", "{\"query\":\"{ b ]] }\"}", "{\"query\":\"{ c }\"}");
            WrkClient.Result s = wrk.run(url, WrkClient.Workload.inTurn(inTurn), 1, 1, 1, 42, dir);
            assertTrue(s.requests() > 3, s.toString());
            Map<String, Long> counts = bodies.stream().collect(java.util.stream.Collectors.groupingBy(
                    b -> b.substring("POST application/json ".length()), java.util.stream.Collectors.counting()));
            assertEquals(new HashSet<>(inTurn), counts.keySet(), "every body, verbatim");
            long min = counts.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            long max = counts.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(max - min <= 1, "in turn: " + counts);
        } finally {
            server.stop(0);
        }
    }
}
