package dev.sluice.events.control;

import dev.sluice.events.entity.EventId;
import dev.sluice.events.entity.MessageEvent;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Carries the events an earlier version stored ({@link FormerEventTable}) over into {@value MessageEvent#TABLE}, at
 * the start: ten minutes of events per transaction, each copied and deleted from the former table together, so an
 * interrupted upgrade goes on where it stopped at the next start and no transaction holds a week of events. The
 * former table stays behind, empty.
 */
@Startup
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EventTableUpgrade {

    static final long SPAN_MILLIS = Duration.ofMinutes(10).toMillis();

    private static final Logger LOG = Logger.getLogger(EventTableUpgrade.class.getName());

    @Inject
    FormerEventTable former;

    @Inject
    EventLog log;

    /**
     * Events recorded meanwhile (the workers may start first) are numbered above the former ones, so a carried
     * number never meets one of them, even with the clock set back; spans without former events are skipped.
     */
    @PostConstruct
    public void carryOver() {
        Optional<FormerEventTable.Span> span = former.span();
        if (span.isEmpty()) {
            return;
        }
        log.continueAfter(EventId.leastAfter(span.get().last()));
        long copied = 0;
        Long from = span.get().first();
        while (from != null) {
            FormerEventTable.Carried carried = former.carryOver(span.get().columns(), from, from + SPAN_MILLIS);
            copied += carried.events();
            from = carried.next();
        }
        long total = copied;
        LOG.info(() -> "carried " + total + " events over from " + FormerEventTable.NAME + " into "
                + MessageEvent.TABLE);
    }
}
