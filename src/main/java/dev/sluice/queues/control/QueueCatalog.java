package dev.sluice.queues.control;

import dev.sluice.flowcontrol.control.OperatorActions;
import dev.sluice.flowcontrol.entity.QueueLane;
import dev.sluice.messages.control.MessageFilter;
import dev.sluice.messages.control.Messages;
import dev.sluice.messages.entity.MessageState;
import dev.sluice.queues.entity.Queue;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/**
 * The queues and their lanes: a queue's parallelism is pinned on its flow-control lane and its pause is the lane's
 * pause, so queued messages go through the same gatekeeper as every other message.
 */
@Stateless
public class QueueCatalog {

    @PersistenceContext
    EntityManager em;

    @Inject
    OperatorActions lanes;

    @Inject
    Messages messages;

    /** Creates the queue with default settings if it does not exist (enqueueing into a new queue creates it). */
    public void admit(String name) {
        if (name != null && em.find(Queue.class, name) == null) {
            upsert(name, Queue.DEFAULT_PARALLELISM, false);
        }
    }

    public Queue upsert(String name, int parallelism, boolean paused) {
        long now = System.currentTimeMillis();
        Queue queue = em.find(Queue.class, name);
        if (queue == null) {
            queue = new Queue(name, now);
            em.persist(queue);
        }
        String lane = QueueLane.key(name);
        lanes.pin(lane, parallelism, null, null);
        setPaused(lane, paused);
        queue.update(parallelism, paused, now);
        return queue;
    }

    public Optional<Queue> find(String name) {
        return Optional.ofNullable(em.find(Queue.class, name));
    }

    public List<Queue> list() {
        return em.createQuery("SELECT q FROM Queue q ORDER BY q.name", Queue.class).getResultList();
    }

    /** Messages of the queue not delivered yet (waiting, scheduled, retrying or in flight). */
    public long lag(String name) {
        return em.createQuery("SELECT COUNT(m) FROM Message m WHERE m.queueName = :name AND m.state IN :pending",
                        Long.class)
                .setParameter("name", name)
                .setParameter("pending", MessageState.PENDING)
                .getSingleResult();
    }

    public boolean pause(String name, boolean paused) {
        return find(name).map(queue -> {
            upsert(name, queue.getParallelism(), paused);
            return true;
        }).orElse(false);
    }

    /**
     * Removes the queue: its pending messages are cancelled (in transactions of their own, committed first: if the
     * removal then fails, deleting again cancels nothing twice) and its lane forgets the queue's settings.
     */
    public boolean delete(String name) {
        Queue queue = em.find(Queue.class, name);
        if (queue == null) {
            return false;
        }
        messages.cancelMatching(MessageFilter.inQueues(List.of(name)));
        String lane = QueueLane.key(name);
        setPaused(lane, false);
        lanes.unpin(lane, true, false);
        em.remove(queue);
        return true;
    }

    private void setPaused(String lane, boolean paused) {
        if (paused) {
            lanes.pause(lane);
        } else {
            lanes.resume(lane);
        }
    }
}
