package dev.sluice.blackbox;

import static dev.sluice.blackbox.Chromium.js;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator console ({@code /console/}) in a real headless Chromium against the real server: it shows a key's
 * backlog live, and its buttons pause, resume, pin and unpin the key as the API then reports. Needs
 * {@code /usr/bin/chromium} (Debian: {@code apt-get install -y chromium}).
 */
@ExtendWith(SharedSluice.class)
class ConsolePageIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MESSAGES = 10;

    private final SluiceProcess sluice;
    private final Api api;
    private final List<String> messageIds = new ArrayList<>();
    private Sink sink;
    private Chromium browser;

    ConsolePageIT(SluiceProcess sluice) {
        this.sluice = sluice;
        this.api = sluice.api();
    }

    @BeforeEach
    void start() throws Exception {
        // every call takes 5 s: with parallelism=1 the other messages wait their turn for the whole test
        sink = new Sink().answering((request, attempt) -> Sink.Answer.slow(Duration.ofSeconds(5)));
        browser = Chromium.launch(Path.of("target", "blackbox", "chromium.log"));
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            messageIds.forEach(id -> api.delete("/v2/messages/" + id)); // leave no backlog to the shared server
            sink.close();
        }
    }

    @Test
    void operatorWatchesBacklogAndPausesResumesPinsAndUnpinsTheKey() throws Exception {
        String key = "console-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < MESSAGES; i++) {
            messageIds.add(api.publishOk(sink.url("/fc/" + key + "/" + i), "message " + i, Map.of(
                    "Upstash-Flow-Control-Key", key, "Upstash-Flow-Control-Value", "parallelism=1")));
        }
        String row = "tr[data-key=\"" + key + "\"]";
        try {
            browser.navigate(sluice.baseUrl() + "/console/#token=" + SluiceProcess.TOKEN);
            assertFalse(text("location.href").contains(SluiceProcess.TOKEN), "the token leaves the address bar");
            assertEquals(SluiceProcess.TOKEN, text("sessionStorage.getItem('sluice.console.token')"));

            // the live table: the key with its backlog, held back by its own parallelism of 1
            poll("the row of " + key + " with a waitlist", () -> number(row + "|dataset.waitListSize"), n -> n > 0);
            poll("blocked by parallelism", () -> text(q(row) + ".dataset.blockedBy"), "parallelism"::equals);
            assertTrue(cell(row, "parallelism").endsWith("/ 1"), cell(row, "parallelism"));
            JsonObject global = api.get("/v2/globalParallelism").json();
            poll("global parallelism max", () -> text(q("#global-parallelism") + ".dataset.max"),
                    max -> max.equals(Integer.toString(global.getInt("parallelismMax"))));

            // Pause: the button, then the API and the page agree the key is paused
            browser.click(row + " button[data-action=\"pause\"]");
            poll("API reports paused", () -> flowKey(key).getBoolean("isPaused"), Boolean::booleanValue);
            poll("paused badge", () -> bool(q(row + " .badge.paused") + " !== null"), Boolean::booleanValue);
            poll("resume button", () -> text(q(row + " button[data-action=\"resume\"]") + ".textContent"),
                    label -> label.startsWith("Resume"));
            poll("blocked by pause", () -> text(q(row) + ".dataset.blockedBy"), "paused"::equals);
            assertTrue(number(row + "|dataset.waitListSize") > 0, "paused with a backlog");

            // Resume
            browser.click(row + " button[data-action=\"resume\"]");
            poll("API reports resumed", () -> flowKey(key).getBoolean("isPaused"), paused -> !paused);
            poll("paused badge gone", () -> bool(q(row + " .badge.paused") + " === null"), Boolean::booleanValue);
            poll("pause button back", () -> bool(q(row + " button[data-action=\"pause\"]") + " !== null"),
                    Boolean::booleanValue);

            // Pin parallelism 2 in the dialog, then unpin
            browser.click(row + " button[data-action=\"pin\"]");
            poll("pin dialog open", () -> bool(q("#pin-dialog") + ".open"), Boolean::booleanValue);
            browser.type("#pin-parallelism", "2");
            browser.click("#pin-submit");
            poll("API reports pinned parallelism 2", () -> flowKey(key),
                    k -> k.getBoolean("isPinnedParallelism") && k.getInt("parallelismMax") == 2);
            poll("pinned badge", () -> bool(q(row + " .badge.pinned-parallelism") + " !== null"),
                    Boolean::booleanValue);
            poll("limit shown", () -> cell(row, "parallelism"), shown -> shown.endsWith("/ 2"));
            browser.click(row + " button[data-action=\"unpin\"]");
            poll("API reports unpinned", () -> flowKey(key).getBoolean("isPinnedParallelism"), pinned -> !pinned);
            poll("pinned badge gone", () -> bool(q(row + " .badge.pinned") + " === null"), Boolean::booleanValue);

            // the audit trail, newest first
            browser.click(row + " button[data-action=\"events\"]");
            poll("audit trail of " + key, () -> text("[...document.querySelectorAll('#audit:not([hidden]) "
                            + "#audit-rows tr')].map(tr => tr.dataset.eventAction).join(',')"),
                    "unpin,pin,resume,pause"::equals);
            assertEquals(key, text(q("#audit-key") + ".textContent"));

            assertEquals(List.of(), browser.pageErrors(), "no script errors in the page");
        } catch (AssertionError | RuntimeException failure) {
            Path shot = Path.of("target", "blackbox", "console-failure.png");
            try {
                browser.screenshot(shot);
                failure.addSuppressed(new AssertionError("screenshot: " + shot.toAbsolutePath()
                        + "\npage errors: " + browser.pageErrors() + "\nconsole errors: " + browser.consoleErrors()
                        + "\npage text:\n" + text("document.body.innerText")));
            } catch (Exception | AssertionError unavailable) {
                failure.addSuppressed(unavailable);
            }
            throw failure;
        }
    }

    /** The key as the API reports it. */
    private JsonObject flowKey(String key) {
        Api.Reply reply = api.get("/v2/flowControl/" + key);
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private static String q(String selector) {
        return "document.querySelector(" + js(selector) + ")";
    }

    private String cell(String row, String field) {
        return text(q(row + " td[data-field=\"" + field + "\"]") + ".textContent.trim()");
    }

    private String text(String expression) {
        JsonValue value = browser.evaluate("(() => { try { return String(" + expression + "); }"
                + " catch (e) { return null; } })()");
        return value.getValueType() == JsonValue.ValueType.STRING ? ((jakarta.json.JsonString) value).getString()
                : "";
    }

    private boolean bool(String expression) {
        return JsonValue.TRUE.equals(browser.evaluate("(() => { try { return Boolean(" + expression + "); }"
                + " catch (e) { return false; } })()"));
    }

    /** "selector|property": a numeric property of the element, -1 if the element is not there. */
    private long number(String selectorAndProperty) {
        String[] parts = selectorAndProperty.split("\\|", 2);
        String value = text(q(parts[0]) + "." + parts[1]);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException missing) {
            return -1;
        }
    }

    /** Probes until the condition holds or WAIT passes; returns the last value. */
    private static <T> T poll(String what, Callable<T> probe, Predicate<T> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T value = probe.call();
        while (!condition.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("within " + WAIT + ": " + what + "; last seen: " + value);
            }
            Thread.sleep(100);
            value = probe.call();
        }
        return value;
    }
}
