package dev.sluice.flowcontrol.entity;

/**
 * The flow-control lane of a queue: messages enqueued without a flow-control key wait and run in it, with the
 * queue's parallelism (pinned) and the queue's pause. Its key contains {@code /}, which no {@link FlowKey} may
 * contain, so it never collides with a user's key and cannot be reached through {@code /v2/flowControl/{key}}.
 */
public final class QueueLane {

    private static final String PREFIX = "queue/";

    private QueueLane() {
    }

    public static String key(String queueName) {
        return PREFIX + queueName;
    }

    public static boolean isQueueLane(String key) {
        return key != null && key.startsWith(PREFIX);
    }

    /** What a queued message's ticket carries: FIFO until the queue's pinned parallelism says otherwise. */
    public static FlowConfig defaultConfig() {
        return new FlowConfig(1, null, null);
    }
}
