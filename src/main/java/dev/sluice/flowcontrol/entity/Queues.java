package dev.sluice.flowcontrol.entity;

/**
 * Broker queue names. Every flow-control key has its own holding queue (its waitlist); messages without a key share
 * one. The gatekeeper moves messages from holding queues into the single delivery queue the workers consume.
 */
public final class Queues {

    public static final String DELIVERY = "sluice.delivery";
    /**
     * Where a broker message Sluice cannot read (a corrupt ticket, or one a newer version wrote) is moved, with why
     * and where it was, for an operator to look at: read again and again, it would stop the gatekeeper or a worker.
     */
    public static final String UNREADABLE = "sluice.unreadable";
    /** properties of a message moved to {@link #UNREADABLE} */
    public static final String UNREADABLE_FROM = "sluice_unreadable_from";
    public static final String UNREADABLE_BECAUSE = "sluice_unreadable_because";
    private static final String HOLDING = "sluice.holding";

    private Queues() {
    }

    /** FlowKey's character set keeps this a valid, wildcard-free broker address. */
    public static String holding(String flowKey) {
        return flowKey == null || flowKey.isEmpty() ? HOLDING : HOLDING + "." + flowKey;
    }
}
