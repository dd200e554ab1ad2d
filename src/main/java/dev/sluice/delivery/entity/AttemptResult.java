package dev.sluice.delivery.entity;

import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * How one delivery attempt ended: an HTTP response (any status) or no response at all (connection error,
 * timeout). Success is a 2xx response.
 */
public record AttemptResult(Integer status, HttpHeaders headers, byte[] body, String error) {

    public static AttemptResult response(int status, HttpHeaders headers, byte[] body) {
        return new AttemptResult(status, headers, body, null);
    }

    public static AttemptResult noResponse(String error) {
        return new AttemptResult(null, HttpHeaders.of(java.util.Map.of(), (a, b) -> true), new byte[0], error);
    }

    public boolean succeeded() {
        return status != null && status >= 200 && status < 300;
    }

    /** 489 + Upstash-NonRetryable-Error: true means: do not retry, go to the DLQ now. */
    public boolean retryable() {
        return !(status != null && status == 489
                && headers.firstValue("Upstash-NonRetryable-Error").map("true"::equalsIgnoreCase).orElse(false));
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }
}
