package dev.sluice.delivery.control;

import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.Outgoing;
import dev.sluice.delivery.entity.RetryAfter;
import dev.sluice.delivery.entity.RetryDelayExpression;
import dev.sluice.delivery.entity.RetryPlan;
import dev.sluice.events.control.EventLog;
import dev.sluice.flowcontrol.control.Waitlist;
import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageId;
import dev.sluice.messages.entity.MessageState;
import dev.sluice.platform.control.Instruments;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Records the start and the end of delivery attempts, each in its own transaction. */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class Attempts {

    private static final int MAX_STORED_RESPONSE_BYTES = 64 * 1024;

    @PersistenceContext
    EntityManager em;

    @Inject
    Waitlist waitlist;

    @Inject
    Instruments instruments;

    @Inject
    EventLog eventLog;

    @Inject
    Callbacks callbacks;

    @Inject
    @ConfigProperty(name = "sluice.delivery.time-scale")
    double timeScale;

    /**
     * Marks the message ACTIVE if this ticket's attempt is still due (not cancelled, not already made): the
     * conditional update makes a cancel and a start exclude each other.
     */
    public Optional<Outgoing> start(DeliveryTicket ticket) {
        int started = em.createNamedQuery(Message.START_ATTEMPT)
                .setParameter("active", MessageState.ACTIVE)
                .setParameter("now", System.currentTimeMillis())
                .setParameter("id", ticket.messageId())
                .setParameter("retried", ticket.retried())
                .setParameter("waiting", MessageState.WAITING)
                .executeUpdate();
        if (started == 0) {
            return Optional.empty();
        }
        Message message = em.find(Message.class, ticket.messageId());
        eventLog.record(message, "ACTIVE", System.currentTimeMillis());
        return Optional.of(new Outgoing(message.getId(), message.getDestination(), message.getMethod(),
                HeaderMap.fromJson(message.getHeaders()), message.getBody(), message.getRetried(),
                message.getTimeoutMillis(), message.getDueAt()));
    }

    public void finish(DeliveryTicket ticket, AttemptResult result) {
        Message message = em.find(Message.class, ticket.messageId());
        if (message == null || message.getState() != MessageState.ACTIVE) {
            return; // cancelled while in flight: no retry, nothing more to record
        }
        long now = System.currentTimeMillis();
        Message.Response response = stored(result);
        if (result.succeeded()) {
            message.delivered(response, now);
            eventLog.record(message, "DELIVERED", now).withResponse(result.status(), null);
            callbacks.delivered(message, result, now);
            instruments.delivered();
            return;
        }
        eventLog.record(message, "ERROR", now).withResponse(result.status(), errorText(result));
        RetryPlan plan = new RetryPlan(message.getMaxRetries(),
                message.getRetryDelay() == null ? null : RetryDelayExpression.parse(message.getRetryDelay()));
        if (result.retryable() && plan.hasRetryLeft(message.getRetried())) {
            Duration delay = RetryPlan.scaled(plan.delayBeforeRetry(message.getRetried(),
                    RetryAfter.from(result::header, Instant.ofEpochMilli(now))), timeScale);
            long due = now + delay.toMillis();
            message.retryAt(response, due, now);
            waitlist.enqueue(DeliveryTicket.of(message), due, now);
            eventLog.record(message, "RETRY", now).nextDeliveryAt(due);
            instruments.retried();
        } else {
            message.failed(response, MessageId.next("dlq"), now);
            eventLog.record(message, "FAILED", now).withResponse(result.status(), errorText(result));
            callbacks.failed(message, result, message.getDlqId(), now);
            instruments.failed();
        }
    }

    private static String errorText(AttemptResult result) {
        return result.error() != null ? result.error() : "the destination answered " + result.status();
    }

    private static Message.Response stored(AttemptResult result) {
        byte[] body = result.body().length > MAX_STORED_RESPONSE_BYTES
                ? Arrays.copyOf(result.body(), MAX_STORED_RESPONSE_BYTES) : result.body();
        return new Message.Response(result.status(), HeaderMap.toJson(result.headers().map()), body,
                result.error());
    }
}
