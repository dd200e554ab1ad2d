package dev.sluice.blackbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Publish → broker → gatekeeper → worker → destination, through the real artifact and a local sink. */
class PipelineIT extends AgainstSharedSluice {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final SluiceProcess sluice;

    PipelineIT(SluiceProcess sluice) {
        super(sluice);
        this.sluice = sluice;
    }

    @Test
    void aPublisherAskingForCleartextHttp2IsAccepted() throws Exception {
        // Java's HttpClient asks for h2c by default; without HTTP/2, Grizzly took the request for an upgrade to
        // another protocol and never read its body
        HttpClient defaultClient = HttpClient.newHttpClient();
        HttpResponse<String> reply = defaultClient.send(HttpRequest.newBuilder(
                        URI.create(sluice.baseUrl() + "/v2/publish/" + sink.url("/h2c")))
                .header("Authorization", "Bearer " + SluiceProcess.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("over h2c?")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, reply.statusCode(), reply.body());
        assertEquals("over h2c?", single(sink.await(r -> true, 1, WAIT)).bodyText());
    }

    @Test
    void deliversBodyMethodForwardedHeadersAndQueryUnchanged() throws Exception {
        long published = System.currentTimeMillis();
        String id = api.publishOk(sink.url("/hook/a?x=1&y=two"), "{\"hello\":1}", Map.of(
                "Content-Type", "application/json",
                "Upstash-Method", "PUT",
                "Upstash-Forward-X-Custom", "v1",
                "Upstash-Forward-Upstash-Label", "forwarded-label"));

        Sink.Received request = single(sink.await(r -> true, 1, WAIT));
        assertEquals("PUT", request.method());
        assertEquals("/hook/a?x=1&y=two", request.uri());
        assertEquals("{\"hello\":1}", request.bodyText());
        assertEquals("application/json", request.header("Content-Type"));
        assertEquals("v1", request.header("X-Custom"));
        assertEquals("forwarded-label", request.header("Upstash-Label"));
        assertEquals(id, request.header("Upstash-Message-Id"));
        assertEquals("0", request.header("Upstash-Retried"));
        assertEquals("Upstash-QStash", request.header("User-Agent"));
        System.out.printf("publish -> delivery: %d ms%n", request.arrivedEpochMillis() - published);
        awaitState(id, "DELIVERED");
    }

    @Test
    void retriesFailedAttemptsUntilTheDestinationAccepts() throws Exception {
        sink.answering((request, attempt) -> attempt < 3 ? Sink.Answer.status(503) : Sink.Answer.ok());
        String id = api.publishOk(sink.url("/flaky"), "x", Map.of("Upstash-Retries", "3"));

        List<Sink.Received> attempts = sink.await(r -> true, 3, WAIT);
        assertEquals(List.of("0", "1", "2"), attempts.stream().map(r -> r.header("Upstash-Retried")).toList());
        assertTrue(attempts.stream().allMatch(r -> id.equals(r.header("Upstash-Message-Id"))));
        JsonObject message = awaitState(id, "DELIVERED");
        assertEquals(2, message.getInt("retried"));
    }

    @Test
    void deadLettersAfterTheLastRetryThenRetriesAndDeletesFromTheDlq() throws Exception {
        String path = "/always-fails/" + UUID.randomUUID();
        sink.answering((request, attempt) -> request.uri().equals(path) ? Sink.Answer.status(500) : Sink.Answer.ok());
        String id = api.publishOk(sink.url(path), "payload", Map.of("Upstash-Retries", "2"));

        assertEquals(3, sink.await(r -> r.uri().equals(path), 3, WAIT).size());
        awaitState(id, "FAILED");
        JsonObject entry = dlqEntry(id);
        assertEquals(500, entry.getInt("responseStatus"));
        assertEquals("payload", entry.getString("body"));
        String dlqId = entry.getString("dlqId");

        sink.answering((request, attempt) -> Sink.Answer.ok());
        Api.Reply retried = api.post("/v2/dlq/retry?dlqIds=" + dlqId, null);
        assertEquals(201, retried.status(), retried.body());
        String newId = retried.json().getJsonArray("responses").getJsonObject(0).getString("messageId");
        assertEquals("payload", single(sink.await(r -> newId.equals(r.header("Upstash-Message-Id")), 1, WAIT))
                .bodyText());
        assertTrue(dlqIds().stream().noneMatch(dlqId::equals), "a retried entry leaves the DLQ");
        assertEquals(404, api.delete("/v2/dlq/" + dlqId).status());
    }

    @Test
    void deletesDlqEntries() throws Exception {
        sink.answering((request, attempt) -> Sink.Answer.status(400));
        String id = api.publishOk(sink.url("/rejects"), "x", Map.of("Upstash-Retries", "0"));
        awaitState(id, "FAILED");
        String dlqId = dlqEntry(id).getString("dlqId");

        assertEquals(200, api.delete("/v2/dlq/" + dlqId).status());
        assertTrue(dlqIds().stream().noneMatch(dlqId::equals));
        assertEquals(404, api.delete("/v2/dlq/" + dlqId).status());
    }

    @Test
    void nonRetryableErrorGoesStraightToTheDlq() throws Exception {
        sink.answering((request, attempt) -> new Sink.Answer(489, Map.of("Upstash-NonRetryable-Error", "true"),
                Duration.ZERO));
        String id = api.publishOk(sink.url("/non-retryable"), "x", Map.of("Upstash-Retries", "3"));

        awaitState(id, "FAILED");
        Thread.sleep(300);
        assertEquals(1, sink.received().size(), "no retry after a non-retryable error");
    }

    @Test
    void cancelledMessageIsNeverDelivered() throws Exception {
        String id = api.publishOk(sink.url("/cancelled"), "x", Map.of("Upstash-Delay", "2s"));

        Api.Reply cancel = api.delete("/v2/messages/" + id);
        assertEquals(202, cancel.status());
        assertEquals(1, cancel.json().getInt("cancelled"));
        assertEquals("CANCELLED", api.get("/v2/messages/" + id).json().getString("state"));
        assertEquals(List.of("CANCELLED", "CREATED"), loggedStates(id));

        Thread.sleep(3_000);
        assertEquals(List.of(), sink.received(), "a cancelled message must not be delivered");
        assertEquals(0, api.delete("/v2/messages/" + id).json().getInt("cancelled"));
        assertEquals(404, api.delete("/v2/messages/msg_unknown").status());
    }

    @Test
    void bulkCancelByFlowControlKeyCancelsOnlyThatKey() throws Exception {
        String key = "bulk-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            api.publishOk(sink.url("/fc/" + key + "/" + i), "x", Map.of("Upstash-Delay", "2s",
                    "Upstash-Flow-Control-Key", key, "Upstash-Flow-Control-Value", "parallelism=1"));
        }
        String other = api.publishOk(sink.url("/other"), "x", Map.of("Upstash-Delay", "2s"));

        Api.Reply cancel = api.delete("/v2/messages?flowControlKey=" + key);
        assertEquals(3, cancel.json().getInt("cancelled"));
        sink.await(r -> true, 1, Duration.ofSeconds(5));
        Thread.sleep(500);
        assertEquals(List.of("/other"), sink.received().stream().map(Sink.Received::uri).toList());
        awaitState(other, "DELIVERED");
    }

    @Test
    void bulkCancelSpanningSeveralTransactionsCancelsAndCountsThemAll() {
        String key = "bulk-many-" + UUID.randomUUID();
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 250; i++) {
            batch.append(i > 0 ? "," : "").append("{\"destination\":\"").append(sink.url("/fc/" + key + "/" + i))
                    .append("\",\"headers\":{\"upstash-delay\":\"30s\",\"upstash-flow-control-key\":\"")
                    .append(key).append("\",\"upstash-flow-control-value\":\"parallelism=1\"}}");
        }
        Api.Reply publish = api.post("/v2/batch", batch.append("]").toString());
        assertEquals(200, publish.status(), publish.body());
        var published = publish.structure().asJsonArray();

        assertEquals(250, api.delete("/v2/messages?flowControlKey=" + key).json().getInt("cancelled"));
        for (var message : List.of(published.get(0), published.get(123), published.get(249))) {
            String id = message.asJsonObject().getString("messageId");
            assertEquals("CANCELLED", api.get("/v2/messages/" + id).json().getString("state"), id);
            assertEquals(List.of("CANCELLED", "CREATED"), loggedStates(id), id);
        }
        assertEquals(0, api.delete("/v2/messages?flowControlKey=" + key).json().getInt("cancelled"));
    }

    @Test
    void delayAndNotBeforeHoldTheFirstAttempt() throws Exception {
        long published = System.currentTimeMillis();
        api.publishOk(sink.url("/delayed"), "x", Map.of("Upstash-Delay", "2s"));
        long notBefore = (published / 1000) + 3;
        api.publishOk(sink.url("/not-before"), "x", Map.of("Upstash-Not-Before", Long.toString(notBefore)));

        Sink.Received delayed = single(sink.await(r -> r.uri().equals("/delayed"), 1, WAIT));
        Sink.Received scheduled = single(sink.await(r -> r.uri().equals("/not-before"), 1, WAIT));
        assertTrue(delayed.arrivedEpochMillis() - published >= 2_000, "Upstash-Delay: 2s");
        assertTrue(scheduled.arrivedEpochMillis() >= notBefore * 1000, "Upstash-Not-Before");
    }

    @Test
    void batchPublishesEveryEntry() throws Exception {
        String batch = "[{\"destination\":\"" + sink.url("/batch/1") + "\",\"body\":\"one\"},"
                + "{\"destination\":\"" + sink.url("/batch/2") + "\",\"headers\":{\"upstash-method\":\"PUT\","
                + "\"upstash-forward-x-n\":\"2\"},\"body\":\"two\"}]";
        Api.Reply reply = api.post("/v2/batch", batch);

        assertEquals(200, reply.status(), reply.body());
        JsonArray ids = reply.structure().asJsonArray();
        assertEquals(2, ids.size());
        List<Sink.Received> received = sink.await(r -> true, 2, WAIT);
        Sink.Received second = received.stream().filter(r -> r.uri().equals("/batch/2")).findFirst().orElseThrow();
        assertEquals("PUT", second.method());
        assertEquals("2", second.header("X-N"));
        assertEquals("two", second.bodyText());
    }

    @Test
    void rejectsMissingOrWrongTokens() {
        for (Api.Reply reply : List.of(
                api.withoutToken("GET", "/v2/dlq", null),
                api.call("GET", "/v2/dlq", null, Map.of("Authorization", "Bearer wrong"), false),
                api.withoutToken("POST", "/v2/publish/" + sink.url("/x"), "x"))) {
            assertEquals(401, reply.status());
            assertNotNull(reply.json().getString("error"));
        }
        assertEquals(200, api.withoutToken("GET", "/v2/dlq?qstash_token=" + SluiceProcess.TOKEN, null).status());
    }

    @Test
    void rejectsBadInputWithAClearErrorAndStoresNothing() throws Exception {
        String url = sink.url("/never");
        assertBadRequest(api.publish("not-a-url", "x", Map.of()), "destination");
        assertBadRequest(api.publish("ftp://127.0.0.1/x", "x", Map.of()), "http");
        assertBadRequest(api.publish(url, "x", Map.of("Upstash-Flow-Control-Key", "k",
                "Upstash-Flow-Control-Value", "parallelism=0")), "parallelism");
        assertBadRequest(api.publish(url, "x", Map.of("Upstash-Flow-Control-Key", "k",
                "Upstash-Flow-Control-Value", "rate=abc")), "rate");
        assertBadRequest(api.publish(url, "x", Map.of("Upstash-Flow-Control-Key", "k",
                "Upstash-Flow-Control-Value", "burst=3")), "burst");
        assertBadRequest(api.publish(url, "x", Map.of("Upstash-Flow-Control-Value", "rate=1")), "Key");
        assertBadRequest(api.publish(url, "x", Map.of("Upstash-Flow-Control-Key", "bad key",
                "Upstash-Flow-Control-Value", "rate=1")), "Upstash-Flow-Control-Key");
        assertBadRequest(api.publish(url, "x", Map.of("Upstash-Retries", "-1")), "Upstash-Retries");
        assertBadRequest(api.publish(url, "x", Map.of("Upstash-Delay", "soon")), "Upstash-Delay");
        assertBadRequest(api.publish(url, "x", Map.of("Upstash-Method", "BREW")), "Upstash-Method");
        assertBadRequest(api.publish(url, "x".repeat(1024 * 1024 + 1), Map.of()), "body");
        assertBadRequest(api.post("/v2/batch", "[{\"destination\":\"" + url + "\"},{\"destination\":\"nope\"}]"),
                "batch entry 1");

        Thread.sleep(1_000);
        assertEquals(List.of(), sink.received(), "rejected requests must not lead to deliveries");
    }

    private static void assertBadRequest(Api.Reply reply, String mentioned) {
        assertEquals(400, reply.status(), reply.body());
        String error = reply.json().getString("error");
        assertTrue(error.contains(mentioned), "error should mention '" + mentioned + "': " + error);
    }

    /** The states of the message's log entries, newest first. */
    private List<String> loggedStates(String id) {
        return api.get("/v2/events?messageId=" + id).json().getJsonArray("events").getValuesAs(JsonObject.class)
                .stream().map(event -> event.getString("state")).toList();
    }

    private JsonObject awaitState(String id, String state) throws InterruptedException {
        JsonObject message = api.awaitState(id, state, WAIT);
        if (!state.equals(message.getString("state"))) {
            // the message's log tells which step is missing
            assertEquals(state, message.getString("state"), message + "\nevents: "
                    + api.get("/v2/events?messageId=" + id).body());
        }
        return message;
    }

    private JsonObject dlqEntry(String messageId) {
        return api.get("/v2/dlq").json().getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .filter(entry -> entry.getString("messageId").equals(messageId))
                .findFirst().orElseThrow(() -> new AssertionError(messageId + " is not in the DLQ"));
    }

    private List<String> dlqIds() {
        return api.get("/v2/dlq").json().getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                .map(entry -> entry.getString("dlqId")).toList();
    }

    private static Sink.Received single(List<Sink.Received> received) {
        assertEquals(1, received.size(), "expected exactly one request, got " + received);
        return received.get(0);
    }
}
