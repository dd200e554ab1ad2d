package dev.sluice.flowcontrol.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.flowcontrol.entity.OperatorSettings;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageState;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.util.List;
import java.util.Map;
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
    public void eachWaiting(Consumer<Waitlist.Admission> action) {
        eachPage("m.state IN :waiting", Map.of("waiting", MessageState.WAITING),
                message -> action.accept(admission(message)));
    }

    /**
     * Streams, page by page, the messages stored by intake batches after the given one that still wait for their
     * first attempt: a crash between an intake batch's database commit and its broker commit left them out of their
     * holding queues (see {@link IntakeRelay}).
     */
    public void eachUnrelayed(long lastRelayedBatch, Consumer<UnrelayedMessage> action) {
        eachPage("m.state = :created AND m.intakeBatch > :batch",
                Map.of("created", MessageState.CREATED, "batch", lastRelayedBatch),
                message -> action.accept(new UnrelayedMessage(admission(message), message.getIntakeBatch())));
    }

    private static Waitlist.Admission admission(Message message) {
        return new Waitlist.Admission(DeliveryTicket.of(message), message.getDueAt());
    }

    private void eachPage(String condition, Map<String, Object> parameters, Consumer<Message> action) {
        String after = "";
        List<Message> page;
        do {
            TypedQuery<Message> query = em.createQuery("SELECT m FROM Message m WHERE " + condition
                    + " AND m.id > :after ORDER BY m.id", Message.class);
            parameters.forEach(query::setParameter);
            page = query.setParameter("after", after).setMaxResults(PAGE).getResultList();
            for (Message message : page) {
                action.accept(message);
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

    public record UnrelayedMessage(Waitlist.Admission admission, long batch) {
    }
}
