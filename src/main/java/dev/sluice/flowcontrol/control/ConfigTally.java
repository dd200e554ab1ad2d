package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The multiset of the configurations of a key's messages that are waiting or in flight, answering in O(log n) which
 * parallelism and which rate the mix allows: the highest of each, no limit if any message has none.
 */
final class ConfigTally {

    private final Map<FlowConfig, Long> counts = new HashMap<>();
    private final TreeMap<Integer, Long> parallelisms = new TreeMap<>();
    private final TreeMap<FlowConfig, Long> rates = new TreeMap<>(FlowConfig::compareRate);
    private long withoutParallelism;
    private long withoutRate;
    private long size;

    void add(FlowConfig config) {
        counts.merge(config, 1L, Long::sum);
        if (config.limitsParallelism()) {
            parallelisms.merge(config.parallelism(), 1L, Long::sum);
        } else {
            withoutParallelism++;
        }
        if (config.limitsRate()) {
            rates.merge(config.rateOnly(), 1L, Long::sum);
        } else {
            withoutRate++;
        }
        size++;
    }

    /** @return false if no message with this configuration was counted */
    boolean remove(FlowConfig config) {
        if (!counts.containsKey(config)) {
            return false;
        }
        decrement(counts, config);
        if (config.limitsParallelism()) {
            decrement(parallelisms, config.parallelism());
        } else {
            withoutParallelism--;
        }
        if (config.limitsRate()) {
            decrement(rates, config.rateOnly());
        } else {
            withoutRate--;
        }
        size--;
        return true;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long size() {
        return size;
    }

    void clear() {
        counts.clear();
        parallelisms.clear();
        rates.clear();
        withoutParallelism = 0;
        withoutRate = 0;
        size = 0;
    }

    /** The highest parallelism, {@code null} (no limit) if any message has none. Only when not empty. */
    Integer parallelism() {
        return withoutParallelism > 0 ? null : parallelisms.lastKey();
    }

    /** The fastest rate as a rate-only configuration, {@code null} (no limit) if any message has none. */
    FlowConfig rate() {
        return withoutRate > 0 ? null : rates.lastKey();
    }

    private static <K> void decrement(Map<K, Long> map, K key) {
        map.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
    }
}
