package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FairnessTest {

    VirtualClock clock = new VirtualClock();
    FlowController engine = new FlowController(clock, 1_000_000);
    FlowConfig unlimited = FlowConfig.parse("rate=1000000000");

    @Test
    void aSmallKeyIsServedWithinOneRoundOfAHugeBacklog() {
        for (int i = 0; i < 1_000_000; i++) {
            engine.admit("huge", "h" + i, unlimited, clock.millis());
        }
        start("huge");
        engine.admit("small", "s", unlimited, clock.millis());
        assertEquals(List.of("huge", "small", "huge", "huge"), startNext(4));
        assertEquals(1_000_000 - 4, engine.snapshot("huge").orElseThrow().waitListSize());
    }

    @Test
    void keysTakeTurnsOneStartEach() {
        for (String key : List.of("a", "b", "c")) {
            for (int i = 0; i < 3; i++) {
                engine.admit(key, key + i, unlimited, clock.millis());
            }
        }
        assertEquals(List.of("a", "b", "c", "a", "b", "c", "a", "b", "c"), startNext(10));
    }

    @Test
    void unkeyedMessagesTakeEveryOtherTurnHoweverManyKeysWait() {
        for (int i = 0; i < 1_000; i++) {
            engine.admit("key-" + i, "k" + i, unlimited, clock.millis());
        }
        for (int i = 0; i < 3; i++) {
            engine.admit(FlowController.UNKEYED, "u" + i, null, clock.millis());
        }
        assertEquals(List.of("key-0", "", "key-1", "", "key-2", "", "key-3", "key-4"), startNext(8));
    }

    @Test
    void unkeyedMessagesGoOneAfterAnotherOnceNoKeyWaits() {
        for (int i = 0; i < 3; i++) {
            engine.admit(FlowController.UNKEYED, "u" + i, null, clock.millis());
        }
        engine.admit("a", "a0", unlimited, clock.millis());
        assertEquals(List.of("a", "", "", ""), startNext(5));
    }

    @Test
    void anUnansweredOfferToTheUnkeyedLaneIsTakenBack() {
        engine.admit("a", "a1", unlimited, clock.millis());
        engine.admit("b", "b1", unlimited, clock.millis());
        engine.admit(FlowController.UNKEYED, "u", null, clock.millis());
        start(engine.nextKey().orElseThrow());
        assertEquals(Optional.of(""), engine.nextKey());
        assertEquals(Optional.of(""), engine.nextKey(), "it was the unkeyed lane's turn");
    }

    @Test
    void underAFullGlobalCapTheNextSlotGoesToTheNextKey() {
        FlowController engine = new FlowController(clock, 1);
        for (int i = 0; i < 100; i++) {
            engine.admit("big", "b" + i, unlimited, clock.millis());
        }
        engine.admit("small", "s", unlimited, clock.millis());
        List<String> served = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String key = engine.nextKey().orElseThrow();
            served.add(key);
            engine.started(key, key + i, unlimited, clock.millis() + 1_000);
            assertTrue(engine.nextKey().isEmpty());
            engine.attemptEnded(key + i);
        }
        assertEquals(List.of("big", "small", "big"), served);
    }

    @Test
    void aKeyWhoseWindowEndedRejoinsAtTheBackOfTheRing() {
        FlowConfig oncePerSecond = FlowConfig.parse("rate=1");
        engine.admit("slow", "s1", oncePerSecond, clock.millis());
        engine.admit("slow", "s2", oncePerSecond, clock.millis());
        for (int i = 0; i < 5; i++) {
            engine.admit("fast", "f" + i, unlimited, clock.millis());
        }
        assertEquals(List.of("slow", "fast", "fast"), startNext(3));
        clock.advanceSeconds(1);
        assertEquals(List.of("fast", "slow", "fast", "fast"), startNext(5));
    }

    @Test
    void anUnansweredOfferIsTakenBack() {
        engine.admit("a", "a1", unlimited, clock.millis());
        engine.admit("b", "b1", unlimited, clock.millis());
        assertEquals(Optional.of("a"), engine.nextKey());
        assertEquals(Optional.of("a"), engine.nextKey(), "it was a's turn");
    }

    List<String> startNext(int max) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            Optional<String> key = engine.nextKey();
            if (key.isEmpty()) {
                break;
            }
            start(key.get());
            keys.add(key.get());
        }
        return keys;
    }

    private int started;

    void start(String key) {
        String id = key + "-started-" + (started++);
        engine.started(key, id, key.isEmpty() ? null : unlimited, clock.millis() + 60_000);
        engine.sent(id, clock.millis());
    }
}
