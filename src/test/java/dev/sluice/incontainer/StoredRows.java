package dev.sluice.incontainer;

import dev.sluice.events.entity.MessageEvent;
import dev.sluice.flowcontrol.entity.KeyEvent;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageId;
import dev.sluice.messages.entity.MessageState;
import dev.sluice.publish.entity.Deduplication;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Stores rows as they would be after the given times, for the retention test (which cannot wait days). */
@Stateless
public class StoredRows {

    private static final Message.Response ANSWER = new Message.Response(200, "{}", new byte[0], null);

    @PersistenceContext
    EntityManager em;

    /** Messages made at {@code madeAt} that reached the state at {@code changedAt}. */
    public List<String> messages(int count, MessageState state, boolean deadLetter, long madeAt, long changedAt) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message message = new Message(MessageId.at(Message.ID_PREFIX, madeAt), "http://127.0.0.1:9/x", "POST",
                    madeAt);
            switch (state) {
                case CREATED, CANCELLED -> { }
                case DELIVERED -> message.delivered(ANSWER, changedAt);
                case FAILED -> message.failed(ANSWER, deadLetter ? MessageId.next("dlq") : null, changedAt);
                default -> throw new IllegalArgumentException(state.name());
            }
            em.persist(message);
            ids.add(message.getId());
        }
        if (state == MessageState.CANCELLED) {
            em.flush();
            ids.forEach(id -> em.createNamedQuery(Message.CANCEL).setParameter("cancelled", MessageState.CANCELLED)
                    .setParameter("now", changedAt).setParameter("pending", MessageState.PENDING)
                    .setParameter("id", id).executeUpdate());
        }
        return ids;
    }

    /** Dead letters taken out of the DLQ at {@code leftAt}. */
    public List<String> leftDlq(int count, long failedAt, long leftAt) {
        List<String> ids = messages(count, MessageState.FAILED, true, failedAt, failedAt);
        ids.forEach(id -> em.find(Message.class, id).leaveDlq(leftAt));
        return ids;
    }

    public String event(long time) {
        Message message = new Message(MessageId.at(Message.ID_PREFIX, time), "http://127.0.0.1:9/x", "POST", time);
        MessageEvent event = new MessageEvent(MessageId.at("evt", time), time, "DELIVERED", message);
        em.persist(event);
        return event.getId();
    }

    public String keyEvent(long time) {
        String id = MessageId.at("evt", time);
        em.persist(new KeyEvent(id, "retention-key", time, "PAUSE", "{}", "{}"));
        return id;
    }

    public String deduplication(long createdAt) {
        String id = "dedup-" + MessageId.next("d");
        em.persist(new Deduplication(id, MessageId.next(Message.ID_PREFIX), createdAt));
        return id;
    }

    /** Those of the ids that are still stored as the entity. */
    public Set<String> stored(Class<?> entity, Collection<String> ids) {
        return new HashSet<>(em.createQuery("SELECT e.id FROM " + entity.getSimpleName() + " e WHERE e.id IN :ids",
                String.class).setParameter("ids", ids).getResultList());
    }
}
