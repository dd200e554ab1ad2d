package dev.sluice.delivery.entity;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where the outcome of an attempt can join the attempt's start: a response often comes in while the start still
 * waits for its commit, and then both are written in one update of the message instead of two. Open until the start
 * is written; an outcome handed over before is written with it.
 */
public final class EarlyOutcome {

    private static final Object CLOSED = new Object();

    /** null while open, the outcome once handed over, {@link #CLOSED} if closed without one */
    private final AtomicReference<Object> state = new AtomicReference<>();

    /** Hands the outcome over; false once the start is being written (or an outcome was handed over already). */
    public boolean offer(Outcome outcome) {
        return state.compareAndSet(null, outcome);
    }

    /**
     * Closes it, as the start is being written, and answers the outcome handed over before, if any. The same answer
     * every time: a transaction that failed writes the start again.
     */
    public Optional<Outcome> close() {
        state.compareAndSet(null, CLOSED);
        return taken();
    }

    /** The outcome handed over, if any. */
    public Optional<Outcome> taken() {
        return state.get() instanceof Outcome outcome ? Optional.of(outcome) : Optional.empty();
    }
}
