package org.saeatlas.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One headless Chromium page driven over the DevTools protocol (a WebSocket, no extra library): navigate, wait for
 * a condition, evaluate JavaScript, move and click the mouse at page coordinates, take screenshots, and record every
 * URL the page requested (so a test can check nothing left the server). For tests that interact with the page;
 * {@code --dump-dom} is enough for those that only read it.
 */
final class BrowserSession implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> requested = Collections.synchronizedList(new ArrayList<>());
    private final List<String> consoleErrors = Collections.synchronizedList(new ArrayList<>());

    /** Starts Chromium (headless, its own profile under {@code profile}) with a blank page of the given size. */
    static BrowserSession start(String chromium, Path profile, int width, int height) throws Exception {
        return new BrowserSession(chromium, profile, width, height);
    }

    private BrowserSession(String chromium, Path profile, int width, int height) throws Exception {
        Files.createDirectories(profile);
        process = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String browserWs = null;
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; System.nanoTime() < deadline && (line = err.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                browserWs = m.group(1);
                break;
            }
        }
        if (browserWs == null) {
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not open its DevTools endpoint");
        }
        Thread drain = new Thread(() -> {
            try {
                while (err.readLine() != null) {
                    // keep the pipe from filling up
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        URI endpoint = URI.create(browserWs);
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + endpoint.getAuthority() + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String pageWs = null;
        for (JsonNode target : JSON.readTree(list)) {
            if ("page".equals(target.path("type").asText())) {
                pageWs = target.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (pageWs == null) {
            throw new IllegalStateException("Chromium has no page target: " + list);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new Listener()).get(30, TimeUnit.SECONDS);
        send("Page.enable", Map.of());
        send("Runtime.enable", Map.of());
        send("Network.enable", Map.of());
        send("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", false));
    }

    /** Every URL the page asked for so far (documents, scripts, fetches, images). */
    List<String> requestedUrls() {
        synchronized (requested) {
            return List.copyOf(requested);
        }
    }

    /** Uncaught exceptions and console.error messages seen so far. */
    List<String> consoleErrors() {
        synchronized (consoleErrors) {
            return List.copyOf(consoleErrors);
        }
    }

    void navigate(String url) throws Exception {
        send("Page.navigate", Map.of("url", url));
    }

    /** Evaluates an expression (awaiting a promise) and returns its JSON value; a thrown error fails the call. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("page script failed: " + r.path("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Polls a boolean expression until it is true; fails with {@code what} and the page's text after the timeout. */
    void waitFor(String condition, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (eval("!!(" + condition + ")").asBoolean()) {
                    return;
                }
            } catch (IllegalStateException e) {
                // the page is between documents; try again
            }
            Thread.sleep(100);
        }
        String text = eval("document.body ? document.body.innerText.slice(0, 2000) : ''").asText();
        throw new AssertionError("timed out waiting for " + what + " (" + condition + "); page: " + text
                + "; console errors: " + consoleErrors());
    }

    void mouseMove(double x, double y) throws Exception {
        send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
    }

    /** A left click at page (viewport) coordinates, as a user's: move, press, release. */
    void click(double x, double y) throws Exception {
        mouseMove(x, y);
        send("Input.dispatchMouseEvent", Map.of("type", "mousePressed", "x", x, "y", y, "button", "left",
                "clickCount", 1));
        send("Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x", x, "y", y, "button", "left",
                "clickCount", 1));
    }

    /** A PNG of the viewport. */
    void screenshot(Path file) throws Exception {
        JsonNode r = send("Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
    }

    private JsonNode send(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
        JsonNode reply = answer.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.path("error"));
        }
        return reply.path("result");
    }

    private void onMessage(String text) {
        try {
            JsonNode m = JSON.readTree(text);
            if (m.has("id")) {
                CompletableFuture<JsonNode> f = pending.remove(m.path("id").asInt());
                if (f != null) {
                    f.complete(m);
                }
                return;
            }
            String method = m.path("method").asText();
            if ("Network.requestWillBeSent".equals(method)) {
                requested.add(m.path("params").path("request").path("url").asText());
            } else if ("Runtime.exceptionThrown".equals(method)) {
                consoleErrors.add(m.path("params").path("exceptionDetails").toString());
            } else if ("Runtime.consoleAPICalled".equals(method) && "error".equals(m.path("params").path("type").asText())) {
                consoleErrors.add(m.path("params").path("args").toString());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser is going away anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                onMessage(text);
            }
            webSocket.request(1);
            return null;
        }
    }
}
