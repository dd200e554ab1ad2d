package dev.sluice.schedules.control;

import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.platform.entity.InvalidInput;
import dev.sluice.publish.control.Fanout;
import dev.sluice.publish.control.Publisher;
import dev.sluice.publish.entity.MessageDraft;
import dev.sluice.publish.entity.RequestHeaders;
import dev.sluice.schedules.entity.Cron;
import dev.sluice.schedules.entity.Schedule;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * One firing of one schedule, in its own transaction: the messages are published as if the stored request were
 * sent to {@code /v2/publish} now (each carries the schedule's id), and the schedule moves to its next firing. A
 * firing missed while Sluice was down happens once, late.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class ScheduleFiring {

    private static final Logger LOG = Logger.getLogger(ScheduleFiring.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    Fanout fanout;

    @Inject
    Publisher publisher;

    public void fire(String id, long now) {
        Schedule schedule = em.find(Schedule.class, id, LockModeType.PESSIMISTIC_WRITE);
        if (schedule == null || schedule.isPaused() || schedule.getNextScheduleTime() > now) {
            return; // deleted, paused or fired meanwhile
        }
        long next = Cron.parse(schedule.getCron()).next(Instant.ofEpochMilli(now)).toEpochMilli();
        try {
            List<MessageDraft> drafts = fanout.drafts(schedule.getDestination(),
                    new RequestHeaders(HeaderMap.fromJson(schedule.getHeaders())), schedule.getBody(), now,
                    schedule.getCallerIp()).stream().map(draft -> draft.fromSchedule(id)).toList();
            List<Publisher.Accepted> accepted = publisher.accept(drafts);
            schedule.fired(now, accepted.get(0).message().getId(), next);
        } catch (InvalidInput e) {
            // e.g. its URL group was deleted: nothing to publish this time
            LOG.warning(() -> "Schedule " + id + " did not fire: " + e.getMessage());
            schedule.skipTo(next);
        }
    }
}
