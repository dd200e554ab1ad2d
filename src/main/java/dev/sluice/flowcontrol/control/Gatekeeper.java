package dev.sluice.flowcontrol.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.platform.control.EmbeddedBroker;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one place that decides when a waiting message may go. Driven by an EJB timer every few milliseconds and woken
 * early by {@link FlowEvents}, each pass applies queued events to the {@link FlowController} (the flow-control
 * rules, plain Java) and moves the messages it grants from their holding queues into the delivery queue.
 */
@Startup
@Singleton
@DependsOn("EmbeddedBroker")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Gatekeeper {

    private static final Logger LOG = Logger.getLogger(Gatekeeper.class.getName());
    private static final int MAX_MOVES_PER_COMMIT = 500;

    @Resource
    TimerService timerService;

    @Resource
    ManagedExecutorService executor;

    @Inject
    FlowEvents events;

    @Inject
    Recovery recovery;

    @Inject
    EmbeddedBroker broker;

    @Inject
    @ConfigProperty(name = "sluice.global-parallelism")
    int globalParallelism;

    @Inject
    @ConfigProperty(name = "sluice.gatekeeper.tick-millis")
    long tickMillis;

    @Inject
    @ConfigProperty(name = "sluice.broker.host")
    String brokerHost;

    @Inject
    @ConfigProperty(name = "sluice.broker.port")
    int brokerPort;

    @Inject
    @ConfigProperty(name = "sluice.broker.user")
    String brokerUser;

    @Inject
    @ConfigProperty(name = "sluice.broker.password")
    String brokerPassword;

    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean wakeUpScheduled = new AtomicBoolean();
    private final Clock clock = Clock.systemUTC();
    private FlowController engine;
    private HoldingQueues queues;
    private volatile boolean ready;

    @PostConstruct
    void start() {
        engine = new FlowController(clock, globalParallelism);
        try {
            queues = HoldingQueues.connect(brokerHost, brokerPort, brokerUser, brokerPassword);
            restore();
        } catch (Exception e) {
            throw new IllegalStateException("gatekeeper cannot reach the broker at " + brokerHost + ":" + brokerPort, e);
        }
        events.onWakeUp(this::wakeUp);
        timerService.createIntervalTimer(tickMillis, tickMillis, new TimerConfig(null, false));
        ready = true;
        LOG.info(() -> "Gatekeeper ready: global parallelism " + globalParallelism + ", tick " + tickMillis + " ms");
    }

    /** Rebuilds counters from the broker and the database; see docs/architecture.md, "Crash and restart". */
    private void restore() throws Exception {
        long now = clock.millis();
        events.forgetPending();
        recovery.operatorSettings().forEach(stored ->
                engine.restoreSettings(stored.getKey(), OperatorActions.toSettings(stored)));
        Set<String> granted = new HashSet<>();
        for (DeliveryTicket ticket : queues.browseDeliveryQueue()) {
            engine.restoreInFlight(ticket.flowKey(), ticket.messageId(), ticket.config(), now + ticket.leaseMillis());
            granted.add(ticket.messageId());
        }
        int[] waiting = {0};
        recovery.eachWaiting(message -> {
            if (!granted.contains(message.ticket().messageId())) {
                engine.admit(message.ticket().flowKey(), message.ticket().messageId(), message.ticket().config(),
                        message.dueAt());
                waiting[0]++;
            }
        });
        events.rememberCancelled(recovery.cancelledIds());
        int requeued = recovery.requeueInterrupted(now);
        LOG.info(() -> "Gatekeeper restored " + granted.size() + " granted, " + waiting[0] + " waiting, "
                + requeued + " interrupted deliveries");
    }

    @Timeout
    void tick() {
        if (lock.tryLock()) {
            try {
                pass();
            } finally {
                lock.unlock();
            }
        }
    }

    private void wakeUp() {
        if (ready && wakeUpScheduled.compareAndSet(false, true)) {
            executor.execute(() -> {
                wakeUpScheduled.set(false);
                lock.lock();
                try {
                    pass();
                } finally {
                    lock.unlock();
                }
            });
        }
    }

    /** Runs the given read or command against the flow-control state, serialised with the passes. */
    public <T> T inspect(Function<FlowController, T> query) {
        lock.lock();
        try {
            events.applyTo(engine);
            return query.apply(engine);
        } finally {
            lock.unlock();
        }
    }

    public boolean isReady() {
        return ready && broker.isRunning() && queues.isConnected();
    }

    private void pass() {
        try {
            do {
                events.applyTo(engine);
            } while (moveGranted() == MAX_MOVES_PER_COMMIT);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Gatekeeper pass failed; the next pass retries", e);
        }
    }

    /** Moves granted messages until nothing more may go now; one broker commit for all of them. */
    private int moveGranted() throws Exception {
        List<DeliveryTicket> moved = new ArrayList<>();
        boolean dropped = false;
        Optional<String> key;
        while (moved.size() < MAX_MOVES_PER_COMMIT && (key = engine.nextKey()).isPresent()) {
            Optional<DeliveryTicket> head = queues.take(key.get());
            while (head.isPresent() && events.consumeCancellation(head.get().messageId())) {
                dropped = true;
                head = queues.take(key.get());
            }
            if (head.isEmpty()) {
                engine.nothingWaiting(key.get());
                continue;
            }
            DeliveryTicket ticket = head.get();
            queues.forward(ticket);
            engine.started(ticket.flowKey(), ticket.messageId(), ticket.config(),
                    clock.millis() + ticket.leaseMillis());
            moved.add(ticket);
        }
        if (!moved.isEmpty() || dropped) {
            commit(moved);
        }
        return moved.size();
    }

    private void commit(List<DeliveryTicket> moved) throws Exception {
        try {
            queues.commit();
        } catch (Exception e) {
            queues.rollback();
            long now = clock.millis();
            for (DeliveryTicket ticket : moved) {
                engine.attemptEnded(ticket.messageId());
                engine.admit(ticket.flowKey(), ticket.messageId(), ticket.config(), now);
            }
            throw e;
        }
    }

    @PreDestroy
    void stop() {
        ready = false;
        lock.lock();
        try {
            if (queues != null) {
                queues.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
