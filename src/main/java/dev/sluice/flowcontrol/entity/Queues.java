package dev.sluice.flowcontrol.entity;

/**
 * Broker queue names. Every flow-control key has its own holding queue (its waitlist); messages without a key share
 * one. The gatekeeper moves messages from holding queues into the single delivery queue the workers consume.
 */
public final class Queues {

    public static final String DELIVERY = "sluice.delivery";
    private static final String HOLDING = "sluice.holding";

    private Queues() {
    }

    /** FlowKey's character set keeps this a valid, wildcard-free broker address. */
    public static String holding(String flowKey) {
        return flowKey == null || flowKey.isEmpty() ? HOLDING : HOLDING + "." + flowKey;
    }
}
