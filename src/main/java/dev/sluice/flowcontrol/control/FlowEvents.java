package dev.sluice.flowcontrol.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * What publishers, workers and the API tell the gatekeeper. Events are queued without blocking and applied to the
 * {@link FlowController} by the gatekeeper's own thread at the start of its next pass, so publishing never waits
 * for a pass. Each event also wakes the gatekeeper early.
 */
@ApplicationScoped
public class FlowEvents {

    private final Queue<Consumer<FlowController>> pending = new ConcurrentLinkedQueue<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private volatile Runnable wakeUp = () -> { };

    /** A message entered its key's holding queue, due at dueAt (epoch millis). */
    public void admitted(DeliveryTicket ticket, long dueAt) {
        post(engine -> engine.admit(ticket.flowKey(), ticket.messageId(), ticket.config(), dueAt));
    }

    /** The request of this attempt left for its destination: rate windows are anchored at these instants. */
    public void sent(String messageId, long sentAtMillis) {
        post(engine -> engine.sent(messageId, sentAtMillis));
    }

    public void attemptEnded(String messageId) {
        post(engine -> engine.attemptEnded(messageId));
    }

    /** The message will never be delivered: it leaves the waitlist now, its broker copy is dropped when met. */
    public void cancelled(DeliveryTicket ticket) {
        cancelled.add(ticket.messageId());
        post(engine -> engine.withdraw(ticket.flowKey(), ticket.messageId(), ticket.config()));
    }

    /** True once for a message cancelled while it waited: the caller drops the broker copy. */
    boolean consumeCancellation(String messageId) {
        return cancelled.remove(messageId);
    }

    void rememberCancelled(Iterable<String> messageIds) {
        messageIds.forEach(cancelled::add);
    }

    void applyTo(FlowController engine) {
        Consumer<FlowController> event;
        while ((event = pending.poll()) != null) {
            event.accept(engine);
        }
    }

    void forgetPending() {
        pending.clear();
    }

    void onWakeUp(Runnable wakeUp) {
        this.wakeUp = wakeUp;
    }

    private void post(Consumer<FlowController> event) {
        pending.add(event);
        wakeUp.run();
    }
}
