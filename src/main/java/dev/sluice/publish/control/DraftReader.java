package dev.sluice.publish.control;

import dev.sluice.delivery.entity.RetryDelayExpression;
import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.flowcontrol.entity.FlowKey;
import dev.sluice.platform.entity.HumanDuration;
import dev.sluice.platform.entity.InvalidInput;
import dev.sluice.publish.entity.DeduplicationId;
import dev.sluice.publish.entity.Destination;
import dev.sluice.publish.entity.MessageDraft;
import dev.sluice.publish.entity.RequestHeaders;
import dev.sluice.messages.entity.Redaction;
import dev.sluice.queues.entity.QueueName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a publish request (destination, QStash headers, body) into a {@link MessageDraft}, or rejects it with an
 * {@link InvalidInput} that names the bad part. Pure logic: the limits come in through {@link Limits}.
 */
public class DraftReader {

    private static final String FORWARD = "upstash-forward-";
    private static final String CALLBACK = "Upstash-Callback";
    private static final String FAILURE_CALLBACK = "Upstash-Failure-Callback";
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    static final int DEFAULT_RETRIES = 3;
    static final int MAX_RETRIES = 100;

    /** Server-side bounds that apply to every message. */
    public record Limits(long maxBodyBytes, Duration defaultTimeout, Duration maxTimeout) {
    }

    private final Limits limits;

    public DraftReader(Limits limits) {
        this.limits = limits;
    }

    public MessageDraft read(String destination, RequestHeaders headers, byte[] body, long now, String callerIp) {
        if (body.length > limits.maxBodyBytes()) {
            throw new InvalidInput("body is " + body.length + " bytes, more than the maximum of "
                    + limits.maxBodyBytes());
        }
        return draft(destination, headers, body, now, callerIp);
    }

    /** A draft of any size: callbacks carry the source's body and the answer, which may exceed the limit. */
    private MessageDraft draft(String destination, RequestHeaders headers, byte[] body, long now, String callerIp) {
        String flowKey = headers.first("Upstash-Flow-Control-Key").orElse(null);
        Destination target = new Destination(destination);
        String method = method(headers);
        Map<String, List<String>> forwarded = forwarded(headers);
        String callback = headers.first(CALLBACK).map(url -> callbackUrl(url, CALLBACK)).orElse(null);
        String failureCallback = headers.first(FAILURE_CALLBACK).map(url -> callbackUrl(url, FAILURE_CALLBACK))
                .orElse(null);
        return new MessageDraft(
                target,
                method,
                forwarded,
                body,
                notBefore(headers, now),
                retries(headers),
                headers.first("Upstash-Retry-Delay").map(RetryDelayExpression::parse).orElse(null),
                timeout(headers).toMillis(),
                flowKey == null ? null : new FlowKey(flowKey).value(),
                flowConfig(flowKey, headers),
                callback,
                failureCallback,
                labels(headers),
                callerIp,
                DeduplicationId.of(headers.first("Upstash-Deduplication-Id").orElse(null),
                        headers.first("Upstash-Content-Based-Deduplication").map("true"::equalsIgnoreCase)
                                .orElse(false), target.url(), method, forwarded, body),
                headers.first("Upstash-Queue-Name").map(name -> new QueueName(name).value()).orElse(null),
                Redaction.parse(headers.first("Upstash-Redact-Fields").orElse(null)),
                callbackHeaders(headers, CALLBACK, callback, now, callerIp),
                callbackHeaders(headers, FAILURE_CALLBACK, failureCallback, now, callerIp),
                null, null, null);
    }

    /**
     * The configuration of a callback message: every {@code <prefix>-<X>} header becomes {@code Upstash-<X>}, as if
     * the callback were published with it. Validated now, so that a bad value is rejected at publish time; empty
     * without a callback URL.
     */
    private Map<String, List<String>> callbackHeaders(RequestHeaders headers, String prefix, String url, long now,
                                                      String callerIp) {
        if (url == null) {
            return Map.of();
        }
        String lowerPrefix = RequestHeaders.lower(prefix) + "-";
        Map<String, List<String>> config = new LinkedHashMap<>();
        headers.all().forEach((name, values) -> {
            if (RequestHeaders.lower(name).startsWith(lowerPrefix) && name.length() > lowerPrefix.length()) {
                config.put("Upstash-" + name.substring(lowerPrefix.length()), values);
            }
        });
        try {
            read(url, new RequestHeaders(config), new byte[0], now, callerIp);
        } catch (InvalidInput e) {
            throw new InvalidInput(prefix + "-* configuration: " + e.getMessage());
        }
        return config;
    }

    /**
     * The callback message of {@code source}'s outcome, configured by the stored {@code Upstash-<X>} headers:
     * method POST, the source's retries and timeout, and JSON content unless configured otherwise.
     */
    public MessageDraft callback(String url, Map<String, List<String>> config, byte[] payload, int sourceRetries,
                                 long sourceTimeoutMillis, Redaction sourceRedaction, long now, String callerIp) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Upstash-Retries", List.of(Integer.toString(sourceRetries)));
        headers.put("Upstash-Timeout", List.of(sourceTimeoutMillis + "ms"));
        RequestHeaders configured = new RequestHeaders(config);
        if (!sourceRedaction.isEmpty()) {
            // the payload carries the source's headers and body: hide it wherever the source hid something
            headers.put("Upstash-Redact-Fields", List.of(Redaction.parse(configured.first("Upstash-Redact-Fields")
                    .orElse(null)).withBody().text()));
        }
        configured.all().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Upstash-Redact-Fields") || sourceRedaction.isEmpty()) {
                headers.put(name, values);
            }
        });
        return draft(url, new RequestHeaders(headers), payload, now, callerIp);
    }

    private static String method(RequestHeaders headers) {
        String method = headers.first("Upstash-Method").orElse("POST").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new InvalidInput("Upstash-Method: unsupported method \"" + method + "\" (use one of " + METHODS
                    + ")");
        }
        return method;
    }

    private static Map<String, List<String>> forwarded(RequestHeaders headers) {
        Map<String, List<String>> forwarded = new LinkedHashMap<>();
        headers.all().forEach((name, values) -> {
            String lower = RequestHeaders.lower(name);
            if (lower.startsWith(FORWARD) && lower.length() > FORWARD.length()) {
                forwarded.put(name.substring(FORWARD.length()), values);
            } else if (lower.equals("content-type")) {
                forwarded.put("Content-Type", values);
            }
        });
        return forwarded;
    }

    private static long notBefore(RequestHeaders headers, long now) {
        var notBefore = headers.first("Upstash-Not-Before");
        if (notBefore.isPresent()) {
            try {
                return Math.max(now, Math.multiplyExact(Long.parseLong(notBefore.get()), 1000L));
            } catch (NumberFormatException | ArithmeticException e) {
                throw new InvalidInput("Upstash-Not-Before: expected a unix timestamp in seconds, got \""
                        + notBefore.get() + "\"");
            }
        }
        return headers.first("Upstash-Delay")
                .map(delay -> now + HumanDuration.parse(delay, "Upstash-Delay").toMillis())
                .orElse(now);
    }

    private static int retries(RequestHeaders headers) {
        return headers.first("Upstash-Retries").map(text -> {
            try {
                int retries = Integer.parseInt(text);
                if (retries >= 0 && retries <= MAX_RETRIES) {
                    return retries;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new InvalidInput("Upstash-Retries: expected an integer from 0 to " + MAX_RETRIES + ", got \""
                    + text + "\"");
        }).orElse(DEFAULT_RETRIES);
    }

    private Duration timeout(RequestHeaders headers) {
        Duration timeout = headers.first("Upstash-Timeout")
                .map(text -> HumanDuration.parse(text, "Upstash-Timeout"))
                .orElse(limits.defaultTimeout());
        if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(limits.maxTimeout()) > 0) {
            throw new InvalidInput("Upstash-Timeout: must be more than 0 and at most "
                    + limits.maxTimeout().toSeconds() + "s");
        }
        return timeout;
    }

    private static FlowConfig flowConfig(String flowKey, RequestHeaders headers) {
        var value = headers.first("Upstash-Flow-Control-Value");
        if (flowKey == null) {
            if (value.isPresent()) {
                throw new InvalidInput("Upstash-Flow-Control-Value needs an Upstash-Flow-Control-Key");
            }
            return null;
        }
        return FlowConfig.parse(value.orElseThrow(() -> new InvalidInput(
                "Upstash-Flow-Control-Key needs an Upstash-Flow-Control-Value such as \"parallelism=1\"")));
    }

    private static String callbackUrl(String url, String header) {
        try {
            return new Destination(url).url();
        } catch (InvalidInput e) {
            throw new InvalidInput(header + ": " + e.getMessage());
        }
    }

    private static List<String> labels(RequestHeaders headers) {
        List<String> labels = new ArrayList<>();
        headers.first("Upstash-Label").ifPresent(text -> Arrays.stream(text.split(","))
                .map(String::trim).filter(label -> !label.isEmpty()).forEach(labels::add));
        return labels;
    }
}
