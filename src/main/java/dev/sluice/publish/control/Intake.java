package dev.sluice.publish.control;

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
 * Where publishes enter: concurrent publishes share transactions ({@link GroupCommit}), and each answers once the
 * transaction holding its messages committed.
 */
@ApplicationScoped
public class Intake {

    @Inject
    Publisher publisher;

    @Inject
    Capacity capacity;

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "sluice.publish.committers", defaultValue = "1")
    int committers;

    @Inject
    @ConfigProperty(name = "sluice.publish.max-messages-per-commit", defaultValue = "500")
    int maxMessagesPerCommit;

    private GroupCommit<MessageDraft, Accepted> commits;

    @PostConstruct
    void start() {
        commits = new GroupCommit<>("publish", maxMessagesPerCommit, publisher::accept).start(threads, committers);
    }

    @PreDestroy
    void stop() {
        commits.close();
    }

    /**
     * Stores the drafts durably (see {@link Publisher#accept}) and answers once they are committed; refuses them all
     * while Sluice has no room for them ({@link Capacity}).
     */
    public List<Accepted> accept(List<MessageDraft> drafts) {
        capacity.requireRoom();
        return drafts.size() >= maxMessagesPerCommit ? publisher.accept(drafts) : commits.commit(drafts);
    }
}
