package dev.sluice.flowcontrol.control;

/**
 * Why the head message of a key's waitlist does not start right now. When several reasons apply, the key's own state
 * wins over the server-wide cap: EMPTY or NOT_BEFORE (nothing waits), PAUSED, NOT_BEFORE (backoff), PARALLELISM, RATE,
 * GLOBAL_PARALLELISM.
 */
public enum BlockedBy {
    /** Nothing blocks: the key is served in its round-robin turn. */
    NONE,
    /** Paused by an operator. */
    PAUSED,
    /**
     * Nothing is due yet: only scheduled messages (delay, not-before, retry backoff), or the broker did not show the
     * counted message yet and the key is waiting a short backoff.
     */
    NOT_BEFORE,
    /** The server-wide cap on deliveries in flight is reached. */
    GLOBAL_PARALLELISM,
    /** The key's own parallelism is used up. */
    PARALLELISM,
    /** The key's current rate window is used up. */
    RATE,
    /** Nothing waits and nothing is scheduled. */
    EMPTY
}
