package dev.sluice.schedules.control;

import dev.sluice.platform.control.ApplicationStart;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires due schedules: a non-persistent EJB timer looks every second for schedules whose next firing has come
 * (cron resolution is one minute, so a firing is at most about a second late). Nothing fires before the application
 * has started.
 */
@Singleton
@Startup
public class ScheduleClock {

    static final long TICK_MILLIS = 1_000;
    private static final Logger LOG = Logger.getLogger(ScheduleClock.class.getName());

    @Resource
    TimerService timerService;

    @Inject
    ApplicationStart applicationStart;

    @Inject
    ScheduleCatalog schedules;

    @Inject
    ScheduleFiring firing;

    @PostConstruct
    void start() {
        timerService.createIntervalTimer(TICK_MILLIS, TICK_MILLIS, new TimerConfig(null, false));
    }

    @Timeout
    void tick() {
        if (!applicationStart.isStarted()) {
            return;
        }
        long now = System.currentTimeMillis();
        for (String id : schedules.due(now)) {
            try {
                firing.fire(id, now);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Schedule " + id + " could not fire; it is tried again", e);
            }
        }
    }
}
