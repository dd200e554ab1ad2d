package dev.sluice.publish.control;

import dev.sluice.flowcontrol.control.IntakeRelay;
import dev.sluice.platform.control.Capacity;
import dev.sluice.platform.control.GroupCommit;
import dev.sluice.publish.control.Publisher.Accepted;
import dev.sluice.publish.entity.MessageDraft;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.util.List;

/**
 * Where publishes enter: concurrent publishes share an intake batch ({@link GroupCommit}), and each answers once
 * its batch is stored: the rows committed, then the broker messages ({@link IntakeRelay}). One committer thread:
 * batches must reach the broker in the order of their numbers.
 */
@ApplicationScoped
public class Intake {

    @Inject
    Publisher publisher;

    @Inject
    IntakeRelay relay;

    @Inject
    Capacity capacity;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "sluice.publish.max-messages-per-commit", defaultValue = "500")
    int maxMessagesPerCommit;

    private GroupCommit<MessageDraft, Accepted> commits;

    @PostConstruct
    void start() {
        commits = new GroupCommit<>("publish", maxMessagesPerCommit, this::storeBatch).start(threads, 1);
    }

    @PreDestroy
    void stop() {
        commits.close();
    }

    /**
     * Stores the drafts durably and answers once they are; refuses them all while Sluice has no room for them
     * ({@link Capacity}) or the broker does not take them.
     */
    public List<Accepted> accept(List<MessageDraft> drafts) {
        capacity.requireRoom();
        relay.requireFlowing();
        return commits.commit(drafts);
    }

    /** Runs on the committer: a failure of the database transaction leaves nothing stored, so it may be retried. */
    private List<Accepted> storeBatch(List<MessageDraft> drafts) {
        long batch = relay.nextBatch();
        Publisher.Stored stored = publisher.store(drafts, batch);
        relay.relay(stored.admissions(), batch);
        return stored.accepted();
    }
}
