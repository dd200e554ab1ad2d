package dev.sluice.delivery.entity;

/** How the attempt a ticket granted ended. */
public record Outcome(DeliveryTicket ticket, AttemptResult result) {
}
