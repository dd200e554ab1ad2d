package dev.sluice.incontainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.events.control.EventFilter;
import dev.sluice.events.control.EventLog;
import dev.sluice.events.control.EventTableUpgrade;
import dev.sluice.events.entity.EventId;
import dev.sluice.events.entity.MessageEvent;
import dev.sluice.messages.entity.MessageId;
import jakarta.inject.Inject;
import java.io.File;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The events an earlier version stored, carried over into the numbered event log of the real H2 database. */
@ExtendWith(ArquillianExtension.class)
class EventTableUpgradeInContainerIT {

    @Deployment
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("sluice.war")))
                .addClasses(EventTableUpgradeInContainerIT.class, StoredRows.class);
    }

    @Inject
    EventTableUpgrade upgrade;

    @Inject
    EventLog log;

    @Inject
    StoredRows rows;

    @Test
    void formerEventsAreNumberedByTheirTimeAndReadAsBefore() throws Exception {
        long t = System.currentTimeMillis() - Duration.ofDays(1).toMillis();
        // in a later transaction, after a span without former events
        long later = t + Duration.ofMinutes(25).toMillis();
        String message = MessageId.next("msg");
        rows.formerEvent("evt_B", t, "CREATED", message, null);
        rows.formerEvent("evt_A", t, "ACTIVE", message, null);
        rows.formerEvent("evt_C", t + 1, "ERROR", message, 500);
        rows.formerEvent("evt_D", later, "DELIVERED", message, 200);

        upgrade.carryOver();

        List<MessageEvent> events = log.page(ofMessage(message, null, null), 0, 10);
        assertEquals(List.of("DELIVERED", "ERROR", "CREATED", "ACTIVE"), states(events),
                "newest first, and within a millisecond in the former order (by id)");
        assertEquals(List.of(EventId.leastAt(later), EventId.leastAt(t + 1), EventId.leastAt(t) + 1,
                EventId.leastAt(t)), events.stream().map(MessageEvent::getId).toList());
        assertEquals(Arrays.asList(later, t + 1, t, t), events.stream().map(MessageEvent::getTime).toList());
        assertEquals(Arrays.asList(200, 500, null, null),
                events.stream().map(MessageEvent::getResponseStatus).toList());
        assertEquals("http://127.0.0.1:9/former", events.get(0).getUrl());
        assertEquals(0, rows.formerEventCount(), "the former table is emptied");

        upgrade.carryOver();
        assertEquals(4, log.page(ofMessage(message, null, null), 0, 10).size(), "carried over once");
        assertEquals(List.of("DELIVERED", "ERROR"), states(log.page(ofMessage(message, t + 1, null), 0, 10)));
        assertEquals(List.of("CREATED", "ACTIVE"), states(log.page(ofMessage(message, null, t), 0, 10)));
        assertEquals(List.of(), states(log.page(ofMessage(message, later + 1, null), 0, 10)));
    }

    private static EventFilter ofMessage(String messageId, Long fromDate, Long toDate) {
        return new EventFilter(List.of(), List.of(messageId), List.of(), List.of(), List.of(), fromDate, toDate,
                List.of(), List.of(), List.of());
    }

    private static List<String> states(List<MessageEvent> events) {
        return events.stream().map(MessageEvent::getState).toList();
    }
}
