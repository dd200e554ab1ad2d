package dev.sluice.messages.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.events.control.EventLog;
import dev.sluice.events.entity.MessageEvent;
import dev.sluice.flowcontrol.control.FlowEvents;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageState;
import dev.sluice.platform.control.AfterCommit;
import dev.sluice.platform.control.DeadlockRetry;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stored messages: lookup and cancellation. */
@Stateless
public class Messages {

    private static final int CANCEL_CHUNK = 100;
    private static final Map<String, Object> WHOLE_ROW = Map.of(Message.DEFAULT_FETCH_GROUP, "false");

    @PersistenceContext
    EntityManager em;

    @Inject
    FlowEvents events;

    @Inject
    EventLog eventLog;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Resource
    SessionContext context;

    /** The message as one read of its row, body included: its JSON is built after this transaction. */
    public Optional<Message> find(String id) {
        return Optional.ofNullable(em.find(Message.class, id, WHOLE_ROW));
    }

    /** Whether the message is stored, without reading its body. */
    public boolean exists(String id) {
        return em.find(Message.class, id) != null;
    }

    /** Cancels a pending message: it is never delivered (again). False if unknown or already finished. */
    public boolean cancel(String id) {
        List<MessageEvent> cancelled = new ArrayList<>(1);
        boolean done = cancel(id, cancelled);
        eventLog.record(cancelled, System.currentTimeMillis());
        return done;
    }

    /** Like {@link #cancel(String)}; adds the CANCELLED event to {@code logged}, for the caller to record. */
    private boolean cancel(String id, List<MessageEvent> logged) {
        Message message = em.find(Message.class, id);
        if (message == null || message.getState().isFinal()) {
            return false;
        }
        int cancelled = em.createNamedQuery(Message.CANCEL)
                .setParameter("cancelled", MessageState.CANCELLED)
                .setParameter("now", System.currentTimeMillis())
                .setParameter("id", id)
                .setParameter("pending", MessageState.PENDING)
                .executeUpdate();
        if (cancelled == 0) {
            return false;
        }
        DeliveryTicket ticket = DeliveryTicket.of(message);
        logged.add(new MessageEvent("CANCELLED", message));
        AfterCommit.run(transactions, () -> events.cancelled(ticket));
        return true;
    }

    /**
     * Cancels the messages in transactions of {@link #CANCEL_CHUNK}: a transaction holding the locks of thousands of
     * rows would block the attempt committer for its whole length, and could deadlock with it. Id order keeps bulk
     * cancels from deadlocking with each other; against the attempt committer a chunk can still lose, and a chunk
     * chosen as a deadlock victim is run again. Chunks committed before a failure stay cancelled: calling again is
     * safe and cancels the rest.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int cancel(List<String> ids) {
        List<String> sorted = ids.stream().distinct().sorted().toList();
        Messages self = context.getBusinessObject(Messages.class);
        int cancelled = 0;
        for (int from = 0; from < sorted.size(); from += CANCEL_CHUNK) {
            List<String> chunk = sorted.subList(from, Math.min(sorted.size(), from + CANCEL_CHUNK));
            cancelled += DeadlockRetry.run(() -> self.cancelChunk(chunk));
        }
        return cancelled;
    }

    /** Public only to be called through the container, which gives each chunk its own transaction. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public int cancelChunk(List<String> ids) {
        List<MessageEvent> logged = new ArrayList<>(ids.size());
        for (String id : ids) {
            cancel(id, logged);
        }
        eventLog.record(logged, System.currentTimeMillis());
        em.flush();
        return logged.size();
    }

    /** Cancels every pending message matching all given filters (none = every pending message). */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int cancelMatching(MessageFilter filter) {
        return cancel(pendingIds(filter));
    }

    private List<String> pendingIds(MessageFilter filter) {
        StringBuilder jpql = new StringBuilder("SELECT m.id FROM Message m WHERE m.state IN :pending");
        Map<String, Object> parameters = new java.util.HashMap<>(Map.of("pending", MessageState.PENDING));
        filter.appendTo(jpql, parameters);
        TypedQuery<String> query = em.createQuery(jpql.toString(), String.class);
        parameters.forEach(query::setParameter);
        return new ArrayList<>(query.getResultList());
    }
}
