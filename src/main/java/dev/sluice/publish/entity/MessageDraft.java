package dev.sluice.publish.entity;

import dev.sluice.delivery.entity.RetryDelayExpression;
import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.messages.entity.Redaction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated publish request, not yet stored.
 *
 * @param flowKey the flow-control key or null; flowConfig is set exactly when flowKey is
 * @param notBefore epoch millis of the first attempt
 * @param deduplicationId null when the publish asked for no deduplication
 * @param queueName the queue the message was enqueued into, or null
 * @param callbackHeaders the configuration of the callback message as {@code Upstash-<X>} headers (from
 *        {@code Upstash-Callback-<X>}); empty without a callback
 * @param failureCallbackHeaders the same for the failure callback ({@code Upstash-Failure-Callback-<X>})
 * @param topicName the URL group the message was published to, or null; endpointName its endpoint's name or null
 * @param scheduleId the schedule that made the message, or null
 */
public record MessageDraft(
        Destination destination,
        String method,
        Map<String, List<String>> forwardedHeaders,
        byte[] body,
        long notBefore,
        int maxRetries,
        RetryDelayExpression retryDelay,
        long timeoutMillis,
        String flowKey,
        FlowConfig flowConfig,
        String callback,
        String failureCallback,
        List<String> labels,
        String callerIp,
        String deduplicationId,
        String queueName,
        Redaction redaction,
        Map<String, List<String>> callbackHeaders,
        Map<String, List<String>> failureCallbackHeaders,
        String topicName,
        String endpointName,
        String scheduleId) {

    /** This draft as one fan-out copy for an endpoint of a URL group (deliveries carry Upstash-Topic-Name). */
    public MessageDraft toEndpoint(String topic, String endpoint) {
        return copy("Upstash-Topic-Name", topic, DeduplicationId.forEndpoint(deduplicationId, destination.url()),
                topic, endpoint, scheduleId);
    }

    /** This draft as made by a schedule (deliveries carry Upstash-Schedule-Id). */
    public MessageDraft fromSchedule(String schedule) {
        return copy("Upstash-Schedule-Id", schedule, deduplicationId, topicName, endpointName, schedule);
    }

    private MessageDraft copy(String header, String value, String deduplication, String topic, String endpoint,
                              String schedule) {
        Map<String, List<String>> headers = new LinkedHashMap<>(forwardedHeaders);
        headers.put(header, List.of(value));
        return new MessageDraft(destination, method, headers, body, notBefore, maxRetries, retryDelay, timeoutMillis,
                flowKey, flowConfig, callback, failureCallback, labels, callerIp, deduplication, queueName, redaction,
                callbackHeaders, failureCallbackHeaders, topic, endpoint, schedule);
    }
}
