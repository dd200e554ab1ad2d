package dev.sluice.delivery.control;

import jakarta.json.spi.JsonProvider;
import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.messages.entity.Message;
import dev.sluice.publish.control.Publisher;
import dev.sluice.publish.entity.Destination;
import dev.sluice.publish.entity.MessageDraft;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * QStash callbacks: after a delivery succeeded ({@code Upstash-Callback}) or failed for good
 * ({@code Upstash-Failure-Callback}), a new message carrying the destination's answer is published to the
 * callback URL, in the same transaction as the outcome. It is delivered (retried, signed) like any message.
 */
@ApplicationScoped
public class Callbacks {

    /** {@code Json.createX} looks the provider up on every call, scanning the class path: look it up once. */
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    Publisher publisher;

    public void delivered(Message source, AttemptResult result, long now) {
        if (source.getCallback() != null) {
            publish(source.getCallback(), payload(source, result), source, now);
        }
    }

    public void failed(Message source, AttemptResult result, String dlqId, long now) {
        if (source.getFailureCallback() != null) {
            publish(source.getFailureCallback(), payload(source, result).add("dlqId", dlqId), source, now);
        }
    }

    private void publish(String url, JsonObjectBuilder payload, Message source, long now) {
        byte[] body = payload.build().toString().getBytes(StandardCharsets.UTF_8);
        publisher.accept(List.of(new MessageDraft(new Destination(url), "POST",
                Map.of("Content-Type", List.of("application/json")), body, now, source.getMaxRetries(), null,
                source.getTimeoutMillis(), null, null, null, null, List.of(), source.getCallerIp(), null)));
    }

    /** The body QStash's callbacks carry (the SDK's types; {@code sourceMessasgeId} is the docs' spelling). */
    static JsonObjectBuilder payload(Message source, AttemptResult result) {
        Base64.Encoder base64 = Base64.getEncoder();
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("status", result.status() == null ? 0 : result.status())
                .add("header", HeaderMap.toJsonObject(result.headers().map()))
                .add("body", base64.encodeToString(result.body()))
                .add("retried", source.getRetried())
                .add("maxRetries", source.getMaxRetries())
                .add("sourceMessageId", source.getId())
                .add("sourceMessasgeId", source.getId())
                .add("url", source.getDestination())
                .add("method", source.getMethod())
                .add("sourceHeader", HeaderMap.toJsonObject(HeaderMap.fromJson(source.getHeaders())))
                .add("sourceBody", base64.encodeToString(source.getBody()))
                .add("notBefore", source.getNotBefore())
                .add("createdAt", source.getCreatedAt());
        if (source.getCallerIp() != null) {
            json.add("callerIP", source.getCallerIp());
        }
        if (result.error() != null) {
            json.add("error", result.error());
        }
        return json;
    }
}
