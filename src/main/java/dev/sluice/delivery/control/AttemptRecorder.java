package dev.sluice.delivery.control;

import dev.sluice.delivery.entity.Attempt;
import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.delivery.entity.AttemptStep;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.Outcome;
import dev.sluice.delivery.entity.StoredMessage;
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
import java.util.List;
import java.util.Optional;
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

    private static final int UNSEEN_ROW_TRIES = 100;
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
    /** messages whose attempt is being started: a second copy of the ticket meanwhile is refused */
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
     * The ticket's attempt if it is due, claimed until {@link #start} recorded it: two copies of a ticket (a stale
     * one left by a crash) never both go. The broker and the database commit the two branches of a publish
     * transaction one after the other, in either order, so a ticket can reach a worker a moment before its
     * message's row is visible: a row not found is looked for again for a while, then the ticket goes back to the
     * broker (which redelivers it) rather than being dropped.
     */
    public Optional<Attempt> claim(DeliveryTicket ticket) {
        if (!claimed.add(ticket.messageId())) {
            return Optional.empty();
        }
        try {
            Optional<Attempt> due = due(ticket);
            if (due.isEmpty()) {
                claimed.remove(ticket.messageId());
            }
            return due;
        } catch (RuntimeException e) {
            claimed.remove(ticket.messageId());
            throw e;
        }
    }

    private Optional<Attempt> due(DeliveryTicket ticket) {
        for (int tries = 1; ; tries++) {
            Optional<StoredMessage> stored = messages.find(ticket.messageId());
            if (stored.isPresent()) {
                return stored.get().message().awaitsAttempt(ticket.retried())
                        ? Optional.of(stored.get().attempt(ticket)) : Optional.empty();
            }
            if (tries == UNSEEN_ROW_TRIES) {
                throw new IllegalStateException("message " + ticket.messageId() + " is not visible in the database"
                        + " yet; the broker redelivers its ticket");
            }
            pause(UNSEEN_ROW_PAUSE_MILLIS);
        }
    }

    /**
     * Records the claimed attempt as started (its message ACTIVE), then releases the claim. Completes with false if
     * the message was cancelled since it was found due.
     */
    public CompletableFuture<Boolean> start(Attempt attempt) {
        return steps.submit(List.of(attempt.start())).thenApply(recorded -> recorded.get(0))
                .whenComplete((recorded, error) -> claimed.remove(attempt.ticket().messageId()));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a message row", e);
        }
    }

    /** Completes once the outcome is recorded. */
    public CompletableFuture<?> ended(DeliveryTicket ticket, AttemptResult result) {
        return steps.submit(List.of(new AttemptStep.End(new Outcome(ticket, result))));
    }
}
