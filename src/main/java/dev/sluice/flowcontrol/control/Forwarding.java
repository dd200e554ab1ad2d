package dev.sluice.flowcontrol.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQTransactionOutcomeUnknownException;

/**
 * The gatekeeper's moves: takes the head messages of the keys the {@link FlowController} grants from their holding
 * queues and forwards them to the delivery queue, with one broker commit for each call. A call that fails anywhere
 * before its commit is done rolls the broker's transaction back and undoes its moves in the controller: the messages
 * wait again at the head of their holding queues (which have no redelivery delay, so a key's order holds), counted as
 * waiting and not in flight nor against the rate, and none is forwarded by a later commit. A commit the broker may
 * have made all the same is neither undone nor trusted ({@link #mayHaveFailed}).
 */
final class Forwarding {

    private static final Logger LOG = Logger.getLogger(Forwarding.class.getName());
    private static final int MAX_MOVES_PER_COMMIT = 500;
    /**
     * how long the first move of a commit may wait for it: a moved message reaches the workers only with its commit,
     * and a new key's first take costs about a millisecond, so 500 of them held the first for half a second
     */
    private static final long MAX_COMMIT_WAIT_NANOS = 10_000_000;
    /** while a read or operator action waits for the gatekeeper, a commit ends after this many moves or this wait */
    private static final int MIN_MOVES_PER_COMMIT = 10;
    private static final long MIN_COMMIT_WAIT_NANOS = 1_000_000;
    private static final int RECONCILE_AFTER_MISSES = 50;

    private final FlowController engine;
    private final HoldingQueues queues;
    private final FlowEvents events;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final BooleanSupplier readersWaiting;

    /**
     * @param nanoTime       the commits' timer ({@link System#nanoTime()})
     * @param readersWaiting whether a read or operator action waits for the gatekeeper
     */
    Forwarding(FlowController engine, HoldingQueues queues, FlowEvents events, Clock clock, LongSupplier nanoTime,
               BooleanSupplier readersWaiting) {
        this.engine = engine;
        this.queues = queues;
        this.events = events;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.readersWaiting = readersWaiting;
    }

    /**
     * Moves granted messages, with one broker commit for all of them, until nothing more may go now or the commit
     * holds enough ({@link #commitMayGrow}).
     *
     * @return whether more may go: it stopped before running out of granted messages
     */
    boolean moveGranted() throws Exception {
        List<DeliveryTicket> moved = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        boolean more;
        try {
            more = moveWhileTheCommitMayGrow(moved, dropped);
            if (!moved.isEmpty() || !dropped.isEmpty() || queues.movedUnreadable()) {
                queues.commit();
            }
        } catch (ActiveMQTransactionOutcomeUnknownException unknown) {
            mayHaveFailed(moved, dropped);
            throw unknown;
        } catch (Exception e) {
            try {
                undo(moved, dropped);
            } catch (Exception rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
        queues.closeLeastRecentlyUsed(); // after the commit: its failure leaves the moves done
        return more;
    }

    /** @return whether more may go: it stopped before running out of granted messages */
    private boolean moveWhileTheCommitMayGrow(List<DeliveryTicket> moved, List<String> dropped) throws Exception {
        long firstMoveAt = 0;
        while (commitMayGrow(moved.size(), firstMoveAt)) {
            Optional<String> key = engine.nextKey();
            if (key.isEmpty()) {
                return false;
            }
            boolean first = moved.isEmpty();
            moveHead(key.get(), moved, dropped);
            if (first && !moved.isEmpty()) {
                firstMoveAt = nanoTime.getAsLong();
            }
        }
        return true;
    }

    /** Takes the key's head, dropping the heads cancelled while they waited, and forwards it. */
    private void moveHead(String key, List<DeliveryTicket> moved, List<String> dropped) throws Exception {
        Optional<DeliveryTicket> head = queues.take(key);
        while (head.isPresent() && events.consumeCancellation(head.get().messageId())) {
            dropped.add(head.get().messageId());
            head = queues.take(key);
        }
        if (head.isPresent()) {
            DeliveryTicket ticket = head.get();
            queues.forward(ticket);
            engine.started(ticket.flowKey(), ticket.messageId(), ticket.config(),
                    clock.millis() + ticket.leaseMillis());
            moved.add(ticket);
        } else {
            engine.nothingWaiting(key);
            reconcileAfterMisses(key);
        }
    }

    /**
     * Whether a commit holding these moves may take one more: not beyond {@link #MAX_MOVES_PER_COMMIT}, nor once its
     * first move waited {@link #MAX_COMMIT_WAIT_NANOS}; while a read or operator action waits for the gatekeeper, not
     * beyond the minimum moves or wait, which still keeps passes progressing however many reads come.
     */
    private boolean commitMayGrow(int moves, long firstMoveAt) {
        if (moves == 0) {
            return true;
        }
        long waited = nanoTime.getAsLong() - firstMoveAt;
        if (readersWaiting.getAsBoolean()) {
            return moves < MIN_MOVES_PER_COMMIT && waited < MIN_COMMIT_WAIT_NANOS;
        }
        return moves < MAX_MOVES_PER_COMMIT && waited < MAX_COMMIT_WAIT_NANOS;
    }

    /**
     * Waiting counts have no ids, and events come from many threads: a race can leave a count that no take answers,
     * and the key would be asked for it every 20 ms for ever. Every {@link #RECONCILE_AFTER_MISSES} misses in a row
     * (about a second) the broker is asked whether the holding queue holds anything at all, scheduled messages
     * included (after a restart they may show up late); if not, the count is given up.
     */
    private void reconcileAfterMisses(String key) throws Exception {
        int misses = engine.misses(key);
        if (misses > 0 && misses % RECONCILE_AFTER_MISSES == 0 && queues.isEmpty(key)) {
            engine.forgetWaiting(key);
            LOG.info(() -> "Gave up the waiting count of flow-control key '" + key + "' after " + misses
                    + " misses: its holding queue is empty");
        }
    }

    /**
     * Rolls the broker's transaction back; the moved messages wait again, back in their holding queues (also when
     * the rollback fails: the broker rolls back the transaction of a session it lost), and the cancelled ones dropped
     * are dropped again when next taken.
     */
    private void undo(List<DeliveryTicket> moved, List<String> dropped) throws Exception {
        try {
            queues.rollback();
        } finally {
            for (DeliveryTicket ticket : moved) {
                engine.moveUndone(ticket.flowKey(), ticket.messageId(), ticket.config());
            }
            events.rememberCancelled(dropped);
        }
    }

    /**
     * The broker cannot say whether the commit went through ({@link FlowController#moveInDoubt}): the moves stay in
     * flight and their messages count as waiting too, and the cancelled heads are dropped again if met again (if the
     * commit went through, their ids are kept for nothing). The transaction is rolled back all the same: if the commit
     * did not go through, a later commit must not carry its takes without their tickets.
     */
    private void mayHaveFailed(List<DeliveryTicket> moved, List<String> dropped) {
        LOG.warning(() -> "The broker cannot say whether the gatekeeper's commit of " + moved.size()
                + " moves went through; they stay in flight and are counted as waiting too");
        try {
            queues.rollback();
        } catch (ActiveMQException rollbackFailure) {
            LOG.log(Level.WARNING, "Could not roll back after a commit in doubt", rollbackFailure);
        }
        for (DeliveryTicket ticket : moved) {
            engine.moveInDoubt(ticket.flowKey(), ticket.messageId(), ticket.config());
        }
        events.rememberCancelled(dropped);
    }
}
