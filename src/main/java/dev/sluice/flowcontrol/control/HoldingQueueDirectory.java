package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.Queues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The holding queues' destinations, made once per key and reused. Before each send to a destination object it has
 * not checked yet, the JMS client asks the broker whether the address and the queue exist (creating them if not),
 * and Artemis answers the address question by scanning all its addresses: with one queue per key, that made every
 * publish O(keys) and three round trips longer. The broker itself creates a missing holding queue when a message
 * is sent to it (auto-create-queues; also after it deleted the queue of an idle key), so the client's check is
 * redundant: the destinations here are marked as checked.
 */
@ApplicationScoped
public class HoldingQueueDirectory {

    private static final int MAX_KNOWN = 65_536;

    private final Map<String, Queue> known = new ConcurrentHashMap<>();

    /** The key's holding queue as a destination for the given context. */
    public Queue destination(JMSContext jms, String flowKey) {
        String name = Queues.holding(flowKey);
        Queue queue = known.get(name);
        if (queue == null) {
            queue = markedChecked(jms.createQueue(name));
            if (known.size() >= MAX_KNOWN) {
                known.clear(); // forgetting only costs one lookup per key
            }
            known.put(name, queue);
        }
        return queue;
    }

    /**
     * Marks a destination of the Artemis resource adapter as checked, so its client skips the existence queries.
     * The adapter's classes live in its own class loader: reached by reflection on their public API.
     */
    private static Queue markedChecked(Queue destination) {
        try {
            destination.getClass().getMethod("setCreated", boolean.class).invoke(destination, true);
        } catch (ReflectiveOperationException anotherClient) {
            // a client without the method checks before every send: only slower
        }
        return destination;
    }
}
