package dev.sluice.delivery.entity;

import java.util.List;

/**
 * What a worker's claim of its tickets found: the attempts due, to make now, and the tickets not due (their message
 * delivered, cancelled, waiting for another attempt, or its attempt being started by another copy of the ticket).
 */
public record Claim(List<Attempt> due, List<DeliveryTicket> notDue) {

    public Claim {
        due = List.copyOf(due);
        notDue = List.copyOf(notDue);
    }
}
