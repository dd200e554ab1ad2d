package dev.sluice.schedules.control;

import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.messages.entity.MessageId;
import dev.sluice.schedules.entity.Cron;
import dev.sluice.schedules.entity.Schedule;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Stored schedules: create or replace (by id), list, get, delete, pause and resume. Input is checked before. */
@Stateless
public class ScheduleCatalog {

    @PersistenceContext
    EntityManager em;

    /** Creates the schedule, or replaces the one with this id (null: a new id). */
    public Schedule upsert(String id, Cron cron, String destination, Map<String, List<String>> headers, byte[] body,
                           String callerIp) {
        long now = System.currentTimeMillis();
        Schedule schedule = id == null ? null : em.find(Schedule.class, id);
        if (schedule == null) {
            schedule = new Schedule(id == null ? MessageId.next("scd") : id, now);
            em.persist(schedule);
        }
        schedule.define(cron.text(), destination, HeaderMap.toJson(headers), body, callerIp,
                cron.next(Instant.ofEpochMilli(now)).toEpochMilli());
        return schedule;
    }

    public Optional<Schedule> find(String id) {
        return Optional.ofNullable(em.find(Schedule.class, id));
    }

    public List<Schedule> list() {
        return em.createQuery("SELECT s FROM Schedule s ORDER BY s.createdAt, s.id", Schedule.class).getResultList();
    }

    public boolean delete(String id) {
        Schedule schedule = em.find(Schedule.class, id);
        if (schedule == null) {
            return false;
        }
        em.remove(schedule);
        return true;
    }

    /** Pauses or resumes; a resumed schedule fires next at its first firing from now on. */
    public boolean pause(String id, boolean paused) {
        Schedule schedule = em.find(Schedule.class, id);
        if (schedule == null) {
            return false;
        }
        if (schedule.isPaused() && !paused) {
            schedule.skipTo(Cron.parse(schedule.getCron()).next(Instant.now()).toEpochMilli());
        }
        schedule.pause(paused);
        return true;
    }

    /** Ids of the running schedules whose next firing is due. */
    public List<String> due(long now) {
        return em.createQuery("SELECT s.id FROM Schedule s WHERE s.paused = false AND s.nextScheduleTime <= :now"
                        + " ORDER BY s.nextScheduleTime", String.class)
                .setParameter("now", now)
                .setMaxResults(500)
                .getResultList();
    }
}
