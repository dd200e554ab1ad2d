package dev.sluice.blackbox;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringReader;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Headless Chromium driven over the DevTools protocol with the JDK's own WebSocket client: just enough to load a
 * page, evaluate JavaScript, click like a mouse and type like a keyboard. The binary is {@code /usr/bin/chromium}
 * (Debian's {@code chromium} package) unless the system property {@code chromium.binary} says otherwise.
 */
final class Chromium implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final String LISTENING = "DevTools listening on ";

    private final Process process;
    private final List<ProcessHandle> processTree = new CopyOnWriteArrayList<>();
    private final Path userDataDir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    private WebSocket socket;

    private Chromium(Process process, Path userDataDir) {
        this.process = process;
        this.userDataDir = userDataDir;
    }

    /** Starts a fresh headless browser (its own profile) and connects to its blank page; output goes to log. */
    static Chromium launch(Path log) throws Exception {
        Path binary = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: apt-get install -y chromium");
        }
        Path userDataDir = Files.createTempDirectory("sluice-chromium-");
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--mute-audio", "--window-size=1440,900",
                "--user-data-dir=" + userDataDir, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Chromium chromium = new Chromium(process, userDataDir);
        try {
            chromium.connect(chromium.awaitDevToolsUrl(log));
        } catch (Exception | Error e) {
            chromium.close();
            throw e;
        }
        return chromium;
    }

    /** Copies stderr to the log and returns the browser's DevTools URL once Chromium prints it. */
    private URI awaitDevToolsUrl(Path log) throws Exception {
        CompletableFuture<URI> url = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader stderr = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                         java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true)) {
                String line;
                while ((line = stderr.readLine()) != null) {
                    out.println(line);
                    int at = line.indexOf(LISTENING);
                    if (at >= 0) {
                        url.complete(URI.create(line.substring(at + LISTENING.length()).trim()));
                    }
                }
            } catch (IOException closed) {
                // the browser is gone
            } finally {
                url.completeExceptionally(new IllegalStateException("Chromium exited before DevTools listened, see "
                        + log.toAbsolutePath()));
            }
        }, "chromium-stderr");
        pump.setDaemon(true);
        pump.start();
        try {
            return url.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Chromium did not open DevTools within " + START_TIMEOUT + ", see " + log);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    /** Attaches to the page target (the initial about:blank) and enables the domains the test reads. */
    private void connect(URI browserUrl) throws Exception {
        processTree.addAll(process.descendants().toList());
        String endpoint = "http://" + browserUrl.getHost() + ":" + browserUrl.getPort();
        URI pageUrl = null;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (pageUrl == null) {
            String targets = http.send(HttpRequest.newBuilder(URI.create(endpoint + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            pageUrl = Json.createReader(new StringReader(targets)).readArray().stream()
                    .map(JsonValue::asJsonObject)
                    .filter(target -> "page".equals(target.getString("type", "")))
                    .map(target -> URI.create(target.getString("webSocketDebuggerUrl")))
                    .findFirst().orElse(null);
            if (pageUrl == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Chromium shows no page target: " + targets);
                }
                Thread.sleep(100);
            }
        }
        socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(pageUrl, new Listener()).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        call("Runtime.enable", Json.createObjectBuilder());
        call("Page.enable", Json.createObjectBuilder());
        processTree.addAll(process.descendants().toList());
    }

    /** Sends one DevTools command and waits for its result. */
    JsonObject call(String method, JsonObjectBuilder params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        String message = Json.createObjectBuilder().add("id", id).add("method", method).add("params", params)
                .build().toString();
        try {
            synchronized (this) {
                socket.sendText(message, true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            JsonObject answer = reply.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer.containsKey("error")) {
                throw new IllegalStateException(method + " failed: " + answer.get("error"));
            }
            return answer.getJsonObject("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            throw new IllegalStateException(method + " got no answer", e);
        } finally {
            pending.remove(id);
        }
    }

    /** Loads the URL and waits until the document and its deferred scripts are loaded. */
    void navigate(String url) throws InterruptedException {
        JsonObject result = call("Page.navigate", Json.createObjectBuilder().add("url", url));
        if (result.containsKey("errorText")) {
            throw new IllegalStateException("could not load " + url + ": " + result.getString("errorText"));
        }
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        while (!JsonValue.TRUE.equals(evaluate("document.readyState === 'complete'"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " did not finish loading");
            }
            Thread.sleep(50);
        }
    }

    /** Evaluates an expression in the page (awaiting a promise) and returns its JSON value; page errors throw. */
    JsonValue evaluate(String expression) {
        JsonObject result = call("Runtime.evaluate", Json.createObjectBuilder()
                .add("expression", expression).add("returnByValue", true).add("awaitPromise", true));
        if (result.containsKey("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + describe(result.getJsonObject("exceptionDetails"))
                    + "\n" + expression);
        }
        JsonObject value = result.getJsonObject("result");
        return value.containsKey("value") ? value.get("value") : JsonValue.NULL;
    }

    /** A string as a JavaScript literal, for building expressions. */
    static String js(String text) {
        return Json.createValue(text).toString();
    }

    /**
     * Clicks the element like a user: scrolls it into view, checks that nothing covers its centre, and sends mouse
     * events there. Fails if the element is missing, covered or disabled.
     */
    void click(String selector) {
        JsonValue target = evaluate("(() => { const e = document.querySelector(" + js(selector) + ");"
                + " if (!e) return null;"
                + " e.scrollIntoView({block: 'center', inline: 'center'});"
                + " const r = e.getBoundingClientRect();"
                + " const x = r.left + r.width / 2, y = r.top + r.height / 2;"
                + " const hit = document.elementFromPoint(x, y);"
                + " return {x, y, visible: r.width > 0 && r.height > 0, reachable: !!hit && e.contains(hit),"
                + " disabled: !!e.disabled}; })()");
        if (target.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new AssertionError("nothing to click at " + selector);
        }
        JsonObject at = target.asJsonObject();
        if (!at.getBoolean("visible") || !at.getBoolean("reachable") || at.getBoolean("disabled")) {
            throw new AssertionError("cannot click " + selector + ": " + at);
        }
        double x = at.getJsonNumber("x").doubleValue();
        double y = at.getJsonNumber("y").doubleValue();
        mouse("mouseMoved", x, y);
        mouse("mousePressed", x, y);
        mouse("mouseReleased", x, y);
    }

    private void mouse(String type, double x, double y) {
        JsonObjectBuilder event = Json.createObjectBuilder().add("type", type).add("x", x).add("y", y);
        if (!type.equals("mouseMoved")) {
            event.add("button", "left").add("clickCount", 1);
        }
        call("Input.dispatchMouseEvent", event);
    }

    /** Focuses the field, clears it and types the text as keyboard input. */
    void type(String selector, String text) {
        JsonValue focused = evaluate("(() => { const e = document.querySelector(" + js(selector) + ");"
                + " if (!e) return false; e.focus(); e.select && e.select(); return document.activeElement === e; })()");
        if (!JsonValue.TRUE.equals(focused)) {
            throw new AssertionError("cannot focus " + selector);
        }
        call("Input.insertText", Json.createObjectBuilder().add("text", text));
    }

    /** Saves a PNG of the viewport, for failure reports. */
    void screenshot(Path file) throws IOException {
        String png = call("Page.captureScreenshot", Json.createObjectBuilder().add("format", "png")).getString("data");
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(png));
    }

    /** Uncaught exceptions and unhandled rejections in the page so far. */
    List<String> pageErrors() {
        return new ArrayList<>(pageErrors);
    }

    /** console.error(...) output of the page so far. */
    List<String> consoleErrors() {
        return new ArrayList<>(consoleErrors);
    }

    private static String describe(JsonObject details) {
        JsonObject exception = details.getJsonObject("exception");
        String text = exception != null && exception.containsKey("description")
                ? exception.getString("description") : details.getString("text", details.toString());
        return text + " (line " + details.getInt("lineNumber", -1) + ")";
    }

    private void dispatch(String text) {
        JsonObject message = Json.createReader(new StringReader(text)).readObject();
        if (message.containsKey("id")) {
            CompletableFuture<JsonObject> reply = pending.get(message.getInt("id"));
            if (reply != null) {
                reply.complete(message);
            }
            return;
        }
        String method = message.getString("method", "");
        JsonObject params = message.getJsonObject("params");
        if (method.equals("Runtime.exceptionThrown")) {
            pageErrors.add(describe(params.getJsonObject("exceptionDetails")));
        } else if (method.equals("Runtime.consoleAPICalled") && params.getString("type", "").equals("error")) {
            JsonArray args = params.getJsonArray("args");
            consoleErrors.add(args.stream().map(arg -> arg.asJsonObject().containsKey("value")
                    ? arg.asJsonObject().get("value").toString()
                    : arg.asJsonObject().getString("description", "?")).toList().toString());
        }
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                dispatch(message);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failPending(new IllegalStateException("DevTools connection closed: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failPending(error);
        }

        private void failPending(Throwable error) {
            pending.values().forEach(reply -> reply.completeExceptionally(error));
        }
    }

    /** Stops the browser and every process it started, and removes its profile. */
    @Override
    public void close() throws Exception {
        if (socket != null) {
            socket.abort();
        }
        processTree.addAll(process.descendants().toList());
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : processTree) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        for (ProcessHandle child : processTree) {
            try {
                child.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException stuck) {
                // reported by the OS as still running; nothing more a test can do
            }
        }
        try (Stream<Path> files = Files.walk(userDataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
