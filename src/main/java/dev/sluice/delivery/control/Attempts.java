package dev.sluice.delivery.control;

import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.delivery.entity.AttemptStep;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.EarlyDelivery;
import dev.sluice.delivery.entity.Outcome;
import dev.sluice.delivery.entity.RetryAfter;
import dev.sluice.delivery.entity.RetryDelayExpression;
import dev.sluice.delivery.entity.RetryPlan;
import dev.sluice.events.control.EventLog;
import dev.sluice.events.entity.MessageEvent;
import dev.sluice.flowcontrol.control.Waitlist;
import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageId;
import dev.sluice.messages.entity.MessageState;
import dev.sluice.platform.control.AfterCommit;
import dev.sluice.platform.control.Instruments;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Records the starts and the ends of delivery attempts, a group of them per transaction: starts and ends share it,
 * since each commit costs the database a write of every page it touched, whatever it holds. Also sends back, in a
 * transaction of their own, the tickets a worker could not make attempts of.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class Attempts {

    private static final int MAX_STORED_RESPONSE_BYTES = 64 * 1024;

    @PersistenceContext
    EntityManager em;

    @Inject
    Waitlist waitlist;

    @Inject
    DeliveryQueue deliveryQueue;

    @Inject
    Instruments instruments;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Inject
    EventLog eventLog;

    @Inject
    Callbacks callbacks;

    @Inject
    @ConfigProperty(name = "sluice.delivery.time-scale")
    double timeScale;

    /**
     * Records the steps in one transaction. Answers, per step, whether it was recorded: a start is not if its
     * message was cancelled (or its attempt started by another copy of the ticket) since it was found due. A start
     * whose delivery came in before is recorded with it ({@link EarlyDelivery}). The statement batches run before the
     * other outcomes' messages are loaded, so nothing in the persistence context is stale; the flush at the end makes
     * a deadlock surface here, as an SQL error that {@code DeadlockRetry} recognises, rather than inside the
     * container's commit. The events of all steps go as one statement batch.
     */
    public List<Boolean> record(List<AttemptStep> steps) {
        long now = System.currentTimeMillis();
        List<AttemptStep.Start> starts = new ArrayList<>();
        List<Outcome> ends = new ArrayList<>();
        for (AttemptStep step : steps) {
            if (step instanceof AttemptStep.Start start) {
                starts.add(start);
            } else if (step instanceof AttemptStep.End end) {
                ends.add(end.outcome());
            }
        }
        List<MessageEvent> events = new ArrayList<>();
        Map<AttemptStep.Start, Boolean> started = start(starts, events);
        finish(ends, events);
        eventLog.record(events, now);
        em.flush();
        return steps.stream().map(step -> step instanceof AttemptStep.Start start ? started.get(start) : Boolean.TRUE)
                .toList();
    }

    /** See {@link AttemptRecorder#sendBack}; the gatekeeper hears of the repeats once committed. */
    public void sendBack(List<Waitlist.Admission> repeats, List<DeliveryTicket> unseen, int returnsBefore) {
        if (!repeats.isEmpty()) {
            waitlist.enqueue(repeats, System.currentTimeMillis());
        }
        deliveryQueue.returnLater(unseen, returnsBefore);
    }

    /**
     * Marks each message ACTIVE if its ticket's attempt is still due ({@link StartBatch}), on the transaction's
     * connection. It runs before anything else of the transaction, so no write EclipseLink batches is pending. A
     * start whose delivery came in before it was written goes straight to DELIVERED instead, in one update.
     */
    private Map<AttemptStep.Start, Boolean> start(List<AttemptStep.Start> starts, List<MessageEvent> events) {
        List<AttemptStep.Start> alone = new ArrayList<>();
        List<AttemptStep.Start> deliveredAtStart = new ArrayList<>();
        for (AttemptStep.Start start : starts) {
            (start.early().seal().isPresent() ? deliveredAtStart : alone).add(start);
        }
        Map<AttemptStep.Start, Boolean> started = new IdentityHashMap<>();
        List<Boolean> marked = markActive(alone.stream().map(AttemptStep.Start::ticket).toList());
        for (int i = 0; i < alone.size(); i++) {
            started.put(alone.get(i), marked.get(i));
            if (marked.get(i)) {
                events.add(new MessageEvent("ACTIVE", alone.get(i).message()));
            }
        }
        List<Boolean> recorded = delivered(DeliveredBatch.From.NOT_STARTED,
                deliveredAtStart.stream().map(start -> start.early().taken().orElseThrow()).toList(), events);
        for (int i = 0; i < deliveredAtStart.size(); i++) {
            started.put(deliveredAtStart.get(i), recorded.get(i));
        }
        return started;
    }

    private List<Boolean> markActive(List<DeliveryTicket> tickets) {
        try {
            return StartBatch.run(em.unwrap(Connection.class), tickets, System.currentTimeMillis());
        } catch (SQLException e) {
            throw new IllegalStateException("could not mark " + tickets.size() + " messages ACTIVE", e);
        }
    }

    /**
     * Records the outcomes of attempts, unless cancelled meanwhile. Plain deliveries, the bulk, are written with one
     * statement batch ({@link DeliveredBatch}); the others (a callback to publish, an error to retry or dead-letter)
     * through their managed messages.
     */
    private void finish(List<Outcome> outcomes, List<MessageEvent> events) {
        List<Outcome> plain = new ArrayList<>();
        List<Outcome> others = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            (outcome.isPlainDelivery() ? plain : others).add(outcome);
        }
        delivered(DeliveredBatch.From.IN_FLIGHT, plain, events);
        load(others.stream().map(outcome -> outcome.ticket().messageId()).toList());
        others.forEach(outcome -> finish(outcome.ticket(), outcome.result(), events));
    }

    /**
     * Marks the messages DELIVERED ({@link DeliveredBatch}) and adds their events: for messages still waiting, the
     * start's too. Per outcome, whether it was recorded.
     */
    private List<Boolean> delivered(DeliveredBatch.From from, List<Outcome> outcomes, List<MessageEvent> events) {
        List<Boolean> recorded = markDelivered(from, outcomes.stream().map(outcome -> new DeliveredBatch.Delivered(
                outcome.ticket().messageId(), outcome.ticket().retried(), stored(outcome.result()))).toList());
        for (int i = 0; i < outcomes.size(); i++) {
            if (recorded.get(i)) {
                Outcome outcome = outcomes.get(i);
                if (from == DeliveredBatch.From.NOT_STARTED) {
                    events.add(new MessageEvent("ACTIVE", outcome.message()));
                }
                events.add(new MessageEvent("DELIVERED", outcome.message())
                        .withResponse(outcome.result().status(), null));
                AfterCommit.run(transactions, instruments::delivered);
            }
        }
        return recorded;
    }

    private List<Boolean> markDelivered(DeliveredBatch.From from, List<DeliveredBatch.Delivered> deliveries) {
        try {
            return DeliveredBatch.run(em.unwrap(Connection.class), from, deliveries, System.currentTimeMillis());
        } catch (SQLException e) {
            throw new IllegalStateException("could not mark " + deliveries.size() + " messages DELIVERED", e);
        }
    }

    /**
     * Loads the messages with one query into the persistence context, so the finds that follow cost nothing. Locked:
     * a cancel committed between an unlocked read and this transaction's update of the row would be overwritten (a
     * cancelled message scheduled for a retry); locked, the cancel waits for this commit, or this read sees it.
     */
    private void load(List<String> ids) {
        if (!ids.isEmpty()) {
            em.createNamedQuery(Message.WITH_IDS, Message.class).setParameter("ids", PaddedIds.of(ids))
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        }
    }

    /** Records the outcome on its managed message; adds the events it makes to {@code events}, in order. */
    private void finish(DeliveryTicket ticket, AttemptResult result, List<MessageEvent> events) {
        Message message = em.find(Message.class, ticket.messageId());
        if (message == null || message.getState() != MessageState.ACTIVE
                || message.getRetried() != ticket.retried()) {
            return; // cancelled while in flight: no retry, nothing more to record
        }
        long now = System.currentTimeMillis();
        Message.Response response = stored(result);
        if (result.succeeded()) {
            message.delivered(response, now);
            events.add(new MessageEvent("DELIVERED", message).withResponse(result.status(), null));
            callbacks.delivered(message, result, now);
            AfterCommit.run(transactions, instruments::delivered);
            return;
        }
        events.add(new MessageEvent("ERROR", message).withResponse(result.status(), errorText(result)));
        RetryPlan plan = new RetryPlan(message.getMaxRetries(),
                message.getRetryDelay() == null ? null : RetryDelayExpression.parse(message.getRetryDelay()));
        if (result.retryable() && plan.hasRetryLeft(message.getRetried())) {
            Duration delay = RetryPlan.scaled(plan.delayBeforeRetry(message.getRetried(),
                    RetryAfter.from(result::header, Instant.ofEpochMilli(now))), timeScale);
            long due = now + delay.toMillis();
            message.retryAt(response, due, now);
            waitlist.enqueue(DeliveryTicket.of(message), due, now);
            events.add(new MessageEvent("RETRY", message).nextDeliveryAt(due));
            AfterCommit.run(transactions, instruments::retried);
        } else {
            message.failed(response, MessageId.next(Message.DLQ_ID_PREFIX), now);
            events.add(new MessageEvent("FAILED", message).withResponse(result.status(), errorText(result)));
            callbacks.failed(message, result, message.getDlqId(), now);
            AfterCommit.run(transactions, instruments::failed);
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
