package dev.sluice.retention.control;

import dev.sluice.platform.control.Instruments;
import dev.sluice.platform.entity.HumanDuration;
import dev.sluice.platform.entity.InvalidInput;
import dev.sluice.retention.entity.RetentionPolicy;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Deletes, every {@code sluice.retention.interval} (a minute), what is kept no longer ({@link RetentionPolicy}):
 * without it the database grows with every message for as long as Sluice runs, until the disk guard refuses
 * publishes. Each kind goes in batches of a transaction each until none over is left.
 */
@Startup
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Retention {

    static final int BATCH = 500;
    /** old messages a pass reads again beyond the new ones ({@link MessageWalk}) */
    static final int SWEEP_ROWS = 5_000;
    /** ended messages not over yet that the walk remembers, to read them again once they are: under 10 MB */
    static final int LATER_CAPACITY = 50_000;
    static final String INTERVAL_SETTING = "sluice.retention.interval";
    private static final Logger LOG = Logger.getLogger(Retention.class.getName());

    @Inject
    Pruning pruning;

    @Inject
    ConfiguredRetention configured;

    @Inject
    Instruments instruments;

    @Inject
    @ConfigProperty(name = INTERVAL_SETTING, defaultValue = "1m")
    String interval;

    @Resource
    TimerService timerService;

    /** a pass may outlast the interval (the first after an upgrade deletes all that is over): none starts meanwhile */
    private final AtomicBoolean passing = new AtomicBoolean();
    private final MessageWalk walk = new MessageWalk(BATCH, SWEEP_ROWS, LATER_CAPACITY);

    /** A malformed setting fails the deployment, naming the setting, rather than a pass later. */
    @PostConstruct
    void start() {
        configured.policy();
        long every = HumanDuration.parse(interval, INTERVAL_SETTING).toMillis();
        if (every <= 0) {
            throw new InvalidInput(INTERVAL_SETTING + " must be at least 1ms, was " + interval);
        }
        timerService.createIntervalTimer(every, every, new TimerConfig(null, false));
    }

    @Timeout
    void pruneNow() {
        if (!passing.compareAndSet(false, true)) {
            return;
        }
        try {
            Map<String, Integer> deleted = pruneAt(System.currentTimeMillis());
            if (!deleted.isEmpty()) {
                LOG.fine(() -> "retention deleted " + deleted);
            }
        } finally {
            passing.set(false);
        }
    }

    /**
     * Deletes what is over at {@code now}; answers how many rows it deleted of each kind it deleted any of:
     * "messages", or the {@link Prunable}'s name. A kind that fails is logged and tried again at the next pass; the
     * others go on.
     */
    public Map<String, Integer> pruneAt(long now) {
        long start = System.nanoTime();
        Map<String, Integer> deleted = new TreeMap<>();
        RetentionPolicy policy = configured.policy();
        if (policy.messagesMadeBefore(now).isPresent()) {
            count(deleted, "messages", () -> pruneMessages(policy, now));
        }
        for (Prunable kind : Prunable.values()) {
            OptionalLong before = kind.cutoff(policy, now);
            if (before.isPresent()) {
                count(deleted, kind.name(), () -> pruneAll(kind, before.getAsLong()));
            }
        }
        instruments.retentionPass(deleted.values().stream().mapToInt(Integer::intValue).sum(),
                System.nanoTime() - start);
        return deleted;
    }

    private static void count(Map<String, Integer> deleted, String kind, IntSupplier pruning) {
        try {
            int count = pruning.getAsInt();
            if (count > 0) {
                deleted.put(kind, count);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "retention could not delete the " + kind + " over; the next pass tries again", e);
        }
    }

    /**
     * Dead letters through their DLQ ids, then the walk over the messages made before the cutoff of those that ended
     * (a shorter retention of dead letters must not have the walk read ended messages before they can be over).
     */
    private int pruneMessages(RetentionPolicy policy, long now) {
        int deleted = RetentionPolicy.cutoff(policy.deadLetters(), now).isPresent() ? pruneDeadLetters(policy, now) : 0;
        if (RetentionPolicy.cutoff(policy.finished(), now).isEmpty()) {
            return deleted;
        }
        return deleted + walk.pass(new MessageWalk.Reader() {
            @Override
            public Pruning.Batch read(String after, String through, int size) {
                return pruning.pruneMessages(policy, now, after, through, size);
            }

            @Override
            public Pruning.Batch read(List<String> ids) {
                return pruning.pruneMessages(policy, now, ids);
            }
        }, now);
    }

    /** An entry read and kept (one that changed after it failed, if any) is read again at each pass. */
    private int pruneDeadLetters(RetentionPolicy policy, long now) {
        int deleted = 0;
        Pruning.Batch batch;
        String after = null;
        do {
            batch = pruning.pruneDeadLetters(policy, now, after, BATCH);
            deleted += batch.deleted();
            after = batch.last();
        } while (batch.read() == BATCH);
        return deleted;
    }

    private int pruneAll(Prunable kind, long before) {
        int deleted = 0;
        Pruning.Batch batch;
        do {
            batch = pruning.prune(kind, before, BATCH);
            deleted += batch.deleted();
        } while (batch.read() == BATCH && batch.deleted() > 0);
        return deleted;
    }
}
