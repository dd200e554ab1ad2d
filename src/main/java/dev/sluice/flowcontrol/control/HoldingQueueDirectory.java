package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.Queues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import java.lang.reflect.Constructor;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The holding queues' destinations, made once per key and reused, without asking the broker anything:
 * <ul>
 * <li>{@code JMSContext.createQueue} of the Artemis client asks the broker whether the queue exists (a blocking
 * round trip): per new key, inside the publish transaction. Loading many new keys spent half of the publish
 * thread's time waiting for those answers. After the first one, destinations are constructed directly, as the
 * client itself does once the broker has answered.</li>
 * <li>Before each send to a destination object it has not checked yet, the client asks the broker whether the
 * address and the queue exist (creating them if not), and Artemis answers the address question by scanning all
 * its addresses: with one queue per key, that made every publish O(keys) and three round trips longer. The broker
 * itself creates a missing holding queue when a message is sent to it (auto-create-queues; also after it deleted
 * the queue of an idle key), so the client's check is redundant: the destinations here are marked as checked.</li>
 * </ul>
 */
@ApplicationScoped
public class HoldingQueueDirectory {

    private static final int MAX_KNOWN = 65_536;

    private final Map<String, Queue> known = new ConcurrentHashMap<>();
    /** Null until the first destination shows the adapter's class; empty if it has no constructor by name. */
    private volatile Optional<Constructor<? extends Queue>> byName;

    /** The key's holding queue as a destination for the given context. */
    public Queue destination(JMSContext jms, String flowKey) {
        String name = Queues.holding(flowKey);
        Queue queue = known.get(name);
        if (queue == null) {
            queue = markedChecked(constructed(jms, name));
            if (known.size() >= MAX_KNOWN) {
                known.clear(); // forgetting only costs one construction per key
            }
            known.put(name, queue);
        }
        return queue;
    }

    private Queue constructed(JMSContext jms, String name) {
        Optional<Constructor<? extends Queue>> constructor = byName;
        if (constructor != null && constructor.isPresent()) {
            try {
                return constructor.get().newInstance(name);
            } catch (ReflectiveOperationException e) {
                byName = Optional.empty();
            }
        }
        Queue queue = jms.createQueue(name);
        if (byName == null) {
            byName = constructorByName(queue);
        }
        return queue;
    }

    /**
     * The adapter's queue class and its constructor by name: its classes live in the adapter's own class loader,
     * reached by reflection on their public API. Empty for a client without one: it then asks the broker each time.
     */
    private static Optional<Constructor<? extends Queue>> constructorByName(Queue sample) {
        try {
            return Optional.of(sample.getClass().getConstructor(String.class));
        } catch (NoSuchMethodException anotherClient) {
            return Optional.empty();
        }
    }

    /** Marks a destination of the Artemis resource adapter as checked, so its client skips the existence queries. */
    private static Queue markedChecked(Queue destination) {
        try {
            destination.getClass().getMethod("setCreated", boolean.class).invoke(destination, true);
        } catch (ReflectiveOperationException anotherClient) {
            // a client without the method checks before every send: only slower
        }
        return destination;
    }
}
