package dev.sluice.messages.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MessageIdTest {

    private static final long T = 1_795_000_000_000L;

    @Test
    void idsSortByTheTimeTheyWereMadeAt() {
        assertTrue(MessageId.at("msg", T - 1).compareTo(MessageId.at("msg", T)) < 0);
        assertTrue(MessageId.at("msg", T).compareTo(MessageId.at("msg", T + 1)) < 0);
    }

    @Test
    void theLeastIdAtATimeSortsAfterEveryIdMadeEarlierAndBeforeNoneMadeThenOrLater() {
        String least = MessageId.leastAt("msg", T);
        for (int i = 0; i < 1_000; i++) {
            assertTrue(MessageId.at("msg", T - 1).compareTo(least) < 0);
            assertTrue(MessageId.at("msg", T).compareTo(least) >= 0);
            assertTrue(MessageId.at("msg", T + 1).compareTo(least) > 0);
        }
    }

    @Test
    void anIdTellsWhenItWasMade() {
        assertEquals(OptionalLong.of(T), MessageId.timeOf(MessageId.at("msg", T)));
        assertEquals(OptionalLong.of(T), MessageId.timeOf(MessageId.leastAt("evt", T)));
        assertEquals(OptionalLong.empty(), MessageId.timeOf("msg_1"));
        assertEquals(OptionalLong.empty(), MessageId.timeOf("msg_000000000U0000000000000000"));
        assertEquals(OptionalLong.empty(), MessageId.timeOf("01M543QM70ZA839R150MGF7QFE"));
    }

    @Test
    void anIdIsThePrefixAndTwentySixCharactersOfCrockfordBase32() {
        String id = MessageId.at("msg", T);
        assertTrue(id.matches("msg_[0-9A-HJKMNP-TV-Z]{26}"), id);
        assertEquals(MessageId.leastAt("msg", T).substring(0, 14), id.substring(0, 14));
    }
}
