package dev.sluice.delivery.control;

import dev.sluice.delivery.entity.StoredMessage;
import dev.sluice.messages.entity.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Optional;

/**
 * Reads the message of a delivery ticket outside any transaction. A plain bean, not an EJB: a worker reads once per
 * attempt, and a call into an EJB costs the container's interception each time.
 */
@ApplicationScoped
public class StoredMessages {

    @PersistenceContext
    EntityManager em;

    /** The stored message with its body; empty if not stored, or not visible yet. */
    public Optional<StoredMessage> find(String messageId) {
        return em.createNamedQuery(Message.READ_WITH_BODY, Object[].class).setParameter("id", messageId)
                .getResultStream().findFirst()
                .map(row -> new StoredMessage((Message) row[0], row[1] == null ? new byte[0] : (byte[]) row[1]));
    }
}
