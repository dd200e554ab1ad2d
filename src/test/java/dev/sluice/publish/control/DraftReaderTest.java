package dev.sluice.publish.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.messages.entity.Redaction;
import dev.sluice.platform.entity.InvalidInput;
import dev.sluice.publish.entity.MessageDraft;
import dev.sluice.publish.entity.RequestHeaders;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DraftReaderTest {

    private static final long NOW = 1_700_000_000_000L;
    private final DraftReader reader = new DraftReader(new DraftReader.Limits(1024, Duration.ofMinutes(15),
            Duration.ofHours(2)));

    private MessageDraft read(Map<String, String> headers) {
        Map<String, List<String>> multi = new LinkedHashMap<>();
        headers.forEach((name, value) -> multi.put(name, List.of(value)));
        return reader.read("https://example.com/a", new RequestHeaders(multi), new byte[0], NOW, "10.0.0.1");
    }

    @Test
    void callbackConfigurationIsStoredAsUpstashHeaders() {
        MessageDraft draft = read(Map.of(
                "Upstash-Callback", "https://example.com/cb",
                "upstash-callback-retries", "2",
                "Upstash-Callback-Forward-Upstash-Workflow-RunId", "wfr_1",
                "Upstash-Failure-Callback", "https://example.com/fcb",
                "Upstash-Failure-Callback-Forward-Upstash-Workflow-Failure-Callback", "true"));

        assertEquals(Map.of("Upstash-retries", List.of("2"), "Upstash-Forward-Upstash-Workflow-RunId", List.of("wfr_1")),
                draft.callbackHeaders());
        assertEquals(Map.of("Upstash-Forward-Upstash-Workflow-Failure-Callback", List.of("true")),
                draft.failureCallbackHeaders());
        assertTrue(draft.forwardedHeaders().isEmpty(), "configuration is not forwarded with the message itself");
    }

    @Test
    void callbackConfigurationWithoutCallbackIsIgnored() {
        MessageDraft draft = read(Map.of("Upstash-Callback-Retries", "not even a number"));
        assertEquals(Map.of(), draft.callbackHeaders());
        assertNull(draft.callback());
    }

    @Test
    void badCallbackConfigurationIsRejectedAtPublishTime() {
        for (Map<String, String> bad : List.of(
                Map.of("Upstash-Callback-Retries", "-1"),
                Map.of("Upstash-Callback-Timeout", "3h"),
                Map.of("Upstash-Callback-Method", "FETCH"),
                Map.of("Upstash-Callback-Delay", "soon"),
                Map.of("Upstash-Callback-Flow-Control-Key", "k"),
                Map.of("Upstash-Callback-Redact-Fields", "password"),
                Map.of("Upstash-Callback-Callback", "ftp://nested"))) {
            Map<String, String> headers = new LinkedHashMap<>(bad);
            headers.put("Upstash-Callback", "https://example.com/cb");
            InvalidInput error = assertThrows(InvalidInput.class, () -> read(headers), bad.toString());
            assertTrue(error.getMessage().startsWith("Upstash-Callback-* configuration: "), error.getMessage());
        }
        InvalidInput failure = assertThrows(InvalidInput.class, () -> read(Map.of(
                "Upstash-Failure-Callback", "https://example.com/fcb", "Upstash-Failure-Callback-Retries", "x")));
        assertTrue(failure.getMessage().startsWith("Upstash-Failure-Callback-* configuration: "));
    }

    @Test
    void callbackMessageDefaultsToPostAndTheSourcesRetriesAndTimeout() {
        MessageDraft callback = reader.callback("https://example.com/cb", Map.of(), "{}".getBytes(), 5, 7_000,
                Redaction.NONE, NOW, "10.0.0.1");
        assertEquals("POST", callback.method());
        assertEquals(5, callback.maxRetries());
        assertEquals(7_000, callback.timeoutMillis());
        assertEquals(NOW, callback.notBefore());
        assertEquals(List.of("application/json"), callback.forwardedHeaders().get("Content-Type"));
        assertTrue(callback.redaction().isEmpty());
    }

    @Test
    void callbackMessageIsConfiguredLikeAPublishWithTheStoredHeaders() {
        Map<String, List<String>> config = new LinkedHashMap<>();
        config.put("Upstash-method", List.of("PUT"));
        config.put("Upstash-retries", List.of("0"));
        config.put("Upstash-Timeout", List.of("10s"));
        config.put("Upstash-Delay", List.of("1m"));
        config.put("Upstash-Retry-Delay", List.of("1000 * retried"));
        config.put("Upstash-Forward-X-Cb", List.of("yes"));
        config.put("Upstash-Flow-Control-Key", List.of("cb-key"));
        config.put("Upstash-Flow-Control-Value", List.of("parallelism=2"));
        config.put("Upstash-Label", List.of("a,b"));

        MessageDraft callback = reader.callback("https://example.com/cb", config, "{}".getBytes(), 5, 7_000,
                Redaction.NONE, NOW, null);

        assertEquals("PUT", callback.method());
        assertEquals(0, callback.maxRetries());
        assertEquals(10_000, callback.timeoutMillis());
        assertEquals(NOW + 60_000, callback.notBefore());
        assertEquals("1000 * retried", callback.retryDelay().text());
        assertEquals(List.of("yes"), callback.forwardedHeaders().get("X-Cb"));
        assertEquals("cb-key", callback.flowKey());
        assertEquals(2, callback.flowConfig().parallelism());
        assertEquals(List.of("a", "b"), callback.labels());
    }

    @Test
    void callbackPayloadMayExceedTheBodyLimit() {
        MessageDraft callback = reader.callback("https://example.com/cb", Map.of(), new byte[4096], 0, 1_000,
                Redaction.NONE, NOW, null);
        assertEquals(4096, callback.body().length);
        assertThrows(InvalidInput.class, () -> reader.read("https://example.com/a", new RequestHeaders(Map.of()),
                new byte[4096], NOW, null));
    }

    @Test
    void callbackOfARedactedMessageHidesItsBody() {
        MessageDraft callback = reader.callback("https://example.com/cb",
                Map.of("Upstash-Redact-Fields", List.of("header[X]")), "{}".getBytes(), 0, 1_000,
                Redaction.parse("header[Authorization]"), NOW, null);
        assertEquals("body,header[X]", callback.redaction().text());
    }

    @Test
    void queueNameAndRedactionAreRead() {
        MessageDraft draft = read(Map.of("Upstash-Queue-Name", "q-1.a_b", "Upstash-Redact-Fields", "body"));
        assertEquals("q-1.a_b", draft.queueName());
        assertTrue(draft.redaction().body());
        assertThrows(InvalidInput.class, () -> read(Map.of("Upstash-Queue-Name", "no spaces")));
    }
}
