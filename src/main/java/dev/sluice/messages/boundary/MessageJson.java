package dev.sluice.messages.boundary;

import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.Redaction;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

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
        if (redaction.body()) {
            json.add("body", Redaction.hidden(message.getBody()));
        } else {
            body(json, "body", "bodyBase64", message.getBody());
        }
        optional(json, "queueName", message.getQueueName());
        optional(json, "topicName", message.getTopicName());
        optional(json, "endpointName", message.getEndpointName());
        optional(json, "retryDelayExpression", message.getRetryDelay());
        optional(json, "callback", message.getCallback());
        optional(json, "failureCallback", message.getFailureCallback());
        optional(json, "callerIp", message.getCallerIp());
        optional(json, "lastError", message.getLastError());
        if (message.getResponseStatus() != null) {
            json.add("responseStatus", message.getResponseStatus());
        }
        optional(json, "callerIP", message.getCallerIp());
        if (message.getFlowKey() != null) {
            json.add("flowControlKey", message.getFlowKey()).add("period", message.getPeriodSeconds());
            if (message.getParallelism() != null) {
                json.add("parallelism", message.getParallelism());
            }
            if (message.getRate() != null) {
                json.add("rate", message.getRate());
            }
        }
        if (message.getLabels() != null) {
            JsonArrayBuilder labels = Json.createArrayBuilder();
            for (String label : message.getLabels().split(",")) {
                labels.add(label);
            }
            json.add("label", message.getLabels().split(",")[0]).add("labels", labels);
        }
        return json;
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

    private static void optional(JsonObjectBuilder json, String field, String value) {
        if (value != null) {
            json.add(field, value);
        }
    }
}
