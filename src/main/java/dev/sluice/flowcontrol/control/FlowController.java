package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.flowcontrol.entity.Period;
import dev.sluice.platform.entity.InvalidInput;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The flow-control rules: which key may start a delivery now.
 * <p>
 * Each key has a FIFO holding queue in the broker; this engine keeps only counts of its waiting messages, plus one
 * object per message in flight and per message not due yet. A single-threaded gatekeeper asks {@link #nextKey()},
 * moves the head message of that key into delivery and reports {@link #started}; workers report
 * {@link #attemptEnded}. Not thread-safe: the caller serialises all calls. Time comes from the clock.
 * <p>
 * Keys that may start are served round-robin, one start per turn. Keys that cannot start are filed by when they
 * next can: the end of their rate window or backoff (a time index), the end of one of their attempts (blocked by
 * parallelism: they leave the ring), a resume (paused), a due message (nothing waits). So a call to
 * {@code nextKey} costs O(log keys) amortised, whatever the numbers of keys and waiting messages.
 * <p>
 * Messages published without a key use the {@link #UNKEYED} lane: limited only by the server-wide parallelism. It is
 * not in the ring but takes every other turn while it has messages: unkeyed traffic gets at least half of the starts,
 * the keys together the other half, so unkeyed messages never wait a round of thousands of keys.
 */
public final class FlowController {

    /** The lane of messages published without a flow-control key. Never listed in snapshots. */
    public static final String UNKEYED = "";
    public static final Duration MISS_BACKOFF = Duration.ofMillis(20);
    /** the first miss of a series parks the key this long; each further miss doubles it, up to the miss backoff */
    static final long FIRST_MISS_BACKOFF_MILLIS = 1;
    public static final int MISS_LIMIT = 50;
    public static final Duration DUE_SLACK = Duration.ofMillis(5);
    static final Duration FORGET_EARLY_WITHDRAWALS_AFTER = Duration.ofHours(1);
    /** an attempt's outcome is recorded within milliseconds, seconds under load */
    static final Duration OUTCOME_WAIT = Duration.ofSeconds(10);

    private final Clock clock;
    private final long missBackoffMillis;
    private final int missLimit;
    private final Map<String, Lane> lanes = new HashMap<>();
    /** the keyed lanes that may be able to start; the unkeyed lane, when it may, is only marked {@code RING} */
    private final ArrayDeque<Lane> ring = new ArrayDeque<>();
    /** created with the engine and never forgotten: its holding queue is shared and long-lived */
    private final Lane unkeyed;
    /** whether the ring's keys had a turn since the unkeyed lane's last one */
    private boolean unkeyedsTurn;
    private final TreeSet<Lane> timed = new TreeSet<>(
            Comparator.comparingLong(Lane::wakeAt).thenComparingLong(Lane::sequence));
    private final TreeSet<ScheduledMessage> agenda = new TreeSet<>(
            Comparator.comparingLong(ScheduledMessage::dueAt).thenComparingLong(ScheduledMessage::sequence));
    private final Map<String, ScheduledMessage> scheduledById = new HashMap<>();
    private final TreeSet<Flight> leases = new TreeSet<>(
            Comparator.comparingLong(Flight::leaseUntil).thenComparingLong(Flight::sequence));
    private final Map<String, Flight> flights = new HashMap<>();
    /** in-flight starts whose send is not reported yet, by message id: the number of the window they count in */
    private final Map<String, Long> awaitingSend = new HashMap<>();
    /**
     * cancelled messages whose next admission must not count, by id, with the time: withdrawn before their admission
     * was known, or while in flight or awaiting their outcome (a retry the cancel raced)
     */
    private final Map<String, Long> withdrawnEarly = new LinkedHashMap<>();
    /** attempts that ended, by message id, with the time: their outcome (a retry's admission, or none) may follow */
    private final Map<String, Long> awaitingOutcome = new LinkedHashMap<>();

    private int globalParallelism;
    private int globalInFlight;
    private Lane offered;
    private long sequence;
    private long expiredLeases;
    private long abandonedCounts;

    public FlowController(Clock clock, int globalParallelism) {
        this(clock, globalParallelism, MISS_BACKOFF, MISS_LIMIT);
    }

    /**
     * @param missBackoff how long a key whose holding queue looked empty is not offered again
     * @param missLimit   after this many misses in a row the key's waiting count is given up (set to 0)
     */
    public FlowController(Clock clock, int globalParallelism, Duration missBackoff, int missLimit) {
        if (missBackoff.isNegative() || missLimit < 1) {
            throw new IllegalArgumentException("miss backoff must not be negative and the miss limit positive");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.missBackoffMillis = missBackoff.toMillis();
        this.missLimit = missLimit;
        globalParallelism(globalParallelism);
        unkeyed = new Lane(UNKEYED, ++sequence);
        lanes.put(UNKEYED, unkeyed);
    }

    public void globalParallelism(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("global parallelism must be at least 1, got " + max);
        }
        globalParallelism = max;
    }

    // ---- traffic

    /**
     * A message (first attempt or retry) was put into the key's holding queue; it is eligible from {@code dueAtMillis}
     * (now or earlier: waiting at once; later: scheduled, it joins the waitlist when due). For the unkeyed lane the
     * configuration is ignored and may be null. A message already withdrawn is not counted: its broker copy is
     * dropped when met.
     */
    public void admit(String key, String messageId, FlowConfig config, long dueAtMillis) {
        awaitingOutcome.remove(messageId);
        if (withdrawnEarly.remove(messageId) != null) {
            return;
        }
        Lane lane = lane(key);
        requireConfig(lane, config);
        lane.arrived(config);
        ScheduledMessage earlier = scheduledById.remove(messageId);
        if (earlier != null) {
            unschedule(earlier);
        }
        if (dueAtMillis > now()) {
            ScheduledMessage message = new ScheduledMessage(messageId, lane, config, dueAtMillis, ++sequence);
            scheduledById.put(messageId, message);
            agenda.add(message);
            lane.scheduled++;
        } else {
            lane.waiting++;
            lane.join(config);
        }
        reconsider(lane);
    }

    /**
     * A key allowed to start one delivery now, or empty. Must be followed by exactly one {@link #started} or
     * {@link #nothingWaiting} for that key before the next call (an unanswered offer is taken back).
     */
    public Optional<String> nextKey() {
        long now = now();
        takeBackOffer();
        catchUp(now);
        if (globalInFlight >= globalParallelism) {
            return Optional.empty();
        }
        Lane lane;
        while ((lane = nextInTurn()) != null) {
            lane.place = Lane.Place.IDLE;
            if (mayStart(lane, now)) {
                lane.place = Lane.Place.OFFERED;
                offered = lane;
                unkeyedsTurn = !lane.unkeyed();
                return Optional.of(lane.key());
            }
        }
        return Optional.empty();
    }

    private Lane nextInTurn() {
        return unkeyedReady() && (unkeyedsTurn || ring.isEmpty()) ? unkeyed : ring.pollFirst();
    }

    private boolean anyInTurn() {
        return !ring.isEmpty() || unkeyedReady();
    }

    private boolean unkeyedReady() {
        return unkeyed.place == Lane.Place.RING;
    }

    /**
     * The head message of the key's holding queue (this id, this configuration) went into delivery: it counts against
     * the key's parallelism and rate and the global parallelism until {@link #attemptEnded} or {@code leaseUntilMillis}.
     */
    public void started(String key, String messageId, FlowConfig config, long leaseUntilMillis) {
        long now = now();
        Lane lane = answerOffer(key);
        requireConfig(lane, config);
        endEarlierAttempt(messageId);
        if (lane.waiting > 0) {
            lane.waiting--;
        } else {
            lane.join(config); // not counted as waiting (given up after misses): it joins the mix now
        }
        lane.misses = 0;
        awaitingSend.put(messageId, lane.countStart(now));
        fly(new Flight(messageId, lane, config, now, leaseUntilMillis, ++sequence));
        reconsider(lane);
    }

    /**
     * The move reported by {@link #started} was rolled back: the message is the head of its holding queue again, so
     * it waits again, as if it had never started. Unlike {@link #attemptEnded}, its start leaves the key's rate window
     * (a key limited to 1 per hour may go again at once) and no attempt duration is recorded. A message no longer in
     * flight (its lease expired meanwhile) is admitted again. An earlier flight of the same id that the start ended
     * (a retry taken before its previous attempt's end was reported) stays ended.
     */
    public void moveUndone(String key, String messageId, FlowConfig config) {
        Flight flight = flights.remove(messageId);
        if (flight == null) {
            admit(key, messageId, config, now());
            return;
        }
        leases.remove(flight);
        Lane lane = flight.lane();
        Long window = awaitingSend.remove(messageId);
        if (window != null) {
            lane.uncountStart(window);
        }
        lane.inFlight--;
        globalInFlight--;
        lane.waiting++; // its configuration stayed in the key's mix: counted from admission to attempt end
        reconsider(lane);
    }

    /**
     * The broker cannot tell whether the move reported by {@link #started} went through (a failover during its
     * commit). The flight stays, so no limit is exceeded if it did; and the key counts one more message waiting, so
     * the message is not stranded in its holding queue if it did not (its configuration is in the key's mix through
     * the flight). The surplus is given up after misses if the move went through; if it did not, the flight holds its
     * slots (its rate slot too), and its unsent start keeps its rate window open, until the message starts again
     * (which ends it) or the lease expires. Its configuration leaves the key's mix when that flight ends although its
     * message still waits: a mix can only lose configurations that way, which never loosens the key's limits (the
     * highest values of the mix apply), whereas counting it twice could keep an old, looser one for as long as the key
     * has a backlog.
     */
    public void moveInDoubt(String key, String messageId, FlowConfig config) {
        Flight flight = flights.get(messageId);
        if (flight == null) {
            admit(key, messageId, config, now());
            return;
        }
        flight.lane().waiting++;
        reconsider(flight.lane());
    }

    /**
     * The worker sent the request of this in-flight message at sentAtMillis. Rate windows are measured by these
     * instants (see {@code Lane.windowEnd}); until it is reported, the window of its start cannot end.
     */
    public void sent(String messageId, long sentAtMillis) {
        Long window = awaitingSend.remove(messageId);
        Flight flight = flights.get(messageId);
        if (window != null && flight != null) {
            flight.lane().sendSettled(window, flight.startedAt(), sentAtMillis);
            reconsider(flight.lane());
        }
    }

    /**
     * After a restart: a delivery that was in flight counts against the parallelism limits until it ends or its lease
     * expires. It does not count against the rate (the window state before the restart is gone).
     */
    public void restoreInFlight(String key, String messageId, FlowConfig config, long leaseUntilMillis) {
        Lane lane = lane(key);
        requireConfig(lane, config);
        endEarlierAttempt(messageId);
        lane.join(config);
        fly(new Flight(messageId, lane, config, Flight.UNKNOWN, leaseUntilMillis, ++sequence));
        reconsider(lane); // its configuration may widen the key's limits
    }

    /**
     * The holding queue had nothing although a message was counted (e.g. the broker shows a due message a few ms
     * late): the key keeps its count and is not offered for a short backoff, 1 ms after the first miss of a series,
     * doubling with each further miss up to the miss backoff. After {@link #MISS_LIMIT} misses in a row its waiting
     * count is given up (set to 0).
     *
     * @return true if the waiting count was given up just now (worth a log line)
     */
    public boolean nothingWaiting(String key) {
        Lane lane = answerOffer(key);
        if (++lane.misses >= missLimit) {
            giveUpWaiting(lane);
            return true;
        }
        lane.parkedUntil = now() + missBackoffMillis(lane.misses);
        file(lane, lane.parkedUntil);
        return false;
    }

    /** Misses in a row of the key's last offers (0 for an unknown key). */
    public int misses(String key) {
        Lane lane = lanes.get(key);
        return lane == null ? 0 : lane.misses;
    }

    /**
     * Gives the key's waiting count up (set to 0): its holding queue holds nothing, so the count was left behind by
     * a race between events, and no take could ever answer it.
     */
    public void forgetWaiting(String key) {
        Lane lane = lanes.get(key);
        if (lane != null && lane.waiting > 0) {
            giveUpWaiting(lane);
        }
    }

    private long missBackoffMillis(int misses) {
        int doublings = Math.min(misses - 1, 20);
        return Math.min(missBackoffMillis, FIRST_MISS_BACKOFF_MILLIS << doublings);
    }

    /**
     * The delivery attempt of this in-flight message ended (success, failure, timeout, found cancelled): its slots are
     * free and its configuration leaves the key's mix. Unknown or already freed ids are ignored.
     *
     * @return false if the id was not in flight (e.g. a late report after its lease expired)
     */
    public boolean attemptEnded(String messageId) {
        Flight flight = flights.remove(messageId);
        if (flight == null) {
            return false;
        }
        leases.remove(flight);
        land(flight, now());
        return true;
    }

    /**
     * The message was cancelled: not due yet → forgotten; in flight, or its attempt ended less than
     * {@link #OUTCOME_WAIT} ago with no retry admitted yet → its attempt ends as usual, and a retry admitted later is
     * not counted; otherwise it was waiting → one fewer waiting. The caller discards the physical message if it ever
     * pulls it. Call it only for messages still held or in flight: waiting messages have no identity here.
     */
    public void withdraw(String key, String messageId, FlowConfig config) {
        ScheduledMessage message = scheduledById.remove(messageId);
        if (message != null) {
            unschedule(message);
            return;
        }
        if (flights.containsKey(messageId) || awaitingOutcome.remove(messageId) != null) {
            // in flight, or ended with its outcome still to come: not waiting, so nothing to count out (counting out
            // would take another message's count); a retry that the cancel did not stop (the two raced) is a copy
            // the gatekeeper drops when met, so its admission must not count
            ignoreLaterAdmission(messageId);
            return;
        }
        Lane lane = lanes.get(key);
        if (lane == null || lane.waiting == 0) {
            // the cancel's event overtook the admission's: the admission, when it comes, is not counted
            ignoreLaterAdmission(messageId);
            return;
        }
        countOut(lane, config);
    }

    private void awaitOutcome(String messageId, long now) {
        forgetOlderThan(awaitingOutcome, now - OUTCOME_WAIT.toMillis());
        awaitingOutcome.remove(messageId); // re-inserted last: the map stays ordered by time
        awaitingOutcome.put(messageId, now);
    }

    /**
     * Remembered for {@link #FORGET_EARLY_WITHDRAWALS_AFTER}: a withdrawal whose admission never comes (no retry
     * followed) would be kept for ever; one whose admission comes later still only costs a miscount, which the
     * gatekeeper's reconciliation with the broker corrects.
     */
    private void ignoreLaterAdmission(String messageId) {
        forgetOlderThan(withdrawnEarly, now() - FORGET_EARLY_WITHDRAWALS_AFTER.toMillis());
        withdrawnEarly.remove(messageId); // re-inserted last: the map stays ordered by time
        withdrawnEarly.put(messageId, now());
    }

    /** The map's entries are in the order of their times. */
    private static void forgetOlderThan(Map<String, Long> timesById, long before) {
        var oldest = timesById.values().iterator();
        while (oldest.hasNext() && oldest.next() < before) {
            oldest.remove();
        }
    }

    private void countOut(Lane lane, FlowConfig config) {
        lane.waiting--;
        lane.leave(config);
        reconsider(lane);
    }

    /**
     * The earliest instant at which something may become eligible: now if a key may be ready, else the next due
     * message, rate window end, backoff end or lease expiry; {@code Long.MAX_VALUE} if only events can help.
     */
    public long nextWakeUpMillis() {
        return earliest(nextDueAt(0));
    }

    private long nextDueAt(long slackMillis) {
        return agenda.isEmpty() ? Long.MAX_VALUE : agenda.first().dueAt() + slackMillis;
    }

    /** The earliest of the given instant and the next ready key, window or backoff end and lease expiry. */
    private long earliest(long next) {
        if (anyInTurn() && globalInFlight < globalParallelism) {
            next = Math.min(next, now());
        }
        if (!timed.isEmpty()) {
            next = Math.min(next, timed.first().wakeAt());
        }
        if (!leases.isEmpty()) {
            next = Math.min(next, leases.first().leaseUntil());
        }
        return next;
    }

    /**
     * How long an idle gatekeeper may sleep before its next pass: until {@link #nextWakeUpMillis()}, at least 1 ms and
     * at most {@code maxMillis}; {@code Long.MAX_VALUE} when only an event can make something eligible. A message
     * falling due is waited for {@link #DUE_SLACK} longer: the broker releases it a little after its due instant
     * (its delay counts from the send), and a pass that looked for it earlier would wait for the broker.
     */
    public long millisUntilWakeUp(long maxMillis) {
        long next = earliest(nextDueAt(DUE_SLACK.toMillis()));
        if (next == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long now = now();
        return next - now >= maxMillis ? maxMillis : Math.max(1, next - now);
    }

    // ---- management; calls on an unknown key create its state

    public void pause(String key) {
        keyed(key).paused = true;
    }

    public void resume(String key) {
        Lane lane = keyed(key);
        lane.paused = false;
        reconsider(lane);
    }

    /**
     * Pins parallelism and/or rate: they override the messages' configurations until unpinned. {@code null} leaves
     * that dimension as it is. A rate pin needs a rate (the period defaults to 1 s) and starts a new rate window now.
     */
    public void pin(String key, Integer parallelism, Integer rate, Period period) {
        if (parallelism == null && rate == null) {
            throw new InvalidInput("pin needs parallelism or rate");
        }
        if (rate == null && period != null) {
            throw new InvalidInput("pinning a period needs a rate");
        }
        FlowConfig pinned = new FlowConfig(parallelism, rate, period);
        Lane lane = keyed(key);
        lane.pin(pinned.parallelism(), pinned.limitsRate() ? pinned.rateOnly() : null, now());
        reconsider(lane);
    }

    /**
     * Unpins: the key keeps the last pinned values of that dimension until a message arrives whose configuration
     * differs in that dimension; from then on the messages' configurations rule again.
     */
    public void unpin(String key, boolean parallelism, boolean rate) {
        Lane lane = keyed(key);
        lane.unpin(parallelism, rate);
        reconsider(lane);
    }

    /** Ends the current rate window: count 0, a new window starts now. */
    public void resetRate(String key) {
        Lane lane = keyed(key);
        lane.resetWindow(now());
        reconsider(lane);
    }

    /**
     * The older SDKs' "reset the counters": the same as {@link #resetRate}. Pause and pins are operator settings with
     * their own calls, and the in-flight count reflects real deliveries, so neither is touched.
     */
    public void reset(String key) {
        resetRate(key);
    }

    public void restoreSettings(String key, KeySettings settings) {
        Lane lane = keyed(key);
        lane.apply(settings);
        reconsider(lane);
    }

    public KeySettings settings(String key) {
        Lane lane = lanes.get(key);
        return lane == null || lane.unkeyed() ? KeySettings.NONE : lane.settings();
    }

    /**
     * The key's state, empty for unknown keys and the unkeyed lane. {@code estimatedDrain} is the time until the
     * last message waiting now has started, as if the key were not paused and ignoring other keys competing for the
     * global parallelism: the later of the rate bound (remaining room in the current window, then one window per
     * {@code rate} messages) and the parallelism bound (waves of {@code parallelism} starts, one per average attempt
     * duration, an exponentially weighted average of this key's attempts; no bound before the first attempt ended).
     */
    public Optional<KeySnapshot> snapshot(String key) {
        long now = now();
        catchUp(now);
        Lane lane = lanes.get(key);
        return lane == null || lane.unkeyed() ? Optional.empty() : Optional.of(lane.snapshot(now, globalFull()));
    }

    /** All keys whose name contains the search text (case-sensitive; null or empty: all), sorted by key. */
    public List<KeySnapshot> snapshots(String searchSubstringOrNull) {
        long now = now();
        catchUp(now);
        String search = searchSubstringOrNull == null ? "" : searchSubstringOrNull;
        return lanes.values().stream()
                .filter(lane -> !lane.unkeyed() && lane.key().contains(search))
                .sorted(Comparator.comparing(Lane::key))
                .map(lane -> lane.snapshot(now, globalFull()))
                .toList();
    }

    /**
     * The n keys with the most messages waiting or in flight, busiest first: one pass over the keys with a bounded
     * heap, snapshots for those n only (metrics ask for it every few seconds, whatever the number of keys).
     */
    public List<KeySnapshot> busiest(int n) {
        long now = now();
        catchUp(now);
        Comparator<Lane> byLoad = Comparator.comparingLong(Lane::load);
        PriorityQueue<Lane> top = new PriorityQueue<>(byLoad);
        for (Lane lane : lanes.values()) {
            if (!lane.unkeyed() && lane.load() > 0) {
                top.add(lane);
                if (top.size() > n) {
                    top.poll();
                }
            }
        }
        return top.stream().sorted(byLoad.reversed()).map(lane -> lane.snapshot(now, globalFull())).toList();
    }

    /** Messages of all keys waiting for their limits (the sum of the keys' waitlist sizes). */
    public long waitingTotal() {
        long total = 0;
        for (Lane lane : lanes.values()) {
            total += lane.unkeyed() ? 0 : lane.waiting;
        }
        return total;
    }

    public GlobalSnapshot global() {
        catchUp(now());
        return new GlobalSnapshot(globalParallelism, globalInFlight);
    }

    /** Deliveries freed because their lease expired before their end was reported. */
    public long expiredLeases() {
        return expiredLeases;
    }

    /** Times a key's waiting count was given up after {@link #MISS_LIMIT} misses in a row. */
    public long abandonedWaitingCounts() {
        return abandonedCounts;
    }

    /**
     * Drops the state of keys with nothing to remember (no messages, default settings, no open rate window) that
     * nothing touched for {@code idle}, so that short-lived keys do not accumulate; they drop out of the snapshots.
     * Costs O(keys): call it now and then, not per delivery.
     *
     * @return the keys dropped
     */
    public List<String> forgetKeysIdleFor(Duration idle) {
        long now = now();
        long idleSince = now - idle.toMillis();
        List<String> forgotten = new ArrayList<>();
        lanes.values().removeIf(lane -> {
            boolean forget = lane != offered && lane != unkeyed && lane.forgettable(now, idleSince);
            if (forget) {
                forgotten.add(lane.key());
            }
            return forget;
        });
        return forgotten;
    }

    // ---- internals

    private boolean mayStart(Lane lane, long now) {
        if (lane.waiting == 0 || lane.paused || lane.parallelismFull()) {
            return false; // back into the ring on a due message, resume or attempt end
        }
        if (lane.parkedUntil > now) {
            file(lane, lane.parkedUntil);
            return false;
        }
        if (lane.rateExhausted(now)) {
            file(lane, lane.windowEnd());
            return false;
        }
        return true;
    }

    private void catchUp(long now) {
        while (!leases.isEmpty() && leases.first().leaseUntil() <= now) {
            Flight flight = leases.pollFirst();
            flights.remove(flight.messageId());
            expiredLeases++;
            land(flight, now);
        }
        while (!agenda.isEmpty() && agenda.first().dueAt() <= now) {
            ScheduledMessage message = agenda.pollFirst();
            scheduledById.remove(message.messageId());
            Lane lane = message.lane();
            lane.scheduled--;
            lane.waiting++;
            lane.join(message.config());
            reconsider(lane);
        }
        while (!timed.isEmpty() && timed.first().wakeAt() <= now) {
            Lane lane = timed.pollFirst();
            lane.place = Lane.Place.IDLE;
            enqueue(lane);
        }
    }

    private void fly(Flight flight) {
        flights.put(flight.messageId(), flight);
        leases.add(flight);
        flight.lane().inFlight++;
        globalInFlight++;
    }

    private void land(Flight flight, long now) {
        awaitOutcome(flight.messageId(), now);
        Lane lane = flight.lane();
        Long window = awaitingSend.remove(flight.messageId());
        if (window != null) {
            // ended without a send (skipped, failed to connect, expired)
            lane.sendSettled(window, flight.startedAt(), Lane.NO_WINDOW);
        }
        lane.inFlight--;
        globalInFlight--;
        lane.leave(flight.config());
        boolean expired = flight.leaseUntil() <= now;
        if (flight.measurable() && !expired) {
            lane.recordAttempt(now - flight.startedAt());
        }
        reconsider(lane);
    }

    private void endEarlierAttempt(String messageId) {
        Flight earlier = flights.remove(messageId);
        if (earlier != null) {
            leases.remove(earlier);
            land(earlier, now());
        }
    }

    private void unschedule(ScheduledMessage message) {
        agenda.remove(message);
        message.lane().scheduled--;
        message.lane().touch(now());
    }

    private void giveUpWaiting(Lane lane) {
        lane.waiting = 0;
        lane.misses = 0;
        lane.touch(now());
        lane.keepOnly(flights.values().stream()
                .filter(flight -> flight.lane() == lane)
                .map(Flight::config)
                .toList());
        abandonedCounts++;
    }

    /**
     * Something about the lane changed (a message waits, an attempt ended, limits or window changed): let the ring
     * judge it again. A lane filed by time leaves the time index because its wake-up time may be stale.
     */
    private void reconsider(Lane lane) {
        lane.touch(now());
        if (lane.place == Lane.Place.TIMED) {
            timed.remove(lane);
            lane.place = Lane.Place.IDLE;
        }
        if (!lane.paused) {
            enqueue(lane);
        }
    }

    private void enqueue(Lane lane) {
        if (lane.place == Lane.Place.IDLE && lane.waiting > 0) {
            if (!lane.unkeyed()) {
                ring.addLast(lane);
            }
            lane.place = Lane.Place.RING;
        }
    }

    private void file(Lane lane, long wakeAt) {
        if (lane.place == Lane.Place.RING && !lane.unkeyed()) {
            ring.remove(lane); // O(ring), only for a nothingWaiting about a key that was not offered
        }
        if (lane.place == Lane.Place.TIMED) {
            timed.remove(lane);
        }
        lane.wakeUpAt(wakeAt);
        timed.add(lane);
        lane.place = Lane.Place.TIMED;
    }

    private Lane answerOffer(String key) {
        Lane lane = lane(key);
        if (offered == lane) {
            offered = null;
            lane.place = Lane.Place.IDLE;
        } else {
            takeBackOffer();
        }
        return lane;
    }

    /** An offer that was never answered goes back to the front of the ring: it was that key's turn. */
    private void takeBackOffer() {
        if (offered != null) {
            offered.place = Lane.Place.RING;
            if (offered.unkeyed()) {
                unkeyedsTurn = true;
            } else {
                ring.addFirst(offered);
                unkeyedsTurn = false;
            }
            offered = null;
        }
    }

    private boolean globalFull() {
        return globalInFlight >= globalParallelism;
    }

    private Lane lane(String key) {
        Objects.requireNonNull(key, "key");
        return lanes.computeIfAbsent(key, k -> new Lane(k, ++sequence));
    }

    private Lane keyed(String key) {
        if (UNKEYED.equals(key)) {
            throw new IllegalArgumentException("the unkeyed lane has no flow-control settings");
        }
        return lane(key);
    }

    private static void requireConfig(Lane lane, FlowConfig config) {
        if (!lane.unkeyed()) {
            Objects.requireNonNull(config, "a keyed message needs its flow-control configuration");
        }
    }

    private long now() {
        return clock.millis();
    }
}
