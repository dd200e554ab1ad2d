package dev.sluice.messages.boundary;

import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.Redaction;
import dev.sluice.platform.entity.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** A message as QStash's API shows it (GET /v2/messages/{id}, DLQ entries). */
public final class MessageJson {

    private MessageJson() {
    }

    /** Fields named in {@code Upstash-Redact-Fields} show as {@code REDACTED:<sha256>} (see {@link Redaction}). */
    public static JsonObjectBuilder of(Message message) {
        Redaction redaction = message.getRedaction();
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("messageId", message.getId())
                .add("url", message.getDestination())
                .add("method", message.getMethod())
                .add("header", HeaderMap.toJsonObject(redaction.headers(HeaderMap.fromJson(message.getHeaders()))))
                .add("maxRetries", message.getMaxRetries())
                .add("retried", message.getRetried())
                .add("notBefore", message.getNotBefore())
                .add("createdAt", message.getCreatedAt())
                .add("state", message.getState().name());
        shownBody(json, redaction, message.getBody());
        optional(json, "queueName", message.getQueueName());
        optional(json, "topicName", message.getTopicName());
        optional(json, "endpointName", message.getEndpointName());
        optional(json, "scheduleId", message.getScheduleId());
        optional(json, "retryDelayExpression", message.getRetryDelay());
        optional(json, "callback", message.getCallback());
        optional(json, "failureCallback", message.getFailureCallback());
        optional(json, "callerIp", message.getCallerIp());
        optional(json, "lastError", message.getLastError());
        if (message.getResponseStatus() != null) {
            json.add("responseStatus", message.getResponseStatus());
        }
        optional(json, "callerIP", message.getCallerIp());
        flowControl(json, message.getFlowKey(), message.getParallelism(), message.getRate(),
                message.getPeriodSeconds());
        labels(json, message.getLabels() == null ? List.of() : List.of(message.getLabels().split(",")));
        return json;
    }

    /** The body as text if it is UTF-8, else base64; {@code REDACTED:<sha256>} when redacted. */
    public static void shownBody(JsonObjectBuilder json, Redaction redaction, byte[] body) {
        if (redaction.body()) {
            json.add("body", Redaction.hidden(body));
        } else {
            body(json, "body", "bodyBase64", body);
        }
    }

    /** {@code flowControlKey}, {@code parallelism}, {@code rate}, {@code period} (seconds); nothing without a key. */
    public static void flowControl(JsonObjectBuilder json, String key, Integer parallelism, Integer rate,
                                   Long periodSeconds) {
        if (key != null) {
            json.add("flowControlKey", key).add("period", periodSeconds);
            if (parallelism != null) {
                json.add("parallelism", parallelism);
            }
            if (rate != null) {
                json.add("rate", rate);
            }
        }
    }

    /** {@code labels} and the deprecated {@code label} (the first); nothing without labels. */
    public static void labels(JsonObjectBuilder json, List<String> labels) {
        if (!labels.isEmpty()) {
            JsonArrayBuilder array = Json.createArrayBuilder();
            labels.forEach(array::add);
            json.add("label", labels.get(0)).add("labels", array);
        }
    }

    public static JsonObjectBuilder withResponse(Message message) {
        JsonObjectBuilder json = of(message);
        optional(json, "dlqId", message.getDlqId());
        if (message.getResponseHeaders() != null) {
            json.add("responseHeader", HeaderMap.toJsonObject(HeaderMap.fromJson(message.getResponseHeaders())));
        }
        if (message.getResponseBody() != null) {
            body(json, "responseBody", "responseBodyBase64", message.getResponseBody());
        }
        return json;
    }

    private static void body(JsonObjectBuilder json, String textField, String base64Field, byte[] bytes) {
        try {
            json.add(textField, StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException notText) {
            json.add(base64Field, Base64.getEncoder().encodeToString(bytes));
        }
    }

    public static void optional(JsonObjectBuilder json, String field, String value) {
        if (value != null) {
            json.add(field, value);
        }
    }
}
