package dev.sluice.delivery.control;

import dev.sluice.delivery.entity.Attempt;
import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.delivery.entity.AttemptStep;
import dev.sluice.delivery.entity.Claim;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.EarlyDelivery;
import dev.sluice.delivery.entity.StoredMessage;
import dev.sluice.flowcontrol.control.Waitlist;
import dev.sluice.platform.control.DeadlockRetry;
import dev.sluice.platform.control.GroupCommit;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records the starts and ends of the attempts of all workers, concurrent ones sharing transactions
 * ({@link GroupCommit}), starts and ends alike. An attempt is first claimed and found due by a read, so its request
 * can leave at once while its start is recorded; the worker waits for that record before its ticket is acknowledged.
 * An end is not awaited: until it commits, the message stays in flight in the database and a restart makes the
 * attempt again.
 */
@ApplicationScoped
public class AttemptRecorder {

    /**
     * a row not found is looked for again for 100 ms, which the others of its batch wait for: a ticket can race its
     * row's commit by a few milliseconds at most
     */
    private static final int UNSEEN_ROW_TRIES = 10;
    private static final long UNSEEN_ROW_PAUSE_MILLIS = 10;

    @Inject
    Attempts attempts;

    @Inject
    StoredMessages messages;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "sluice.delivery.committers", defaultValue = "1")
    int committers;

    @Inject
    @ConfigProperty(name = "sluice.delivery.max-attempts-per-commit", defaultValue = "256")
    int maxAttemptsPerCommit;

    @Inject
    @ConfigProperty(name = "sluice.delivery.commit-linger-millis", defaultValue = "5")
    long commitLingerMillis;

    private GroupCommit<AttemptStep, Boolean> steps;
    /** messages whose attempt is under way: a second copy of the ticket meanwhile is refused */
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();

    @PostConstruct
    void start() {
        steps = new GroupCommit<AttemptStep, Boolean>("attempts", maxAttemptsPerCommit,
                Duration.ofMillis(commitLingerMillis),
                group -> DeadlockRetry.run(() -> attempts.record(group))).start(threads, committers);
    }

    @PreDestroy
    void stop() {
        steps.close();
    }

    /**
     * The tickets' attempts that are due, claimed until they are over (their start failed or was refused, or their
     * outcome is in: {@link #ended}): two copies of a ticket (a stale one left by a crash, or one the broker delivers
     * again) never both go, and a copy met while the attempt is under way is in no list of the claim, leaving the slot
     * to that attempt. The messages are read with one statement. A row not found is looked for again for a while (a
     * ticket could reach a worker before its message's row is visible while the two branches of a publish committed
     * one after the other); a ticket whose row is still not visible then is {@code unseen}: it must not hold up the
     * others of its batch.
     */
    public Claim claim(List<DeliveryTicket> tickets) {
        List<DeliveryTicket> mine = new ArrayList<>();
        for (DeliveryTicket ticket : tickets) {
            if (claimed.add(ticket.messageId())) { // else a copy of an attempt under way: that attempt frees the slot
                mine.add(ticket);
            }
        }
        try {
            Map<String, StoredMessage> stored = stored(mine);
            List<Attempt> due = new ArrayList<>();
            List<DeliveryTicket> notDue = new ArrayList<>();
            List<DeliveryTicket> unseen = new ArrayList<>();
            for (DeliveryTicket ticket : mine) {
                StoredMessage message = stored.get(ticket.messageId());
                if (message != null && message.message().awaitsAttempt(ticket.retried())) {
                    due.add(message.attempt(ticket));
                } else {
                    claimed.remove(ticket.messageId());
                    (message == null ? unseen : notDue).add(ticket);
                }
            }
            return new Claim(due, notDue, unseen);
        } catch (RuntimeException e) {
            mine.forEach(ticket -> claimed.remove(ticket.messageId()));
            throw e;
        }
    }

    /** The rows found, after looking again for the missing ones a while. */
    private Map<String, StoredMessage> stored(List<DeliveryTicket> tickets) {
        List<String> ids = tickets.stream().map(DeliveryTicket::messageId).toList();
        Map<String, StoredMessage> found = new HashMap<>(messages.find(ids));
        for (int tries = 1; found.size() < ids.size() && tries < UNSEEN_ROW_TRIES; tries++) {
            pause(UNSEEN_ROW_PAUSE_MILLIS);
            found.putAll(messages.find(ids.stream().filter(id -> !found.containsKey(id)).toList()));
        }
        return found;
    }

    /**
     * Records the claimed attempts as started (their messages ACTIVE). Submitted together, they share a transaction;
     * each is its own submission, so a start that cannot be recorded fails alone ({@link GroupCommit} commits a failed
     * group again one by one). Per attempt, completes with false if its message was cancelled since it was found due;
     * then, if it fails, or once it is written with its delivery ({@link #ended}), the attempt's claim is released.
     */
    public List<CompletableFuture<Boolean>> start(List<Attempt> attempts) {
        return attempts.stream().map(this::start).toList();
    }

    /** The claim is released once the attempt is over: its start refused or failed, or written with its delivery. */
    private CompletableFuture<Boolean> start(Attempt attempt) {
        return steps.submit(List.of(attempt.start())).thenApply(recorded -> recorded.get(0))
                .whenComplete((recorded, error) -> {
                    if (error != null || !recorded || attempt.early().taken().isPresent()) {
                        claimed.remove(attempt.ticket().messageId());
                    }
                });
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a message row", e);
        }
    }

    /**
     * In one transaction: the repeats of attempts whose starts could not be recorded into their holding queues (the
     * gatekeeper grants them again, counted against their keys' limits), and the unseen tickets back to the delivery
     * queue (their {@code returnsBefore} + 1th return).
     */
    public void sendBack(List<Waitlist.Admission> repeats, List<DeliveryTicket> unseen, int returnsBefore) {
        attempts.sendBack(repeats, unseen, returnsBefore);
    }

    /**
     * Records the outcome of an attempt; completes once it is recorded, or not to be. A delivery whose start is not
     * being written yet is written with it ({@link EarlyDelivery}): one update of the message instead of two, the usual
     * case under load, where a response comes in before the start's commit; the claim is then released once both
     * are written. Any other outcome is recorded after its start, and only if that start was: the ticket of a start
     * that failed is repeated through its holding queue, and the repeat is the one whose outcome is recorded. Its claim
     * is released as it is submitted (a copy of the ticket met from then on is not due, and frees its slot).
     */
    public CompletableFuture<?> ended(Attempt attempt, AttemptResult result, CompletableFuture<Boolean> started) {
        if (attempt.early().offer(attempt.outcome(result))) {
            return started.handle((recorded, error) -> null); // a start that failed is its worker's to repeat
        }
        return started.handle((recorded, error) -> error == null && recorded).thenCompose(recorded -> recorded
                ? afterStart(attempt, result) : CompletableFuture.completedFuture(null));
    }

    private CompletableFuture<?> afterStart(Attempt attempt, AttemptResult result) {
        claimed.remove(attempt.ticket().messageId());
        return steps.submit(List.of(attempt.end(result)));
    }
}
