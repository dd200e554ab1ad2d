package dev.sluice.delivery.entity;

import java.util.List;

/**
 * What a worker's claim of its tickets found: the attempts due, to make now; the tickets not due, whose slots are free
 * (their message delivered, cancelled, or waiting for another attempt); and the tickets whose message could not be
 * read (its row not visible yet), to try again later on their own. Copies of a ticket whose attempt is under way
 * in this process are in none of them: that attempt's end frees the slot.
 */
public record Claim(List<Attempt> due, List<DeliveryTicket> notDue, List<DeliveryTicket> unseen) {

    public Claim {
        due = List.copyOf(due);
        notDue = List.copyOf(notDue);
        unseen = List.copyOf(unseen);
    }
}
