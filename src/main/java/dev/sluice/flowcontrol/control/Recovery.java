package dev.sluice.flowcontrol.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.flowcontrol.entity.OperatorSettings;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageState;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.function.Consumer;

/**
 * Rebuilds the gatekeeper's picture from stored state after a start: what waits, what was in flight when Sluice
 * stopped, and what was cancelled while it waited.
 */
@Stateless
public class Recovery {

    private static final int PAGE = 5_000;

    @PersistenceContext
    EntityManager em;

    @Inject
    Waitlist waitlist;

    /** Streams every waiting message (first attempts and scheduled retries) page by page. */
    public void eachWaiting(Consumer<WaitingMessage> action) {
        String after = "";
        List<Message> page;
        do {
            page = em.createQuery("SELECT m FROM Message m WHERE m.state IN :waiting AND m.id > :after"
                            + " ORDER BY m.id", Message.class)
                    .setParameter("waiting", MessageState.WAITING)
                    .setParameter("after", after)
                    .setMaxResults(PAGE)
                    .getResultList();
            for (Message message : page) {
                action.accept(new WaitingMessage(DeliveryTicket.of(message), message.getDueAt()));
                after = message.getId();
            }
            em.clear();
        } while (page.size() == PAGE);
    }

    /**
     * Attempts that were in flight when Sluice stopped are made again: back into their holding queue, due now, so
     * they count against their key's limits like any other attempt. Delivery is at least once. A stale copy of the
     * ticket may still sit in the delivery queue (its acknowledgement was lost with the process); a worker's claim
     * and the conditional start of an attempt let only one of the two through.
     */
    public int requeueInterrupted(long now) {
        List<Message> interrupted = em.createNamedQuery(Message.IN_STATES, Message.class)
                .setParameter("states", List.of(MessageState.ACTIVE))
                .getResultList();
        for (Message message : interrupted) {
            message.requeue(now);
            waitlist.enqueue(DeliveryTicket.of(message), now, now);
        }
        return interrupted.size();
    }

    public List<OperatorSettings> operatorSettings() {
        return em.createQuery("SELECT s FROM OperatorSettings s", OperatorSettings.class).getResultList();
    }

    public List<String> cancelledIds() {
        return em.createNamedQuery(Message.IDS_IN_STATE, String.class)
                .setParameter("state", MessageState.CANCELLED)
                .getResultList();
    }

    public record WaitingMessage(DeliveryTicket ticket, long dueAt) {
    }
}
