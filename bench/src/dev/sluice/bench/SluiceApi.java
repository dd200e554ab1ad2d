package dev.sluice.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** Sluice's HTTP API as the bench uses it: publish, batch, flow-control state, bulk cancel, metrics. */
final class SluiceApi {

    /**
     * One message to publish: destination tag, optional flow-control key and value, sequence number, and the unix
     * second before which it must not be delivered ({@code Upstash-Not-Before}; 0: none).
     */
    record Draft(String tag, String key, String limits, long seq, long notBefore) {
        Draft(String tag, String key, String limits, long seq) {
            this(tag, key, limits, seq, 0);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    private final String token;
    private final Sink sink;
    final String body;

    SluiceApi(String base, String token, Sink sink, int payloadBytes) {
        this.base = base;
        this.token = token;
        this.sink = sink;
        this.body = "x".repeat(payloadBytes);
    }

    /** Publishes one message; the HTTP status (201 when accepted), -1 on an I/O error. */
    int publish(Draft draft) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/v2/publish/" + sink.url(draft.tag())))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .header("Upstash-Forward-X-Bench-Seq", Long.toString(draft.seq()))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (draft.key() != null) {
            request.header("Upstash-Flow-Control-Key", draft.key())
                    .header("Upstash-Flow-Control-Value", draft.limits())
                    .header("Upstash-Forward-X-Bench-Key", draft.key());
        }
        if (draft.notBefore() > 0) {
            request.header("Upstash-Not-Before", Long.toString(draft.notBefore()));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Publishes the drafts in one {@code POST /v2/batch}; the HTTP status. */
    int batch(List<Draft> drafts) {
        StringBuilder json = new StringBuilder(drafts.size() * (body.length() + 200)).append('[');
        for (Draft d : drafts) {
            if (json.length() > 1) json.append(',');
            json.append("{\"destination\":\"").append(sink.url(d.tag())).append("\",\"headers\":{")
                    .append("\"Content-Type\":\"application/octet-stream\",")
                    .append("\"Upstash-Forward-X-Bench-Seq\":\"").append(d.seq()).append('"');
            if (d.key() != null) {
                json.append(",\"Upstash-Flow-Control-Key\":\"").append(d.key()).append('"')
                        .append(",\"Upstash-Flow-Control-Value\":\"").append(d.limits()).append('"')
                        .append(",\"Upstash-Forward-X-Bench-Key\":\"").append(d.key()).append('"');
            }
            if (d.notBefore() > 0) {
                json.append(",\"Upstash-Not-Before\":\"").append(d.notBefore()).append('"');
            }
            json.append("},\"body\":\"").append(body).append("\"}");
        }
        json.append(']');
        try {
            return send("POST", "/v2/batch", HttpRequest.BodyPublishers.ofString(json.toString()), 120).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    HttpResponse<String> get(String path, int timeoutSeconds) throws IOException {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), timeoutSeconds);
    }

    /** An operator action on a flow-control key ({@code POST /v2/flowControl/{key}/{action}}), e.g. pause. */
    void flowControl(String key, String action) {
        try {
            HttpResponse<String> r = send("POST", "/v2/flowControl/" + key + "/" + action,
                    HttpRequest.BodyPublishers.noBody(), 30);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(action + " " + key + ": " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException(action + " " + key + " failed", e);
        }
    }

    /** Cancels every pending message ({@code DELETE /v2/messages} without a filter). */
    String cancelAll() {
        try {
            HttpResponse<String> r = send("DELETE", "/v2/messages", HttpRequest.BodyPublishers.noBody(), 300);
            return r.statusCode() + " " + r.body();
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    PromText metrics(String scope) {
        try {
            HttpResponse<String> r = send("GET", "/metrics?scope=" + scope, HttpRequest.BodyPublishers.noBody(), 10);
            return r.statusCode() == 200 ? new PromText(r.body()) : PromText.empty();
        } catch (IOException e) {
            return PromText.empty();
        }
    }

    double usedHeapBytes() { return metrics("base").get("memory_usedHeap_bytes"); }

    private HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, int timeoutSeconds)
            throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(timeoutSeconds))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
