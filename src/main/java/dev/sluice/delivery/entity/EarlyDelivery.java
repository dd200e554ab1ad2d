package dev.sluice.delivery.entity;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a delivery can join the start of its attempt: under load a response often comes in while the start still
 * waits for its commit, and then both are written in one update of the message instead of two. Open until the start
 * is being written. Only a plain delivery joins ({@link Outcome#isPlainDelivery}): its record can fail only as the
 * start's can, whereas any other outcome (a retry to schedule, a callback to publish) could fail the start with it,
 * and the request would then be made again.
 */
public final class EarlyDelivery {

    private static final Object SEALED = new Object();

    /** null while open, the delivery once handed over, {@link #SEALED} if sealed without one */
    private final AtomicReference<Object> state = new AtomicReference<>();

    /**
     * Hands the outcome over to be written with the start; false if it is no plain delivery, or once the start is
     * being written (then the outcome is recorded after it).
     */
    public boolean offer(Outcome outcome) {
        return outcome.isPlainDelivery() && state.compareAndSet(null, outcome);
    }

    /**
     * Seals it, as the start is being written, and answers the delivery handed over before, if any. The same answer
     * every time: a transaction that failed writes the start again.
     */
    public Optional<Outcome> seal() {
        state.compareAndSet(null, SEALED);
        return taken();
    }

    /** The delivery handed over, if any. */
    public Optional<Outcome> taken() {
        return state.get() instanceof Outcome outcome ? Optional.of(outcome) : Optional.empty();
    }
}
