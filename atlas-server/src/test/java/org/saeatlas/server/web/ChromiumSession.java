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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One headless Chromium page driven over the Chrome DevTools Protocol (a WebSocket, JDK client only): navigate,
 * evaluate JavaScript, wait for a condition, click, press keys, take screenshots, and log every request the page
 * makes (to check the UI stays offline). Unlike {@code --dump-dom}, it can follow links the way a user does.
 */
final class ChromiumSession implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();

    /** The Chromium executable of this machine, or null. */
    static String executable() {
        return List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    }

    ChromiumSession(String chromium, Path profile) throws Exception {
        process = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--window-size=1280,900", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browserUrl = devtoolsUrl();
        URI browser = URI.create(browserUrl);
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String page = null;
        for (JsonNode target : JSON.readTree(list)) {
            if ("page".equals(target.path("type").asText())) {
                page = target.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (page == null) {
            throw new IllegalStateException("Chromium opened no page: " + list);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new Listener()).get(20, TimeUnit.SECONDS);
        send("Network.enable", Map.of());
        send("Runtime.enable", Map.of());
        send("Page.enable", Map.of());
    }

    /** Reads Chromium's stderr until it says where DevTools listens, then keeps draining it. */
    private String devtoolsUrl() throws IOException {
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while (System.nanoTime() < deadline && (line = err.readLine()) != null) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (err.readLine() != null) {
                            // discard
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                }, "chromium-stderr");
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new IllegalStateException("Chromium did not say where DevTools listens");
    }

    /** Sends one command and waits for its result. */
    JsonNode send(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        JsonNode reply = answer.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    /** Opens a URL (the request log keeps what earlier pages asked for). */
    void navigate(String url) throws Exception {
        send("Page.navigate", Map.of("url", url));
    }

    /** Evaluates an expression (promises awaited) and returns its JSON value. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("JavaScript failed: " + r.get("exceptionDetails") + " in " + expression);
        }
        return r.path("result").path("value");
    }

    /** Waits until a JavaScript condition is true; fails with the page's text when it never is. */
    void waitFor(String condition, String what) throws Exception {
        waitFor(condition, what, 20);
    }

    /** As above, waiting at most {@code seconds}. */
    void waitFor(String condition, String what, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                if (eval("!!(" + condition + ")").asBoolean()) {
                    return;
                }
            } catch (IllegalStateException e) {
                // the page is navigating: try again
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + "; the page says: " + text("#main"));
    }

    /** The text of the first element matching a selector ("" when none). */
    String text(String selector) throws Exception {
        return eval("(e => e ? (e.innerText ?? e.textContent) : '')(document.querySelector("
                + JSON.writeValueAsString(selector) + "))")
                .asText();
    }

    /** Clicks the first element matching a selector (as a user would: the element's click()). */
    void click(String selector) throws Exception {
        String s = JSON.writeValueAsString(selector);
        if (!eval("(() => { const e = document.querySelector(" + s + "); if (!e) return false; e.scrollIntoView();"
                + " e.click(); return true; })()").asBoolean()) {
            throw new AssertionError("nothing to click at " + selector + "; the page says: " + text("#main"));
        }
    }

    /** Moves the mouse to viewport coordinates (what hovering does). */
    void mouseMove(double x, double y) throws Exception {
        send("Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
    }

    /**
     * A left click at viewport coordinates through the browser's input pipeline (move, press, release), for what a
     * selector cannot name, e.g. a node drawn on a canvas.
     */
    void clickAt(double x, double y) throws Exception {
        mouseMove(x, y);
        for (String type : List.of("mousePressed", "mouseReleased")) {
            send("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left", "clickCount", 1));
        }
    }

    /** Presses one key (e.g. "Tab", "Enter") through the browser's input pipeline. */
    void press(String key, int keyCode) throws Exception {
        press(key, keyCode, 0);
    }

    /** Presses one key with modifiers held (CDP bits: 1 Alt, 2 Ctrl, 4 Meta, 8 Shift; Shift+Tab is 8). */
    void press(String key, int keyCode, int modifiers) throws Exception {
        for (String type : List.of("rawKeyDown", "keyUp")) {
            send("Input.dispatchKeyEvent", Map.of("type", type, "key", key, "code", key,
                    "windowsVirtualKeyCode", keyCode, "modifiers", modifiers));
        }
        if ("Enter".equals(key)) {
            send("Input.dispatchKeyEvent", Map.of("type", "char", "text", "\r"));
        }
    }

    /** Writes a PNG of the whole page. */
    void screenshot(Path file) throws Exception {
        JsonNode size = send("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
        JsonNode shot = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", size.path("width").asDouble(1280),
                        "height", Math.min(8000, size.path("height").asDouble(900)), "scale", 1)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    /** Every URL the page requested so far. */
    List<String> requests() {
        return new ArrayList<>(requests);
    }

    /** Errors the page logged or threw so far. */
    List<String> consoleErrors() {
        return new ArrayList<>(consoleErrors);
    }

    @Override
    public void close() {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
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
                handle(text);
            }
            webSocket.request(1);
            return null;
        }

        private void handle(String text) {
            try {
                JsonNode m = JSON.readTree(text);
                if (m.has("id")) {
                    CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                    if (f != null) {
                        f.complete(m);
                    }
                    return;
                }
                String method = m.path("method").asText();
                if ("Network.requestWillBeSent".equals(method)) {
                    requests.add(m.path("params").path("request").path("url").asText());
                } else if ("Runtime.exceptionThrown".equals(method)) {
                    consoleErrors.add(m.path("params").path("exceptionDetails").toString());
                } else if ("Runtime.consoleAPICalled".equals(method)
                        && "error".equals(m.path("params").path("type").asText())) {
                    consoleErrors.add(m.path("params").path("args").toString());
                }
            } catch (IOException e) {
                consoleErrors.add("unreadable DevTools message: " + e.getMessage());
            }
        }
    }
}
