package dev.sluice.blackbox;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A thin HTTP client for Sluice's API, as a curl user would call it. */
public final class Api {

    private final String baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    Api(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public record Reply(int status, String body) {
        public JsonObject json() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        public JsonStructure structure() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.read();
            }
        }
    }

    /** POST /v2/publish/{destination} with QStash headers; returns the reply. */
    public Reply publish(String destination, String body, Map<String, String> headers) {
        return call("POST", "/v2/publish/" + destination, body, headers, true);
    }

    /** Publishes and returns the message id, failing the test if Sluice refused. */
    public String publishOk(String destination, String body, Map<String, String> headers) {
        Reply reply = publish(destination, body, headers);
        if (reply.status() != 200) {
            throw new AssertionError("publish refused: " + reply);
        }
        return reply.json().getString("messageId");
    }

    /** Polls the message until it is in the state or the timeout passes; answers the message as last read. */
    public JsonObject awaitState(String messageId, String state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject message = get("/v2/messages/" + messageId).json();
        while (!state.equals(message.getString("state")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            message = get("/v2/messages/" + messageId).json();
        }
        return message;
    }

    public Reply get(String path) {
        return call("GET", path, null, Map.of(), true);
    }

    public Reply post(String path, String body) {
        return call("POST", path, body, Map.of("Content-Type", "application/json"), true);
    }

    public Reply delete(String path) {
        return call("DELETE", path, null, Map.of(), true);
    }

    public Reply withoutToken(String method, String path, String body) {
        return call(method, path, body, Map.of(), false);
    }

    public Reply call(String method, String path, String body, Map<String, String> headers, boolean authorized) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (authorized) {
            all.putIfAbsent("Authorization", "Bearer " + token);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        all.forEach(request::header);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
