package dev.sluice.incontainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.events.entity.MessageEvent;
import dev.sluice.flowcontrol.entity.KeyEvent;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageId;
import dev.sluice.messages.entity.MessageState;
import dev.sluice.publish.entity.Deduplication;
import dev.sluice.retention.control.ConfiguredRetention;
import dev.sluice.retention.control.Pruning;
import dev.sluice.retention.control.Retention;
import dev.sluice.retention.entity.RetentionPolicy;
import jakarta.inject.Inject;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retention against the real database in a real Payara Micro, with the default settings: ended messages and logs
 * are kept 7 days, dead letters 30 days, deduplication ids 10 minutes. The first test's pass is the deployment's
 * first that finds old messages, so it reads them all; the later ones pass days ahead of the clock.
 */
@ExtendWith(ArquillianExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetentionInContainerIT {

    private static final long DAY = Duration.ofDays(1).toMillis();

    @Deployment
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("sluice.war")))
                .addClasses(RetentionInContainerIT.class, StoredRows.class);
    }

    @Inject
    Retention retention;

    @Inject
    StoredRows rows;

    @Inject
    Pruning pruning;

    @Inject
    ConfiguredRetention configured;

    @Test
    @Order(1)
    void deletesWhatIsOverAndKeepsTheRest() {
        long now = System.currentTimeMillis();
        // more than a batch (500) of old messages kept come first in id order, then more than a batch of old ones over
        List<String> kept = new ArrayList<>(rows.messages(600, MessageState.CREATED, false, now - 40 * DAY, 0));
        List<String> over = new ArrayList<>(rows.messages(700, MessageState.DELIVERED, false, now - 39 * DAY,
                now - 39 * DAY));
        over.addAll(rows.messages(1, MessageState.CANCELLED, false, now - 9 * DAY, now - 8 * DAY));
        over.addAll(rows.messages(1, MessageState.FAILED, false, now - 9 * DAY, now - 8 * DAY));
        over.addAll(rows.messages(1, MessageState.FAILED, true, now - 32 * DAY, now - 31 * DAY));
        kept.addAll(rows.messages(1, MessageState.DELIVERED, false, now - 9 * DAY, now - 6 * DAY));
        kept.addAll(rows.messages(1, MessageState.FAILED, true, now - 9 * DAY, now - 8 * DAY));
        kept.addAll(rows.leftDlq(1, now - 20 * DAY, now - DAY));
        over.addAll(rows.leftDlq(1, now - 20 * DAY, now - 8 * DAY));
        kept.addAll(rows.messages(1, MessageState.DELIVERED, false, now - DAY, now - DAY));
        long oldEvent = rows.event(now - 8 * DAY);
        long newEvent = rows.event(now - 6 * DAY);
        String oldKeyEvent = rows.keyEvent(now - 8 * DAY);
        String newKeyEvent = rows.keyEvent(now - 6 * DAY);
        String oldDeduplication = rows.deduplication(now - Duration.ofMinutes(11).toMillis());
        String newDeduplication = rows.deduplication(now - Duration.ofMinutes(9).toMillis());

        retention.pruneAt(now);

        Set<String> stored = rows.stored(Message.class, union(kept, over));
        assertEquals(List.of(), over.stream().filter(stored::contains).toList(), "over, yet still stored");
        assertEquals(List.of(), kept.stream().filter(id -> !stored.contains(id)).toList(), "kept, yet deleted");
        assertEquals(Set.of(newEvent), rows.stored(MessageEvent.class, List.of(oldEvent, newEvent)));
        assertEquals(Set.of(newKeyEvent), rows.stored(KeyEvent.class, List.of(oldKeyEvent, newKeyEvent)));
        assertEquals(Set.of(newDeduplication),
                rows.stored(Deduplication.class, List.of(oldDeduplication, newDeduplication)));
        assertEquals(Map.of(), retention.pruneAt(now), "a second pass finds nothing over");
    }

    @Test
    @Order(2)
    void findsDeadLettersOverThroughTheirDlqIdsAlone() {
        long now = System.currentTimeMillis();
        // over a day from now, so that the per-minute pass leaves them alone
        List<String> over = rows.messages(2, MessageState.FAILED, true, now - 40 * DAY, now - 29 * DAY - DAY / 2);
        List<String> kept = rows.messages(1, MessageState.FAILED, true, now - 40 * DAY, now - 28 * DAY - DAY / 2);

        Pruning.Batch batch = pruning.pruneDeadLetters(configured.policy(), now + DAY, null, 500);

        assertEquals(2, batch.read(), "read the two over, and only them");
        assertEquals(2, batch.deleted());
        assertEquals(Set.copyOf(kept), rows.stored(Message.class, union(kept, over)));
    }

    @Test
    @Order(3)
    void tellsWhenAnEndedMessageNotOverYetWillBe() {
        long now = System.currentTimeMillis();
        List<String> delivered = rows.messages(1, MessageState.DELIVERED, false, now - 8 * DAY, now - DAY);
        List<String> waiting = rows.messages(1, MessageState.CREATED, false, now - 8 * DAY, 0);
        List<String> deadLetter = rows.messages(1, MessageState.FAILED, true, now - 8 * DAY, now - DAY);

        Pruning.Batch batch = pruning.pruneMessages(configured.policy(), now,
                List.of(delivered.get(0), waiting.get(0), deadLetter.get(0)));

        assertEquals(3, batch.read());
        assertEquals(0, batch.deleted());
        assertEquals(List.of(new Pruning.Later(delivered.get(0), now - DAY + 7 * DAY)), batch.later(),
                "only the ended one, 7 days after it ended; the dead letter is found through its DLQ id");
    }

    @Test
    @Order(4)
    void deletesAnOldMessageThatEndedAfterAPassKeptIt() {
        long now = System.currentTimeMillis();
        List<String> waiting = rows.messages(1, MessageState.CREATED, false, now - 40 * DAY, 0);
        retention.pruneAt(now);
        assertEquals(Set.copyOf(waiting), rows.stored(Message.class, waiting), "still waiting");

        rows.delivered(waiting, now + DAY);
        retention.pruneAt(now + 7 * DAY);
        assertEquals(Set.copyOf(waiting), rows.stored(Message.class, waiting), "delivered 6 days before");

        for (int pass = 0; pass < 3 && !rows.stored(Message.class, waiting).isEmpty(); pass++) {
            retention.pruneAt(now + 8 * DAY + (pass + 1) * Duration.ofMinutes(1).toMillis());
        }
        assertEquals(Set.of(), rows.stored(Message.class, waiting), "delivered 7 days before, read again");
    }

    @Test
    @Order(5)
    void walksOnlyMessagesOldEnoughToBeOverAsEndedOnesWhenDeadLettersGoSooner() {
        long now = System.currentTimeMillis();
        rows.messages(1, MessageState.DELIVERED, false, now - 5 * DAY, now - 5 * DAY);
        RetentionPolicy deadLettersSooner = RetentionPolicy.of("7d", "3d", "10m");

        String last = null;
        Pruning.Batch batch;
        do {
            batch = pruning.pruneMessages(deadLettersSooner, now, last, null, 500);
            last = batch.read() > 0 ? batch.last() : last;
        } while (batch.read() == 500);

        String cutoff = MessageId.leastAt(Message.ID_PREFIX, now - 7 * DAY);
        assertTrue(last == null || last.compareTo(cutoff) < 0, "read " + last + ", made after " + cutoff);
    }

    private static List<String> union(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
