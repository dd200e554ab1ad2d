package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;

/**
 * A delivery attempt in flight: it holds a slot of its key and of the server until it ends or its lease expires.
 *
 * @param startedAt when the attempt started, {@link #UNKNOWN} for attempts restored after a restart
 */
record Flight(String messageId, Lane lane, FlowConfig config, long startedAt, long leaseUntil, long sequence) {

    static final long UNKNOWN = Long.MIN_VALUE;

    boolean measurable() {
        return startedAt != UNKNOWN;
    }
}
