package dev.sluice.flowcontrol.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.platform.control.ApplicationStart;
import dev.sluice.platform.control.EmbeddedBroker;
import dev.sluice.platform.control.Instruments;
import dev.sluice.platform.entity.HumanDuration;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Gatekeeper {

    private static final Logger LOG = Logger.getLogger(Gatekeeper.class.getName());
    private static final long SLOW_PASS_MILLIS = 2_000;
    /** the bounds of the time between two looks for idle keys (each costs O(keys)): the retention, within them */
    private static final long MIN_IDLE_SWEEP_INTERVAL_MILLIS = 1_000;
    private static final long MAX_IDLE_SWEEP_INTERVAL_MILLIS = 60_000;

    @Resource
    TimerService timerService;

    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    FlowEvents events;

    @Inject
    Recovery recovery;

    @Inject
    IntakeRelay intakeRelay;

    @Inject
    Instruments instruments;

    @Inject
    EmbeddedBroker broker;

    @Inject
    ApplicationStart applicationStart;

    @Inject
    @ConfigProperty(name = "sluice.global-parallelism")
    int globalParallelism;

    @Inject
    @ConfigProperty(name = "sluice.gatekeeper.tick-millis")
    long tickMillis;

    @Inject
    @ConfigProperty(name = "sluice.gatekeeper.inspect-wait-millis", defaultValue = "5000")
    long inspectWaitMillis;

    @Inject
    @ConfigProperty(name = "sluice.delivery.tickets-per-message")
    int ticketsPerMessage;

    @Inject
    @ConfigProperty(name = "sluice.flow-control.idle-key-retention", defaultValue = "1h")
    String idleKeyRetention;

    /**
     * Fair, and a pass ends early for waiting readers (see {@link #pass}): under load the dispatcher, woken again at
     * once, took an unfair lock back before the parked reader, and flow-control reads waited seconds (p99 2.8 s with
     * 100,000 keys).
     */
    private final ReentrantLock lock = new ReentrantLock(true);
    /** reads and operator actions waiting for the lock: a pass yields to them, not to the other pass's thread */
    private final AtomicInteger inspectorsWaiting = new AtomicInteger();
    /** released by events from any thread (HTTP client threads too): waking up touches no container service */
    private final Semaphore wakeUps = new Semaphore(0);
    private Thread dispatcher;
    private final Clock clock = Clock.systemUTC();
    private FlowController engine;
    private HoldingQueues queues;
    private Forwarding forwarding;
    private Duration keyRetention;
    private long nextIdleSweep;
    private volatile boolean ready;

    @PostConstruct
    void start() {
        // Never give a waiting count up on misses alone: after a restart under load the broker may show due
        // scheduled messages seconds late, and a count given up would strand them. The broker is asked instead
        // (Forwarding.reconcileAfterMisses), since its count includes them.
        engine = new FlowController(clock, globalParallelism, FlowController.MISS_BACKOFF, Integer.MAX_VALUE);
        keyRetention = HumanDuration.parse(idleKeyRetention, "sluice.flow-control.idle-key-retention");
        nextIdleSweep = clock.millis() + sweepIntervalMillis();
        try {
            queues = new HoldingQueues(broker.connect(HoldingQueues::tuned), ticketsPerMessage);
            forwarding = new Forwarding(engine, queues, events, clock, System::nanoTime,
                    () -> inspectorsWaiting.get() > 0);
            restore();
        } catch (Exception e) {
            throw new IllegalStateException("gatekeeper cannot reach the broker at " + broker.clientUrl(), e);
        }
        ready = true;
        dispatcher = threadFactory.newThread(this::dispatchOnWakeUps);
        dispatcher.setName("sluice-gatekeeper");
        dispatcher.start();
        events.onWakeUp(wakeUps::release);
        timerService.createIntervalTimer(tickMillis, tickMillis, new TimerConfig(null, false));
        LOG.info(() -> "Gatekeeper ready: global parallelism " + globalParallelism + ", tick " + tickMillis + " ms");
    }

    /** Rebuilds counters from the broker and the database; see docs/architecture.md, "Crash and restart". */
    private void restore() throws Exception {
        intakeRelay.recover();
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
        if (!applicationStart.isStarted()) {
            return;
        }
        if (lock.tryLock()) {
            try {
                pass();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Passes on demand: each wake-up (publish, send, completion, cancel) runs a pass right away, and so does the
     * instant the engine next expects something to become eligible (a rate window ending, a message falling due)
     * when that comes before the next tick: a window boundary is not served up to a tick late.
     */
    private void dispatchOnWakeUps() {
        long waitMillis = tickMillis;
        while (ready) {
            try {
                awaitWakeUp(waitMillis);
                wakeUps.drainPermits();
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!applicationStart.isStarted()) {
                continue; // the timer takes over once the application is started
            }
            lock.lock();
            try {
                // after a failure (broker unreachable) the next attempt comes a tick later, not at once
                waitMillis = pass() ? engine.millisUntilWakeUp(tickMillis) : tickMillis;
            } finally {
                lock.unlock();
            }
        }
    }

    private void awaitWakeUp(long waitMillis) throws InterruptedException {
        if (waitMillis == Long.MAX_VALUE) {
            wakeUps.acquire();
        } else {
            wakeUps.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Runs the given read or command against the flow-control state, serialised with the passes. Waits for a running
     * pass at most {@code sluice.gatekeeper.inspect-wait-millis}: a pass stuck on an unreachable broker must not
     * hold operators' requests.
     *
     * @throws GatekeeperBusy if the state did not become free in time
     */
    public <T> T inspect(Function<FlowController, T> query) {
        if (!lockWithin(inspectWaitMillis)) {
            throw new GatekeeperBusy(inspectWaitMillis);
        }
        try {
            events.applyTo(engine);
            return query.apply(engine);
        } finally {
            lock.unlock();
        }
    }

    private boolean lockWithin(long millis) {
        inspectorsWaiting.incrementAndGet();
        try {
            return lock.tryLock(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            inspectorsWaiting.decrementAndGet();
        }
    }

    public boolean isReady() {
        return ready && applicationStart.isStarted() && broker.isRunning() && queues.isConnected();
    }

    /**
     * Runs with the lock held and makes at most one commit. If more may go, it wakes the dispatcher, whose next pass
     * queues for the (fair) lock behind any flow-control reads or operator actions waiting for it: they wait for one
     * commit's moves, and no thread blocks inside a pass. One commit per pass also keeps the pass metric and the
     * slow-pass warning meaningful: under continuous load, passes that went on while more could go lasted seconds.
     *
     * @return false if the pass failed (it is retried by the next one)
     */
    private boolean pass() {
        long started = System.nanoTime();
        boolean passed = true;
        try {
            forgetIdleKeys();
            events.applyTo(engine);
            if (forwarding.moveGranted()) {
                wakeUps.release();
            }
        } catch (Exception e) {
            passed = false;
            LOG.log(Level.WARNING, "Gatekeeper pass failed; the next pass retries", e);
        }
        long nanos = System.nanoTime() - started;
        instruments.gatekeeperPass(nanos);
        long millis = nanos / 1_000_000;
        if (millis > SLOW_PASS_MILLIS) {
            LOG.warning(() -> "Gatekeeper pass took " + millis + " ms");
        }
        return passed;
    }

    /**
     * Now and then, drops the keys idle for the retention (nothing waiting, in flight or scheduled, no settings), and
     * closes their holding queues' consumers so that the broker can delete those queues.
     */
    private void forgetIdleKeys() throws Exception {
        long now = clock.millis();
        if (now < nextIdleSweep) {
            return;
        }
        nextIdleSweep = now + sweepIntervalMillis();
        List<String> forgotten = engine.forgetKeysIdleFor(keyRetention);
        queues.release(forgotten);
        if (!forgotten.isEmpty()) {
            LOG.fine(() -> "Forgot " + forgotten.size() + " idle flow-control keys");
        }
    }

    private long sweepIntervalMillis() {
        long retention = keyRetention.toMillis();
        return Math.max(MIN_IDLE_SWEEP_INTERVAL_MILLIS, Math.min(retention, MAX_IDLE_SWEEP_INTERVAL_MILLIS));
    }

    @PreDestroy
    void stop() {
        ready = false;
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
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
