package dev.sluice.publish.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.events.control.EventLog;
import dev.sluice.events.entity.MessageEvent;
import dev.sluice.flowcontrol.control.Waitlist;
import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageId;
import dev.sluice.platform.entity.HumanDuration;
import dev.sluice.publish.entity.Deduplication;
import dev.sluice.publish.entity.MessageDraft;
import dev.sluice.queues.control.QueueCatalog;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores messages durably, so an accepted message is never lost: the database row, and the persistent broker
 * message in its key's holding queue. Either both commit in the caller's transaction ({@link #accept}), or the rows
 * commit first, numbered by their intake batch, and the broker messages follow ({@link #store}): then a crash in
 * between leaves rows that the next start sends to the broker.
 */
@Stateless
public class Publisher {

    @PersistenceContext
    EntityManager em;

    @Inject
    Waitlist waitlist;

    @Inject
    EventLog eventLog;

    @Inject
    QueueCatalog queues;

    @Inject
    @ConfigProperty(name = "sluice.deduplication.window", defaultValue = "10m")
    String window;

    /** A published message, or the earlier one a deduplicated publish stands for. */
    public record Accepted(Message message, boolean deduplicated) {
    }

    /** Stored rows, and what their holding queues are still to get. */
    public record Stored(List<Accepted> accepted, List<Waitlist.Admission> admissions) {
    }

    public List<Message> publish(List<MessageDraft> drafts) {
        return accept(drafts).stream().map(Accepted::message).toList();
    }

    /** Stores the rows and sends the broker messages as part of the caller's transaction. */
    public List<Accepted> accept(List<MessageDraft> drafts) {
        long now = System.currentTimeMillis();
        Stored stored = storeRows(drafts, null, now);
        waitlist.enqueue(stored.admissions(), now);
        return stored.accepted();
    }

    /**
     * Stores the rows only, marked with their intake batch: the {@link dev.sluice.flowcontrol.control.IntakeRelay}
     * sends the broker messages once they committed.
     */
    public Stored store(List<MessageDraft> drafts, long intakeBatch) {
        return storeRows(drafts, intakeBatch, System.currentTimeMillis());
    }

    private Stored storeRows(List<MessageDraft> drafts, Long intakeBatch, long now) {
        List<Accepted> accepted = new ArrayList<>(drafts.size());
        List<Waitlist.Admission> admissions = new ArrayList<>(drafts.size());
        for (MessageDraft draft : drafts) {
            accepted.add(draft.deduplicationId() == null
                    ? new Accepted(persist(draft, intakeBatch, now, admissions), false)
                    : deduplicated(draft, intakeBatch, now, admissions));
        }
        eventLog.record(accepted.stream().filter(entry -> !entry.deduplicated())
                .map(entry -> new MessageEvent("CREATED", entry.message())).toList(), now);
        return new Stored(accepted, admissions);
    }

    private Accepted deduplicated(MessageDraft draft, Long intakeBatch, long now,
                                  List<Waitlist.Admission> admissions) {
        Deduplication seen = em.find(Deduplication.class, draft.deduplicationId(), LockModeType.PESSIMISTIC_WRITE);
        if (seen != null && seen.isWithin(deduplicationWindow().toMillis(), now)) {
            Message original = em.find(Message.class, seen.getMessageId());
            if (original != null) {
                return new Accepted(original, true);
            }
        }
        Message message = persist(draft, intakeBatch, now, admissions);
        if (seen == null) {
            em.persist(new Deduplication(draft.deduplicationId(), message.getId(), now));
        } else {
            seen.reuse(message.getId(), now);
        }
        return new Accepted(message, false);
    }

    private Message persist(MessageDraft draft, Long intakeBatch, long now, List<Waitlist.Admission> admissions) {
        if (draft.queueName() != null) {
            queues.admit(draft.queueName());
        }
        Message message = toMessage(draft, now);
        message.setIntakeBatch(intakeBatch);
        em.persist(message);
        admissions.add(new Waitlist.Admission(DeliveryTicket.of(message), message.getDueAt()));
        return message;
    }

    private Duration deduplicationWindow() {
        return HumanDuration.parse(window, "sluice.deduplication.window");
    }

    private static Message toMessage(MessageDraft draft, long now) {
        Message message = new Message(MessageId.next(Message.ID_PREFIX), draft.destination().url(), draft.method(),
                now);
        message.setHeaders(HeaderMap.toJson(draft.forwardedHeaders()));
        message.setBody(draft.body());
        message.setNotBefore(draft.notBefore());
        message.setMaxRetries(draft.maxRetries());
        message.setRetryDelay(draft.retryDelay() == null ? null : draft.retryDelay().text());
        message.setTimeoutMillis(draft.timeoutMillis());
        if (draft.flowKey() != null) {
            message.flowControl(draft.flowKey(), draft.flowConfig().parallelism(), draft.flowConfig().rate(),
                    draft.flowConfig().period().seconds());
        }
        message.setCallback(draft.callback());
        message.setFailureCallback(draft.failureCallback());
        message.setLabels(draft.labels().isEmpty() ? null : String.join(",", draft.labels()));
        message.setCallerIp(draft.callerIp());
        message.origin(draft.queueName(), draft.topicName(), draft.endpointName(), draft.scheduleId(),
                draft.redaction(),
                draft.callbackHeaders(), draft.failureCallbackHeaders());
        return message;
    }
}
