package dev.sluice.bench;

/**
 * A throughput variant, the same for Sluice and BullMQ: no flow control; one key (limits high enough not to bind:
 * what one key's bookkeeping costs); 1,000 keys each limited by rate (Sluice: {@code rate=10, period=1s} per key;
 * BullMQ: one queue per key with {@code limiter: {max: 10, duration: 1000}}).
 */
record Variant(String id, String title, int keys, String limits, int limiterMax, int limiterMillis) {
    static final Variant NONE = new Variant("none", "no flow control", 0, null, 0, 0);
    static final Variant ONE_KEY = new Variant("onekey", "1 key (parallelism=200)", 1, "parallelism=200", 0, 0);
    static final Variant THOUSAND_KEYS = new Variant("keys1000", "1,000 keys, rate=10/s each", 1000,
            "rate=10, period=1s", 10, 1000);
    static final Variant[] ALL = {NONE, ONE_KEY, THOUSAND_KEYS};

    String key(String prefix, long seq) { return keys == 0 ? null : prefix + "-" + (seq % keys); }
}
