package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;

/** A message of a key that is not due yet (delay, not-before, retry backoff); it joins the waitlist when due. */
record ScheduledMessage(String messageId, Lane lane, FlowConfig config, long dueAt, long sequence) {
}
