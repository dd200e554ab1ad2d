package dev.sluice.delivery.entity;

import java.util.List;
import java.util.Map;

/** One HTTP request to make: the stored message as its destination will see it. */
public record Outgoing(String messageId, String url, String method, Map<String, List<String>> headers, byte[] body,
                       int retried, long timeoutMillis, long dueAt) {
}
