package dev.sluice.messages.entity;

import java.util.EnumSet;
import java.util.Set;

/** QStash's message states. */
public enum MessageState {
    /** accepted and stored, waiting for its first attempt */
    CREATED,
    /** an attempt is in flight */
    ACTIVE,
    /** an attempt failed, the next one is scheduled */
    RETRY,
    DELIVERED,
    /** retries exhausted: the message is in the DLQ */
    FAILED,
    CANCELLED;

    public static final Set<MessageState> WAITING = EnumSet.of(CREATED, RETRY);
    public static final Set<MessageState> PENDING = EnumSet.of(CREATED, RETRY, ACTIVE);

    public boolean isFinal() {
        return !PENDING.contains(this);
    }
}
