package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScheduleTest {

    SimulatedBroker gatekeeper = new SimulatedBroker(10);
    FlowController engine = gatekeeper.engine;
    VirtualClock clock = gatekeeper.clock;
    FlowConfig config = FlowConfig.parse("parallelism=2");

    @Test
    void aScheduledMessageJoinsTheWaitlistWhenDue() {
        String id = gatekeeper.publish("k", config, Duration.ofSeconds(5));

        assertEquals(0, snapshot().waitListSize());
        assertEquals(1, snapshot().scheduledCount());
        assertEquals(BlockedBy.NOT_BEFORE, snapshot().blockedBy());
        assertEquals(Optional.empty(), engine.nextKey());
        assertEquals(clock.millis() + 5_000, engine.nextWakeUpMillis());

        clock.advanceMillis(4_999);
        assertEquals(List.of(), gatekeeper.drain());
        clock.advanceMillis(1);
        assertEquals(List.of(id), gatekeeper.drain());
        assertEquals(0, snapshot().scheduledCount());
    }

    @Test
    void dueInThePastWaitsAtOnce() {
        engine.admit("k", "m", config, clock.millis() - 1_000);
        assertEquals(1, snapshot().waitListSize());
        assertEquals(Optional.of("k"), engine.nextKey());
    }

    @Test
    void scheduledMessagesBecomeDueInDueOrder() {
        String late = gatekeeper.publish("k", FlowConfig.parse("parallelism=5"), Duration.ofSeconds(3));
        String early = gatekeeper.publish("k", FlowConfig.parse("parallelism=5"), Duration.ofSeconds(1));
        clock.advanceSeconds(3);
        assertEquals(List.of(early, late), gatekeeper.drain());
    }

    @Test
    void aScheduledMessageDoesNotWidenTheLimitsBeforeItIsDue() {
        gatekeeper.publish(3, "k", FlowConfig.parse("parallelism=1"));
        gatekeeper.publish("k", FlowConfig.parse("parallelism=3"), Duration.ofSeconds(10));
        assertEquals(1, gatekeeper.drain().size());
        assertEquals(1, snapshot().parallelismMax());
        clock.advanceSeconds(10);
        assertEquals(3, snapshot().parallelismMax());
        assertEquals(2, gatekeeper.drain().size());
    }

    @Test
    void withdrawingAScheduledMessageForgetsIt() {
        String id = gatekeeper.publish("k", config, Duration.ofSeconds(5));
        gatekeeper.cancel(id);
        assertEquals(0, snapshot().scheduledCount());
        assertEquals(BlockedBy.EMPTY, snapshot().blockedBy());
        clock.advanceSeconds(5);
        assertEquals(List.of(), gatekeeper.drain());
        assertEquals(0, snapshot().waitListSize());
        assertEquals(Long.MAX_VALUE, engine.nextWakeUpMillis());
    }

    @Test
    void withdrawingAWaitingMessageCountsItOut() {
        List<String> ids = gatekeeper.publish(3, "k", config);
        gatekeeper.cancel(ids.get(1));
        assertEquals(2, snapshot().waitListSize());
        assertEquals(List.of(ids.get(0), ids.get(2)), gatekeeper.drain());
        assertEquals(0, snapshot().waitListSize());
    }

    @Test
    void withdrawingAnInFlightMessageChangesNothingUntilItsAttemptEnds() {
        List<String> ids = gatekeeper.publish(3, "k", FlowConfig.parse("parallelism=1"));
        gatekeeper.drain();
        engine.withdraw("k", ids.get(0), FlowConfig.parse("parallelism=1"));
        assertEquals(2, snapshot().waitListSize());
        assertEquals(1, snapshot().parallelismCount());
        gatekeeper.end(ids.get(0));
        assertEquals(List.of(ids.get(1)), gatekeeper.drain());
    }

    @Test
    void aRetryThatItsCancelDidNotStopIsNotCounted() {
        FlowConfig config = FlowConfig.parse("parallelism=1");
        List<String> ids = gatekeeper.publish(1, "k", config);
        gatekeeper.drain();
        engine.withdraw("k", ids.get(0), config); // in flight: the cancel and the attempt's outcome race
        gatekeeper.end(ids.get(0));
        engine.admit("k", ids.get(0), config, clock.millis()); // the outcome scheduled a retry all the same

        assertEquals(0, snapshot().waitListSize(), "its copy is dropped when met");
        assertEquals(0, snapshot().scheduledCount());
    }

    @Test
    void aCancelBetweenAnAttemptsEndAndItsOutcomeCountsNoOtherMessageOut() {
        FlowConfig config = FlowConfig.parse("parallelism=1");
        List<String> ids = gatekeeper.publish(2, "k", config);
        gatekeeper.drain();
        gatekeeper.end(ids.get(0)); // the response is in, its outcome not recorded yet
        engine.withdraw("k", ids.get(0), config); // the cancel wins: no retry follows

        assertEquals(1, snapshot().waitListSize(), "the other message still counts");
        assertEquals(List.of(ids.get(1)), gatekeeper.drain());
    }

    @Test
    void aCancelAfterTheOutcomesRetryWasAdmittedCountsItOut() {
        FlowConfig config = FlowConfig.parse("parallelism=1");
        List<String> ids = gatekeeper.publish(2, "k", config);
        gatekeeper.drain();
        gatekeeper.end(ids.get(0));
        engine.admit("k", ids.get(0), config, clock.millis()); // the outcome: a retry, due now
        engine.withdraw("k", ids.get(0), config);

        assertEquals(1, snapshot().waitListSize(), "the retry is counted out, the other message still counts");
    }

    @Test
    void aWaitingCountNoTakeCanAnswerCanBeGivenUp() {
        engine.admit("k", "ghost", config, clock.millis()); // its broker copy is gone
        assertEquals(Optional.of("k"), engine.nextKey());
        engine.nothingWaiting("k");
        assertEquals(1, engine.misses("k"));

        engine.forgetWaiting("k");

        assertEquals(0, snapshot().waitListSize());
        assertEquals(0, engine.misses("k"));
        clock.advanceSeconds(1);
        assertEquals(Optional.empty(), engine.nextKey(), "no longer offered");
    }

    @Test
    void withdrawingTheLastWideConfigurationNarrowsTheKey() {
        gatekeeper.publish(3, "k", FlowConfig.parse("parallelism=1"));
        String wide = gatekeeper.publish("k", FlowConfig.parse("parallelism=3"));
        assertEquals(3, snapshot().parallelismMax());
        gatekeeper.cancel(wide);
        assertEquals(1, snapshot().parallelismMax());
        assertEquals(1, gatekeeper.drain().size());
    }

    @Test
    void aCancelThatOvertookItsAdmissionIsNotCounted() {
        engine.withdraw("k", "late", config);
        engine.admit("k", "late", config, clock.millis());
        assertEquals(Optional.empty(), engine.snapshot("k"), "no count the holding queue cannot answer");
        assertEquals(Optional.empty(), engine.nextKey());
    }

    @Test
    void aCancelThatOvertookItsScheduledAdmissionIsNotCounted() {
        engine.withdraw("k", "retry", config);
        engine.admit("k", "retry", config, clock.millis() + 5_000);
        assertEquals(Long.MAX_VALUE, engine.nextWakeUpMillis());
        clock.advanceSeconds(5);
        assertEquals(Optional.empty(), engine.nextKey());
        assertEquals(Optional.empty(), engine.snapshot("k"));
    }

    @Test
    void aCancelOvertakingItsAdmissionWhileOthersWaitKeepsTheCountRight() {
        List<String> waiting = gatekeeper.publish(2, "k", config);
        engine.withdraw("k", "late", config); // counts one of the two out for now
        engine.admit("k", "late", config, clock.millis()); // and counts the late one in
        assertEquals(2, snapshot().waitListSize());
        assertEquals(waiting, gatekeeper.drain());
    }

    @Test
    void anEarlyWithdrawalIsForgottenAfterAnHour() {
        engine.withdraw("k", "never-admitted", config);
        clock.advanceSeconds(3_601);
        engine.withdraw("k", "another", config);
        engine.admit("k", "never-admitted", config, clock.millis());
        assertEquals(1, snapshot().waitListSize(), "an admission this late counts (a miss corrects it)");
    }

    @Test
    void withdrawNeverMakesCountsNegative() {
        engine.withdraw("k", "nobody", config);
        engine.withdraw("unknown", "nobody", config);
        gatekeeper.publish("k", config);
        engine.withdraw("k", "x", config);
        engine.withdraw("k", "y", config);
        assertEquals(0, snapshot().waitListSize());
    }

    @Test
    void readmittingAScheduledIdReplacesIt() {
        engine.admit("k", "m", config, clock.millis() + 5_000);
        engine.admit("k", "m", config, clock.millis() + 9_000);
        assertEquals(1, snapshot().scheduledCount());
        assertEquals(clock.millis() + 9_000, engine.nextWakeUpMillis());
    }

    @Test
    void aRetryComesBackThroughAdmit() {
        String id = gatekeeper.publish("k", config);
        gatekeeper.drain();
        gatekeeper.end(id);
        engine.admit("k", id, config, clock.millis() + 2_000);
        assertEquals(1, snapshot().scheduledCount());
        clock.advanceSeconds(2);
        assertEquals(Optional.of("k"), engine.nextKey());
    }

    KeySnapshot snapshot() {
        return engine.snapshot("k").orElseThrow();
    }
}
