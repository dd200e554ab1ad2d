package dev.sluice.delivery.control;

import dev.sluice.platform.entity.Json;
import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.messages.entity.Message;
import dev.sluice.publish.control.DraftReader;
import dev.sluice.platform.entity.InvalidInput;
import dev.sluice.publish.control.Publisher;
import dev.sluice.publish.entity.MessageDraft;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * QStash callbacks: after a delivery succeeded ({@code Upstash-Callback}) or failed for good
 * ({@code Upstash-Failure-Callback}), a new message carrying the destination's answer is published to the
 * callback URL, in the same transaction as the outcome. It is delivered (retried, signed) like any message.
 */
@ApplicationScoped
public class Callbacks {

    private static final Logger LOG = Logger.getLogger(Callbacks.class.getName());

    @Inject
    Publisher publisher;

    @Inject
    DraftReader reader;

    public void delivered(Message source, AttemptResult result, long now) {
        if (source.getCallback() != null) {
            publish(source.getCallback(), source.getCallbackHeaders(), payload(source, result), source, now);
        }
    }

    public void failed(Message source, AttemptResult result, String dlqId, long now) {
        if (source.getFailureCallback() != null) {
            publish(source.getFailureCallback(), source.getFailureCallbackHeaders(),
                    payload(source, result).add("dlqId", dlqId), source, now);
        }
    }

    /**
     * Published as if with the stored {@code Upstash-Callback-<X>} / {@code Upstash-Failure-Callback-<X>}
     * configuration (validated when the source was published): POST, the source's retries and timeout by default.
     */
    private void publish(String url, String config, JsonObjectBuilder payload, Message source, long now) {
        byte[] body = payload.build().toString().getBytes(StandardCharsets.UTF_8);
        MessageDraft callback;
        try {
            callback = reader.callback(url, HeaderMap.fromJson(config), body, source.getMaxRetries(),
                    source.getTimeoutMillis(), source.getRedaction(), now, source.getCallerIp());
        } catch (InvalidInput e) {
            // validated at publish time; should a stored configuration no longer read, the callback still goes out
            LOG.warning(() -> "Callback configuration of " + source.getId() + " ignored: " + e.getMessage());
            callback = reader.callback(url, Map.of(), body, source.getMaxRetries(), source.getTimeoutMillis(),
                    source.getRedaction(), now, source.getCallerIp());
        }
        publisher.accept(List.of(callback));
    }

    /** The body QStash's callbacks carry (the SDK's types; {@code sourceMessasgeId} is the docs' spelling). */
    static JsonObjectBuilder payload(Message source, AttemptResult result) {
        Base64.Encoder base64 = Base64.getEncoder();
        JsonObjectBuilder json = Json.createObjectBuilder()
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
        if (source.getTopicName() != null) {
            json.add("topicName", source.getTopicName());
        }
        if (source.getScheduleId() != null) {
            json.add("scheduleId", source.getScheduleId());
        }
        if (source.getEndpointName() != null) {
            json.add("endpointName", source.getEndpointName());
        }
        if (result.error() != null) {
            json.add("error", result.error());
        }
        return json;
    }
}
