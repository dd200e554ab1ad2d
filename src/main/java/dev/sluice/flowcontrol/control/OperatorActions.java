package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowKey;
import dev.sluice.flowcontrol.entity.KeyEvent;
import dev.sluice.flowcontrol.entity.OperatorSettings;
import dev.sluice.flowcontrol.entity.Period;
import dev.sluice.flowcontrol.entity.QueueLane;
import dev.sluice.messages.entity.MessageId;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.function.Consumer;

/**
 * What operators do to a key (pause, resume, pin, unpin, reset the rate window): applied to the live flow-control
 * state, then the key's settings and an audit entry are stored, so both survive a restart.
 */
@Stateless
public class OperatorActions {

    @PersistenceContext
    EntityManager em;

    @Inject
    Gatekeeper gatekeeper;

    public void pause(String key) {
        act(key, "pause", engine -> engine.pause(key));
    }

    public void resume(String key) {
        act(key, "resume", engine -> engine.resume(key));
    }

    public void pin(String key, Integer parallelism, Integer rate, Period period) {
        act(key, "pin", engine -> engine.pin(key, parallelism, rate, period));
    }

    public void unpin(String key, boolean parallelism, boolean rate) {
        act(key, "unpin", engine -> engine.unpin(key, parallelism, rate));
    }

    public void resetRate(String key) {
        act(key, "resetRate", engine -> engine.resetRate(key));
    }

    public void reset(String key) {
        act(key, "reset", engine -> engine.reset(key));
    }

    public List<KeyEvent> events(String key) {
        return em.createQuery("SELECT e FROM KeyEvent e WHERE e.key = :key ORDER BY e.time DESC, e.id DESC",
                        KeyEvent.class)
                .setParameter("key", key)
                .setMaxResults(1000)
                .getResultList();
    }

    private void act(String key, String action, Consumer<FlowController> change) {
        if (!QueueLane.isQueueLane(key)) {
            new FlowKey(key);
        }
        Change result = gatekeeper.inspect(engine -> {
            String before = Limits.describe(engine, key);
            change.accept(engine);
            return new Change(before, Limits.describe(engine, key), engine.settings(key));
        });
        store(key, result.settings());
        em.persist(new KeyEvent(MessageId.next("evt"), key, System.currentTimeMillis(), action, result.before(),
                result.after()));
    }

    private void store(String key, KeySettings settings) {
        OperatorSettings stored = em.find(OperatorSettings.class, key);
        if (stored == null) {
            stored = new OperatorSettings(key);
            em.persist(stored);
        }
        stored.update(settings.paused(), settings.pinnedParallelism(), settings.pinnedRate(),
                seconds(settings.pinnedPeriod()), settings.stickyParallelism(), settings.stickyRate(),
                seconds(settings.stickyPeriod()));
    }

    static KeySettings toSettings(OperatorSettings stored) {
        return new KeySettings(stored.isPaused(), stored.getPinnedParallelism(), stored.getPinnedRate(),
                period(stored.getPinnedPeriod()), stored.getStickyParallelism(), stored.getStickyRate(),
                period(stored.getStickyPeriod()));
    }

    private static Long seconds(Period period) {
        return period == null ? null : period.seconds();
    }

    private static Period period(Long seconds) {
        return seconds == null ? null : Period.ofSeconds(seconds);
    }

    private record Change(String before, String after, KeySettings settings) {
    }
}
