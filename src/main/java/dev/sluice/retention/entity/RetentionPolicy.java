package dev.sluice.retention.entity;

import dev.sluice.messages.entity.MessageState;
import dev.sluice.platform.entity.HumanDuration;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.stream.LongStream;

/**
 * How long Sluice keeps what is over: messages that ended (delivered, cancelled, or failed and taken out of the DLQ)
 * and the logs (message events, operator actions on flow-control keys) for {@code finished}, entries of the DLQ for
 * {@code deadLetters}, a deduplication id for its window. A message is kept from its last change. Zero keeps them
 * forever.
 */
public record RetentionPolicy(Duration finished, Duration deadLetters, Duration deduplications) {

    public static final String FINISHED_SETTING = "sluice.retention.messages";
    public static final String DEAD_LETTERS_SETTING = "sluice.retention.dead-letters";
    public static final String DEDUPLICATIONS_SETTING = "sluice.deduplication.window";

    /** Reads the settings' texts; a malformed one fails naming its setting. */
    public static RetentionPolicy of(String finished, String deadLetters, String deduplications) {
        return new RetentionPolicy(HumanDuration.parse(finished, FINISHED_SETTING),
                HumanDuration.parse(deadLetters, DEAD_LETTERS_SETTING),
                HumanDuration.parse(deduplications, DEDUPLICATIONS_SETTING));
    }

    /**
     * The time (epoch milliseconds) before which what is kept this long is over at {@code now}; empty when it is
     * kept forever.
     */
    public static OptionalLong cutoff(Duration kept, long now) {
        return kept.isZero() || kept.toMillis() > now ? OptionalLong.empty() : OptionalLong.of(now - kept.toMillis());
    }

    /** Whether a message, in the DLQ or not, that last changed at {@code updatedAt} is over at {@code now}. */
    public boolean isOver(MessageState state, boolean deadLetter, long updatedAt, long now) {
        if (deadLetter) {
            return state == MessageState.FAILED && isBefore(updatedAt, cutoff(deadLetters, now));
        }
        return state.isFinal() && isBefore(updatedAt, cutoff(finished, now));
    }

    /**
     * Every message over at {@code now} was made before this time, since a message changes only after it was made;
     * empty when messages are kept forever.
     */
    public OptionalLong messagesMadeBefore(long now) {
        return LongStream.concat(cutoff(finished, now).stream(), cutoff(deadLetters, now).stream()).max();
    }

    private static boolean isBefore(long time, OptionalLong cutoff) {
        return cutoff.isPresent() && time < cutoff.getAsLong();
    }
}
