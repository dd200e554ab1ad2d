package dev.sluice.publish.entity;

import dev.sluice.delivery.entity.RetryDelayExpression;
import dev.sluice.flowcontrol.entity.FlowConfig;
import java.util.List;
import java.util.Map;

/**
 * A validated publish request, not yet stored.
 *
 * @param flowKey the flow-control key or null; flowConfig is set exactly when flowKey is
 * @param notBefore epoch millis of the first attempt
 * @param deduplicationId null when the publish asked for no deduplication
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
        String deduplicationId) {
}
