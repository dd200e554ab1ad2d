package dev.sluice.flowcontrol.control;

import dev.sluice.platform.control.EmbeddedBroker;
import dev.sluice.platform.control.NoRoom;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.ActiveMQException;

/**
 * Puts published messages into their holding queues after their rows committed, in a broker transaction of its own
 * (one round trip and one journal sync, where joining the database's transaction cost four round trips and two
 * syncs). Publishes are stored in numbered intake batches; each broker commit records its batch number in the
 * broker's intake ledger, and batches reach the broker in the order of their numbers. So after a crash, the stored
 * messages the broker never got are exactly those of batches after the ledger's, still waiting for their first
 * attempt: {@link #recover} sends them before the gatekeeper counts the waitlists. Used by one thread at a time
 * (the publish committer; the gatekeeper's start for {@link #recover}). One Sluice per database and broker: two
 * processes numbering batches side by side would break the order.
 */
@ApplicationScoped
public class IntakeRelay {

    private static final Logger LOG = Logger.getLogger(IntakeRelay.class.getName());
    private static final int RESEND_PER_COMMIT = 500;
    private static final long RETRY_MILLIS = 500;
    /**
     * how long a batch may take to reach the broker before new publishes are refused: a commit the broker's crash
     * cut off waits for the client's call timeout (30 s) before the connection's loss is noticed
     */
    private static final long SLOW_BATCH_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Inject
    EmbeddedBroker broker;

    @Inject
    Recovery recovery;

    @Inject
    FlowEvents events;

    private volatile HoldingQueueSender sender;
    private long lastBatch;
    private volatile boolean open = true;
    /** set while the broker refuses a batch: new publishes are refused instead of piling up behind it */
    private volatile boolean stalled;
    /** when the batch being sent was first tried ({@link System#nanoTime}); null while none is being sent */
    private volatile Long sendingSince;

    /**
     * Once, before anything is published: sends the messages a crash kept out of the broker, then numbers new
     * batches after every batch the ledger or those messages show. If it fails midway, the chunks it sent are sent
     * again by the next attempt: a message then has two tickets, and a worker's claim lets only one through.
     */
    public synchronized void recover() {
        if (sender != null) {
            return;
        }
        HoldingQueueSender connected = null;
        try {
            connected = new HoldingQueueSender(broker.connect(HoldingQueueSender.tuning(!broker.isEmbedded())));
            long ledger = connected.lastIntake().orElse(0);
            Resend resend = new Resend(connected, ledger);
            recovery.eachUnrelayed(ledger, resend::add);
            resend.finish();
            sender = connected;
            lastBatch = resend.lastBatch;
            if (resend.sent > 0) {
                LOG.warning(() -> resend.sent + " stored messages of intake batches after " + ledger
                        + " were not in the broker (a crash between the two commits): sent again");
            }
        } catch (Exception e) {
            if (connected != null) {
                connected.close();
            }
            throw new IllegalStateException("the intake relay cannot reach the broker at " + broker.clientUrl(), e);
        }
    }

    /** The number of the next intake batch, whose messages' rows carry it; refused while shutting down. */
    public synchronized long nextBatch() {
        if (!open) {
            throw NoRoom.inBroker();
        }
        recover();
        return ++lastBatch;
    }

    /**
     * Sends a stored batch's messages to their holding queues and records the batch in the ledger, in one broker
     * transaction, then tells the gatekeeper. Never throws: the rows are committed, so the caller must not store
     * them again. Retried until the broker takes it, since a later batch may not reach the ledger first; a commit
     * whose outcome is unknown (a timeout, a reconnect) is not sent again if the ledger shows it. If Sluice shuts
     * down meanwhile, the next start sends them. A batch without messages (all deduplicated) needs no mark: no row
     * carries its number.
     */
    public synchronized void relay(List<Waitlist.Admission> admissions, long batch) {
        if (!admissions.isEmpty() && sent(admissions, batch)) {
            admissions.forEach(admission -> events.admitted(admission.ticket(), admission.dueAt()));
        }
    }

    /**
     * Refuses new publishes while the broker is unreachable or refuses the last batch, instead of letting them pile
     * up behind it.
     */
    public void requireFlowing() {
        HoldingQueueSender current = sender;
        // a send on a lost connection waits for it (for a standalone broker's producer credits) as long as the outage
        // lasts, so the failed attempt that sets stalled may never come
        if (stalled || sendingTooLong() || (current != null && !current.isConnected())) {
            throw NoRoom.inBroker();
        }
    }

    private boolean sendingTooLong() {
        Long since = sendingSince;
        return since != null && System.nanoTime() - since > SLOW_BATCH_NANOS;
    }

    private boolean sent(List<Waitlist.Admission> admissions, long batch) {
        sendingSince = System.nanoTime();
        try {
            return sentWhileOpen(admissions, batch);
        } finally {
            sendingSince = null;
        }
    }

    private boolean sentWhileOpen(List<Waitlist.Admission> admissions, long batch) {
        for (int failures = 0; open; ) {
            try {
                if (failures == 0 || !inLedger(batch)) {
                    send(admissions, batch);
                }
                stalled = false;
                return true;
            } catch (ActiveMQException | RuntimeException e) {
                stalled = true;
                rollBack();
                logFailure(batch, ++failures, e);
                pause();
            }
        }
        LOG.warning(() -> "shutting down before intake batch " + batch + " reached the broker: the next start "
                + "sends its " + admissions.size() + " messages");
        return false;
    }

    private void send(List<Waitlist.Admission> admissions, long batch) throws ActiveMQException {
        sender.send(admissions);
        sender.recordIntake(batch);
        sender.commit();
    }

    private boolean inLedger(long batch) throws ActiveMQException {
        return sender.lastIntake().orElse(0) >= batch;
    }

    private static void logFailure(long batch, int failures, Exception e) {
        if (failures == 1) {
            LOG.log(Level.WARNING, "intake batch " + batch + " not taken by the broker; trying again every "
                    + RETRY_MILLIS + " ms, refusing new publishes meanwhile", e);
        } else if (failures % 120 == 0) {
            LOG.warning(() -> "intake batch " + batch + " still not taken by the broker after " + failures
                    + " attempts: " + e);
        }
    }

    private void rollBack() {
        try {
            sender.rollback();
        } catch (ActiveMQException | RuntimeException e) {
            LOG.log(Level.FINE, "rollback after a failed send", e);
        }
    }

    /** An interrupt ends the pause, not the retries: only the shutdown ({@link #close}) does. */
    private static void pause() {
        try {
            Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException e) {
            LOG.fine("intake relay pause interrupted");
        }
    }

    @PreDestroy
    void close() {
        open = false;
        synchronized (this) {
            if (sender != null) {
                sender.close();
            }
        }
    }

    /** Sends recovered messages in chunks; the ledger moves only with the last, once all of them are in. */
    private static final class Resend {

        private final HoldingQueueSender sender;
        private final List<Waitlist.Admission> chunk = new ArrayList<>();
        private long lastBatch;
        private int sent;

        Resend(HoldingQueueSender sender, long ledger) {
            this.sender = sender;
            this.lastBatch = ledger;
        }

        void add(Recovery.UnrelayedMessage message) {
            chunk.add(message.admission());
            lastBatch = Math.max(lastBatch, message.batch());
            if (chunk.size() == RESEND_PER_COMMIT) {
                send(false);
            }
        }

        void finish() {
            send(true);
        }

        private void send(boolean last) {
            try {
                sender.send(chunk);
                if (last) {
                    sender.recordIntake(lastBatch);
                }
                sender.commit();
            } catch (ActiveMQException e) {
                throw new IllegalStateException("cannot send recovered messages to the broker", e);
            }
            sent += chunk.size();
            chunk.clear();
        }
    }
}
