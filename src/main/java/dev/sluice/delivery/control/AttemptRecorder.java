package dev.sluice.delivery.control;

import dev.sluice.delivery.entity.AttemptResult;
import dev.sluice.delivery.entity.AttemptStep;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.Outcome;
import dev.sluice.delivery.entity.Outgoing;
import dev.sluice.platform.control.DeadlockRetry;
import dev.sluice.platform.control.GroupCommit;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Records the starts and ends of the attempts of all workers, concurrent ones sharing transactions
 * ({@link GroupCommit}), starts and ends alike. A start is awaited (the request leaves only once its message is
 * marked in flight); an end is not: until it commits, the message stays in flight in the database and a restart makes
 * the attempt again.
 */
@ApplicationScoped
public class AttemptRecorder {

    private static final int UNSEEN_ROW_TRIES = 100;
    private static final long UNSEEN_ROW_PAUSE_MILLIS = 10;

    @Inject
    Attempts attempts;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "sluice.delivery.committers", defaultValue = "1")
    int committers;

    @Inject
    @ConfigProperty(name = "sluice.delivery.max-attempts-per-commit", defaultValue = "256")
    int maxAttemptsPerCommit;

    private GroupCommit<AttemptStep, Optional<Outgoing>> steps;

    @PostConstruct
    void start() {
        steps = new GroupCommit<AttemptStep, Optional<Outgoing>>("attempts", maxAttemptsPerCommit,
                group -> DeadlockRetry.run(() -> attempts.record(group))).start(threads, committers);
    }

    @PreDestroy
    void stop() {
        steps.close();
    }

    /**
     * What to send if the ticket's attempt is still due, once it is recorded as in flight. The broker and the
     * database commit the two branches of a publish transaction one after the other, in either order, so a ticket can
     * reach a worker a moment before its message's row is visible: a start that finds no row is tried again for a
     * while, then the ticket goes back to the broker (which redelivers it) rather than being dropped.
     */
    public Optional<Outgoing> started(DeliveryTicket ticket) {
        for (int tries = 1; ; tries++) {
            Optional<Outgoing> outgoing = start(ticket);
            if (outgoing.isPresent()) {
                return outgoing;
            }
            if (attempts.isStored(ticket.messageId())) {
                return start(ticket); // it may have become visible just now: final answer
            }
            if (tries == UNSEEN_ROW_TRIES) {
                throw new IllegalStateException("message " + ticket.messageId() + " is not visible in the database"
                        + " yet; the broker redelivers its ticket");
            }
            pause(UNSEEN_ROW_PAUSE_MILLIS);
        }
    }

    private Optional<Outgoing> start(DeliveryTicket ticket) {
        return steps.commit(List.of(new AttemptStep.Start(ticket))).get(0);
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
