package dev.sluice.retention.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.messages.entity.MessageState;
import dev.sluice.platform.entity.InvalidInput;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {

    private static final long NOW = 1_795_000_000_000L;
    private static final long DAY = Duration.ofDays(1).toMillis();
    private final RetentionPolicy policy = RetentionPolicy.of("7d", "30d", "10m");

    @Test
    void anEndedMessageIsOverOnceItsLastChangeIsOlderThanTheMessagesRetention() {
        for (MessageState ended : new MessageState[] {MessageState.DELIVERED, MessageState.CANCELLED,
                MessageState.FAILED}) {
            assertTrue(policy.isOver(ended, false, NOW - 7 * DAY - 1, NOW), ended.name());
            assertFalse(policy.isOver(ended, false, NOW - 7 * DAY, NOW), ended.name());
        }
    }

    @Test
    void aMessageNotEndedIsNeverOverHoweverOld() {
        for (MessageState pending : MessageState.PENDING) {
            assertFalse(policy.isOver(pending, false, NOW - 365 * DAY, NOW), pending.name());
        }
    }

    @Test
    void aDeadLetterIsKeptByTheDlqsRetention() {
        assertFalse(policy.isOver(MessageState.FAILED, true, NOW - 29 * DAY, NOW));
        assertTrue(policy.isOver(MessageState.FAILED, true, NOW - 30 * DAY - 1, NOW));
    }

    @Test
    void zeroKeepsForever() {
        RetentionPolicy forever = RetentionPolicy.of("0", "0s", "10m");
        assertFalse(forever.isOver(MessageState.DELIVERED, false, 0, NOW));
        assertFalse(forever.isOver(MessageState.FAILED, true, 0, NOW));
        assertEquals(OptionalLong.empty(), forever.messagesMadeBefore(NOW));
        assertEquals(OptionalLong.empty(), RetentionPolicy.cutoff(Duration.ZERO, NOW));
    }

    @Test
    void everyMessageOverWasMadeBeforeTheLaterOfTheTwoCutoffs() {
        assertEquals(OptionalLong.of(NOW - 7 * DAY), policy.messagesMadeBefore(NOW));
        assertEquals(OptionalLong.of(NOW - 30 * DAY), RetentionPolicy.of("0", "30d", "10m").messagesMadeBefore(NOW));
        assertEquals(OptionalLong.of(NOW - 7 * DAY), RetentionPolicy.of("7d", "0", "10m").messagesMadeBefore(NOW));
    }

    @Test
    void theCutoffIsNowLessWhatIsKept() {
        assertEquals(OptionalLong.of(NOW - 600_000), RetentionPolicy.cutoff(policy.deduplications(), NOW));
        assertEquals(OptionalLong.empty(), RetentionPolicy.cutoff(Duration.ofDays(1), DAY - 1));
    }

    @Test
    void aMalformedSettingIsRefusedNamingIt() {
        InvalidInput refused = assertThrows(InvalidInput.class, () -> RetentionPolicy.of("7 days", "30d", "10m"));
        assertTrue(refused.getMessage().contains("sluice.retention.messages"), refused.getMessage());
        refused = assertThrows(InvalidInput.class, () -> RetentionPolicy.of("7d", "-1d", "10m"));
        assertTrue(refused.getMessage().contains("sluice.retention.dead-letters"), refused.getMessage());
    }
}
