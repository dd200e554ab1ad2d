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
        String endpointName) {

    /** This draft as one fan-out copy for an endpoint of a URL group (deliveries carry Upstash-Topic-Name). */
    public MessageDraft toEndpoint(String topic, String endpoint) {
        Map<String, List<String>> headers = new LinkedHashMap<>(forwardedHeaders);
        headers.put("Upstash-Topic-Name", List.of(topic));
        return new MessageDraft(destination, method, headers, body, notBefore, maxRetries, retryDelay, timeoutMillis, flowKey,
                flowConfig, callback, failureCallback, labels, callerIp,
                DeduplicationId.forEndpoint(deduplicationId, destination.url()), queueName, redaction,
                callbackHeaders, failureCallbackHeaders, topic, endpoint);
    }
}
