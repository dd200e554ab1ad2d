package dev.sluice.delivery.entity;

/** A step of an attempt to record: its start, before the request leaves, or its end, once the outcome is known. */
public sealed interface AttemptStep {

    record Start(DeliveryTicket ticket) implements AttemptStep {
    }

    record End(Outcome outcome) implements AttemptStep {
    }
}
