package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.flowcontrol.entity.Period;

/**
 * What an operator set on a key and what must survive a restart: the pause, the pins, and the values a key keeps
 * using after an unpin ("sticky") until a message with a different configuration arrives.
 * <p>
 * A pinned or sticky period without a rate is meaningless and becomes {@code null}; with a rate it defaults to 1 s.
 */
public record KeySettings(boolean paused, Integer pinnedParallelism, Integer pinnedRate, Period pinnedPeriod,
                          Integer stickyParallelism, Integer stickyRate, Period stickyPeriod) {

    public static final KeySettings NONE = new KeySettings(false, null, null, null, null, null, null);

    public KeySettings {
        // validated like a configuration: positive values
        new FlowConfig(pinnedParallelism, pinnedRate, pinnedPeriod);
        new FlowConfig(stickyParallelism, stickyRate, stickyPeriod);
        pinnedPeriod = pinnedRate == null ? null : pinnedPeriod == null ? Period.ONE_SECOND : pinnedPeriod;
        stickyPeriod = stickyRate == null ? null : stickyPeriod == null ? Period.ONE_SECOND : stickyPeriod;
    }

    public boolean isDefault() {
        return equals(NONE);
    }
}
