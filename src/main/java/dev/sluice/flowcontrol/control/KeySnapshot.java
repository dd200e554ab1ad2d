package dev.sluice.flowcontrol.control;

import java.time.Duration;

/**
 * The state of one flow-control key as reported by the management API.
 *
 * @param waitListSize               messages due and waiting for their turn, parallelism or rate
 * @param parallelismMax             effective parallelism, 0 = no limit
 * @param parallelismCount           deliveries of the key in flight
 * @param rateMax                    effective starts per period, 0 = no limit
 * @param rateCount                  starts in the current rate window (0 when the last window has ended)
 * @param ratePeriodSeconds          effective period; 1 without a rate limit
 * @param ratePeriodStartEpochSeconds start of the current (or last) rate window, 0 before the first one
 * @param blockedBy                  why the head message waits right now
 * @param scheduledCount             messages of the key that are not due yet
 * @param estimatedDrain             how long until the last message waiting now has started, see
 *                                   {@link FlowController#snapshot(String)}
 */
public record KeySnapshot(String key, long waitListSize, int parallelismMax, int parallelismCount, int rateMax,
                          int rateCount, long ratePeriodSeconds, long ratePeriodStartEpochSeconds, boolean paused,
                          boolean pinnedParallelism, boolean pinnedRate, BlockedBy blockedBy, long scheduledCount,
                          Duration estimatedDrain) {
}
