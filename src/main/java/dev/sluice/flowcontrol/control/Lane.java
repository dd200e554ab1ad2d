package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.flowcontrol.entity.Period;

import java.time.Duration;

/**
 * The flow-control state of one key: counts of waiting, in-flight and scheduled messages, the configurations in
 * play, the operator's settings and the current rate window. The unkeyed lane has no limits of its own.
 */
final class Lane {

    /** Where the controller currently files the lane. */
    enum Place {
        /** In no index: nothing waits, paused, or blocked by its parallelism until an attempt ends. */
        IDLE,
        /** In the round-robin ring of keys that may be able to start. */
        RING,
        /** Indexed by {@link #wakeAt()}: the end of its rate window or of a backoff. */
        TIMED,
        /** Returned by nextKey, awaiting started or nothingWaiting. */
        OFFERED
    }

    static final long NO_WINDOW = Long.MIN_VALUE;
    private static final double AVERAGE_WEIGHT = 0.2;

    private final String key;
    private final long sequence;
    private final boolean unkeyed;
    private final ConfigTally tally = new ConfigTally();

    long waiting;
    int inFlight;
    long scheduled;
    boolean paused;
    long parkedUntil = Long.MIN_VALUE;
    int misses;
    Place place = Place.IDLE;

    private Integer lastParallelism;
    private FlowConfig lastRate;
    private Integer pinnedParallelism;
    private FlowConfig pinnedRate;
    private Integer stickyParallelism;
    private FlowConfig stickyRate;
    private long windowStart = NO_WINDOW;
    private int rateCount;
    /** Starts of the current window whose request has not left yet; the window's first and latest sends. */
    private int unsent;
    private long firstSend = NO_WINDOW;
    /** the latest request granted inside the window that left only after the window's end */
    private long lateSend = NO_WINDOW;
    private long windowNumber;
    /** a window opened by pin/resetRate starts at that instant (QStash), not at its first send */
    private boolean openedByReset;
    private double averageAttemptMillis = -1;
    private long wakeAt;
    /** the last change of its messages, slots, window or settings */
    private long lastActive;

    Lane(String key, long sequence) {
        this.key = key;
        this.sequence = sequence;
        this.unkeyed = FlowController.UNKEYED.equals(key);
    }

    String key() {
        return key;
    }

    long sequence() {
        return sequence;
    }

    long wakeAt() {
        return wakeAt;
    }

    void wakeUpAt(long instant) {
        wakeAt = instant;
    }

    /** What makes a key busy: messages waiting plus attempts in flight. */
    long load() {
        return waiting + inFlight;
    }

    boolean unkeyed() {
        return unkeyed;
    }

    /** The unpin rule: sticky values hold until a message with a different configuration arrives. */
    void arrived(FlowConfig config) {
        if (unkeyed) {
            return;
        }
        if (stickyParallelism != null && !stickyParallelism.equals(config.parallelism())) {
            stickyParallelism = null;
        }
        if (stickyRate != null && !stickyRate.equals(config.rateOnly())) {
            stickyRate = null;
        }
    }

    void join(FlowConfig config) {
        if (!unkeyed) {
            tally.add(config);
            remember();
        }
    }

    void leave(FlowConfig config) {
        if (!unkeyed && tally.remove(config)) {
            remember();
        }
    }

    /** Forgets the configurations of waiting messages: only those of the attempts in flight stay. */
    void keepOnly(Iterable<FlowConfig> inFlightConfigs) {
        tally.clear();
        inFlightConfigs.forEach(this::join);
    }

    long tallied() {
        return tally.size();
    }

    private void remember() {
        if (!tally.isEmpty()) {
            lastParallelism = tally.parallelism();
            lastRate = tally.rate();
        }
    }

    /** The effective parallelism: pinned, else sticky, else the mix of messages; {@code null} = no limit. */
    Integer parallelismLimit() {
        if (unkeyed) {
            return null;
        }
        if (pinnedParallelism != null) {
            return pinnedParallelism;
        }
        if (stickyParallelism != null) {
            return stickyParallelism;
        }
        return tally.isEmpty() ? lastParallelism : tally.parallelism();
    }

    /** The effective rate as a rate-only configuration; {@code null} = no limit. */
    FlowConfig rateLimit() {
        if (unkeyed) {
            return null;
        }
        if (pinnedRate != null) {
            return pinnedRate;
        }
        if (stickyRate != null) {
            return stickyRate;
        }
        return tally.isEmpty() ? lastRate : tally.rate();
    }

    /** The window length: the effective period, 1 s without a rate limit (starts are counted all the same). */
    long periodMillis() {
        FlowConfig rate = rateLimit();
        return rate == null ? Period.ONE_SECOND.millis() : rate.period().millis();
    }

    boolean parallelismFull() {
        Integer limit = parallelismLimit();
        return limit != null && inFlight >= limit;
    }

    boolean rateExhausted(long now) {
        FlowConfig rate = rateLimit();
        return rate != null && windowOpen(now) && rateCount >= rate.rate();
    }

    boolean windowOpen(long now) {
        return windowStart != NO_WINDOW && (unsent > 0 || now < windowEnd());
    }

    /**
     * Windows are anchored at actual sends, not at the gatekeeper's decisions: a window ends one period after its
     * first request left, and never while one of its starts is still on its way to a worker. A request that left
     * only after its window's end opened a new window as the destination sees it, so the next window waits a
     * period after that one. The destination sees the fixed windows whatever the latency between decision and send
     * (cold start, GC, a busy machine).
     */
    long windowEnd() {
        if (unsent > 0) {
            return Long.MAX_VALUE;
        }
        long end = nominalEnd();
        return lateSend != NO_WINDOW && lateSend >= end ? lateSend + periodMillis() : end;
    }

    private long nominalEnd() {
        long anchor = openedByReset || firstSend == NO_WINDOW ? windowStart : firstSend;
        return anchor + periodMillis();
    }

    /** Fixed windows: a start after the previous window ended opens a new one. Returns the window's number. */
    long countStart(long now) {
        if (!windowOpen(now)) {
            openWindow(now);
            openedByReset = false;
        }
        rateCount++;
        unsent++;
        return windowNumber;
    }

    /**
     * A start of window {@code window} that never happened (its move was rolled back) is not counted: its slot is
     * free again, and a window that only this start opened is closed again, so the next start opens its own.
     */
    void uncountStart(long window) {
        if (window != windowNumber || unsent == 0) {
            return;
        }
        rateCount--;
        unsent--;
        if (rateCount == 0 && unsent == 0 && firstSend == NO_WINDOW && !openedByReset) {
            windowStart = NO_WINDOW;
        }
    }

    void resetWindow(long now) {
        openWindow(now);
        openedByReset = true;
    }

    private void openWindow(long now) {
        windowStart = now;
        rateCount = 0;
        unsent = 0;
        firstSend = NO_WINDOW;
        lateSend = NO_WINDOW;
        windowNumber++;
    }

    /**
     * A start of window {@code window}, granted at grantedAt, was sent at sentAt, or ended without a request
     * ({@link #NO_WINDOW}).
     */
    void sendSettled(long window, long grantedAt, long sentAt) {
        if (window != windowNumber || unsent == 0) {
            return;
        }
        unsent--;
        if (sentAt == NO_WINDOW) {
            return;
        }
        firstSend = firstSend == NO_WINDOW ? sentAt : Math.min(firstSend, sentAt);
        long end = nominalEnd();
        if (grantedAt < end && sentAt >= end) {
            lateSend = Math.max(lateSend, sentAt);
        }
    }

    void recordAttempt(long millis) {
        averageAttemptMillis = averageAttemptMillis < 0
                ? millis
                : AVERAGE_WEIGHT * millis + (1 - AVERAGE_WEIGHT) * averageAttemptMillis;
    }

    void pin(Integer parallelism, FlowConfig rate, long now) {
        if (parallelism != null) {
            pinnedParallelism = parallelism;
            stickyParallelism = null;
        }
        if (rate != null) {
            pinnedRate = rate;
            stickyRate = null;
            resetWindow(now);
        }
    }

    void unpin(boolean parallelism, boolean rate) {
        if (parallelism && pinnedParallelism != null) {
            stickyParallelism = pinnedParallelism;
            pinnedParallelism = null;
        }
        if (rate && pinnedRate != null) {
            stickyRate = pinnedRate;
            pinnedRate = null;
        }
    }

    KeySettings settings() {
        return new KeySettings(paused, pinnedParallelism,
                pinnedRate == null ? null : pinnedRate.rate(), pinnedRate == null ? null : pinnedRate.period(),
                stickyParallelism,
                stickyRate == null ? null : stickyRate.rate(), stickyRate == null ? null : stickyRate.period());
    }

    void apply(KeySettings settings) {
        paused = settings.paused();
        pinnedParallelism = settings.pinnedParallelism();
        pinnedRate = rateOnly(settings.pinnedRate(), settings.pinnedPeriod());
        stickyParallelism = settings.stickyParallelism();
        stickyRate = rateOnly(settings.stickyRate(), settings.stickyPeriod());
    }

    private static FlowConfig rateOnly(Integer rate, Period period) {
        return rate == null ? null : new FlowConfig(null, rate, period);
    }

    void touch(long now) {
        lastActive = Math.max(lastActive, now);
    }

    /**
     * Nothing left to remember: no messages, no settings, no open rate window, no backoff, and nothing changed since
     * {@code idleSince}.
     */
    boolean forgettable(long now, long idleSince) {
        return waiting == 0 && inFlight == 0 && scheduled == 0 && place == Place.IDLE
                && settings().isDefault() && !windowOpen(now) && parkedUntil <= now && lastActive <= idleSince;
    }

    BlockedBy blockedBy(long now, boolean globalFull) {
        if (waiting == 0) {
            return scheduled > 0 ? BlockedBy.NOT_BEFORE : BlockedBy.EMPTY;
        }
        if (paused) {
            return BlockedBy.PAUSED;
        }
        if (parkedUntil > now) {
            return BlockedBy.NOT_BEFORE;
        }
        if (parallelismFull()) {
            return BlockedBy.PARALLELISM;
        }
        if (rateExhausted(now)) {
            return BlockedBy.RATE;
        }
        return globalFull ? BlockedBy.GLOBAL_PARALLELISM : BlockedBy.NONE;
    }

    KeySnapshot snapshot(long now, boolean globalFull) {
        Integer parallelism = parallelismLimit();
        FlowConfig rate = rateLimit();
        boolean open = windowOpen(now);
        return new KeySnapshot(key, waiting, parallelism == null ? 0 : parallelism, inFlight,
                rate == null ? 0 : rate.rate(), open ? rateCount : 0, periodMillis() / 1000,
                windowStart == NO_WINDOW ? 0 : Math.floorDiv(windowStart, 1000),
                paused, pinnedParallelism != null, pinnedRate != null, blockedBy(now, globalFull), scheduled,
                estimatedDrain(now));
    }

    /**
     * How long until the last message waiting now has started, ignoring the pause and the server-wide cap: the
     * later of what the rate windows allow and what the parallelism allows given the average attempt duration.
     */
    Duration estimatedDrain(long now) {
        return waiting == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(rateBound(now), parallelismBound()));
    }

    private long rateBound(long now) {
        FlowConfig rate = rateLimit();
        if (rate == null) {
            return 0;
        }
        long period = periodMillis();
        boolean open = windowOpen(now);
        long room = open ? Math.max(0, rate.rate() - rateCount) : rate.rate();
        if (waiting <= room) {
            return 0;
        }
        long moreWindows = ceilDiv(waiting - room, rate.rate());
        long end = windowEnd();
        // a window whose start has not left yet ends at the earliest a period from now
        long firstWindowEnd = !open ? period : end == Long.MAX_VALUE ? period : end - now;
        return saturatedAdd(firstWindowEnd, saturatedMultiply(moreWindows - 1, period));
    }

    private long parallelismBound() {
        Integer parallelism = parallelismLimit();
        if (parallelism == null || averageAttemptMillis < 0) {
            return 0;
        }
        long free = Math.max(0, parallelism - inFlight);
        if (waiting <= free) {
            return 0;
        }
        return saturatedMultiply(ceilDiv(waiting - free, parallelism), Math.round(averageAttemptMillis));
    }

    private static long ceilDiv(long dividend, long divisor) {
        return -Math.floorDiv(-dividend, divisor);
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
