package dev.sluice.bench;

/** Sizes and durations of a run: the default (full) run or {@code --quick}. */
record Settings(boolean quick, int producers, int deliveryConcurrency, int payloadBytes,
                int jitWarmupSeconds, int warmupSeconds, int measureSeconds, int drainSeconds,
                int lagSeconds, int lagParallelKeys, int lagParallelMessages, int lagRateKeys, int lagRateWindows,
                int precisionSeconds,
                int scaleKeys, int scaleMessagesPerKey, int scaleBigMessages, int scaleBigKeys, int scaleLoadSeconds,
                int scaleProbeSeconds, int readySeconds) {

    static Settings full() {
        // the JIT keeps compiling Payara for minutes on 2 cores (deliveries/s still rise after 4 minutes): each
        // Sluice is warmed up with load before its scenarios, and each throughput variant warms up again
        return new Settings(false, 32, 200, 256, 240, 30, 25, 20,
                20, 20, 30, 10, 5,
                60,
                100_000, 3, 1_000_000, 100, 120,
                15, 240);
    }

    static Settings quickRun() {
        return new Settings(true, 32, 200, 256, 20, 10, 8, 5,
                6, 10, 15, 10, 3,
                20,
                10_000, 3, 100_000, 100, 20,
                5, 240);
    }
}
